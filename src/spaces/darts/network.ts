// A network built from a genotype (DARTS' NetworkCIFAR): stem, L cells with reductions at 1/3
// and 2/3 of the depth, optional auxiliary head after the second reduction, drop-path, global
// pool and classifier. BN is affine and pools have no BN, as in DARTS' evaluation network.
import { BatchNorm2d, Conv2d, Linear } from '../../nn/layers.js';
import { Layer, Module } from '../../nn/module.js';
import { rand } from '../../tensor/creation.js';
import * as F from '../../tensor/functional.js';
import { pipe } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CellKind, type Genotype, cellConcat, cellOps } from './genotype.js';
import { FactorizedReduce, Identity, OPS, ReLUConvBN, type ReluFirst } from './ops.js';

export class EvalCell extends Module {
  readonly pre0: ReluFirst;
  readonly pre1: ReluFirst;
  readonly ops: Layer[] = [];
  readonly inputs: number[];
  readonly concat: readonly number[];

  constructor(g: Genotype, cPrevPrev: number, cPrev: number, readonly channels: number, readonly reduction: boolean, reductionPrev: boolean) {
    super();
    const kind: CellKind = reduction ? 'reduce' : 'normal';
    this.pre0 = this.child('pre0', reductionPrev ? new FactorizedReduce(cPrevPrev, channels, true) : new ReLUConvBN(cPrevPrev, channels, 1, 1, 0, true));
    this.pre1 = this.child('pre1', new ReLUConvBN(cPrev, channels, 1, 1, 0, true));
    const entries = cellOps(g, kind);
    this.inputs = entries.map(([, input]) => input);
    entries.forEach(([op, input], i) => {
      const stride = reduction && input < 2 ? 2 : 1;
      this.ops.push(this.child(`op${i}`, OPS[op]({ channels, stride, affine: true, search: false })));
    });
    this.concat = cellConcat(g, kind);
  }

  forward(s0: Tensor, s1: Tensor, dropPath: number): Tensor {
    const states = [this.pre0.forward(s0), this.pre1.forward(s1)];
    for (let node = 0; node < this.ops.length / 2; node++) {
      const branch = (k: number) => {
        const op = this.ops[k] as Layer;
        const y = op.forward(states[this.inputs[k] as number] as Tensor);
        if (!(this.training && dropPath > 0) || op instanceof Identity) return y;
        const dropped = dropPathOf(y, dropPath);
        y.dispose();
        return dropped;
      };
      const a = branch(2 * node);
      const b = branch(2 * node + 1);
      states.push(a.add(b));
      for (const t of [a, b]) if (!states.includes(t)) t.dispose();
    }
    const out = F.cat(this.concat.map((i) => states[i] as Tensor), 1);
    for (const t of states) t.dispose();
    return out;
  }
}

/** Zeroes whole samples with probability p and rescales the rest (DARTS' drop_path). */
function dropPathOf(x: Tensor, p: number): Tensor {
  const keep = rand([x.shape[0] as number, 1, 1, 1]).lt(1 - p).to('float32');
  return x.div(1 - p).mul(keep);
}

class AuxiliaryHead extends Layer {
  readonly conv1: Conv2d; readonly bn1: BatchNorm2d; readonly conv2: Conv2d; readonly bn2: BatchNorm2d; readonly fc: Linear;
  constructor(c: number, classes: number) {
    super();
    this.conv1 = this.child('conv1', new Conv2d(c, 128, 1, { bias: false }));
    this.bn1 = this.child('bn1', new BatchNorm2d(128));
    this.conv2 = this.child('conv2', new Conv2d(128, 768, 2, { bias: false }));
    this.bn2 = this.child('bn2', new BatchNorm2d(768));
    this.fc = this.child('fc', new Linear(768, classes));
  }
  forward(x: Tensor): Tensor {
    // 8×8 input -> 2×2 (DARTS' AuxiliaryHeadCIFAR, for 32×32 images).
    let y = F.avgPool2d(F.relu(x), 5, { stride: 3, countIncludePad: false });
    y = F.relu(this.bn1.forward(this.conv1.forward(y)));
    y = F.relu(this.bn2.forward(this.conv2.forward(y)));
    return this.fc.forward(y.flatten(1));
  }
}

export interface NetworkOptions {
  channels: number;
  layers: number;
  classes: number;
  inChannels?: number;
  auxiliary?: boolean;
  /** Drop-path probability; the trainer may ramp it per epoch via `dropPath`. */
  dropPath?: number;
}

export class GenotypeNetwork extends Layer {
  readonly stem: Conv2d;
  readonly stemBn: BatchNorm2d;
  readonly cells: EvalCell[] = [];
  readonly classifier: Linear;
  readonly aux: AuxiliaryHead | null;
  private readonly auxAfter: number;
  dropPath: number;
  /** Logits of the auxiliary head from the last training forward (null in eval). */
  auxLogits: Tensor | null = null;

  constructor(readonly genotype: Genotype, o: NetworkOptions) {
    super();
    const stemC = 3 * o.channels;
    this.stem = this.child('stem', new Conv2d(o.inChannels ?? 3, stemC, 3, { padding: 1, bias: false }));
    this.stemBn = this.child('stem_bn', new BatchNorm2d(stemC));
    let [cpp, cp, cur] = [stemC, stemC, o.channels];
    let reductionPrev = false;
    let auxC = 0;
    this.auxAfter = Math.floor((2 * o.layers) / 3);
    for (let i = 0; i < o.layers; i++) {
      const reduction = i === Math.floor(o.layers / 3) || i === Math.floor((2 * o.layers) / 3);
      if (reduction) cur *= 2;
      const cell = this.child(`cell${i}`, new EvalCell(genotype, cpp, cp, cur, reduction, reductionPrev));
      this.cells.push(cell);
      reductionPrev = reduction;
      [cpp, cp] = [cp, cell.concat.length * cur];
      if (i === this.auxAfter) auxC = cp;
    }
    this.aux = o.auxiliary ? this.child('aux', new AuxiliaryHead(auxC, o.classes)) : null;
    this.classifier = this.child('classifier', new Linear(cp, o.classes));
    this.dropPath = o.dropPath ?? 0;
  }

  forward(x: Tensor): Tensor {
    let s0 = pipe(x, (t) => this.stem.forward(t), (t) => this.stemBn.forward(t));
    let s1 = s0;
    this.auxLogits = null;
    this.cells.forEach((cell, i) => {
      const next = cell.forward(s0, s1, this.dropPath);
      if (s0 !== s1) s0.dispose();
      [s0, s1] = [s1, next];
      if (i === this.auxAfter && this.aux && this.training) this.auxLogits = this.aux.forward(s1);
    });
    if (s0 !== s1) s0.dispose();
    const logits = pipe(s1, (t) => F.adaptiveAvgPool2d(t, 1), (t) => t.flatten(1), (t) => this.classifier.forward(t));
    s1.dispose();
    return logits;
  }
}
