// The DARTS search network: stem, cells (reductions at 1/3 and 2/3 of the depth), global pool,
// classifier, and the architecture parameters α (one [14, 8] matrix per cell type), kept apart
// from the weights. An optional 0/1 mask over α (path-level pruning) removes ops from the
// softmax and from the computation.
import { BatchNorm2d, Conv2d, Linear } from '../../nn/layers.js';
import { Layer } from '../../nn/module.js';
import { randn, tensor } from '../../tensor/creation.js';
import * as F from '../../tensor/functional.js';
import { noGrad } from '../../tensor/runtime.js';
import { pipe } from '../../tensor/scope.js';
import { call, type Tensor } from '../../tensor/tensor.js';
import { deriveGenotype } from './derive.js';
import type { CellKind, Genotype } from './genotype.js';
import { CELL_EDGES, NUM_EDGES, NUM_OPS, PRIMITIVES } from './primitives.js';
import { SearchCell } from './search-cell.js';

export interface SupernetOptions {
  channels: number;
  layers: number;
  classes: number;
  inChannels?: number;
  stemMultiplier?: number;
}

const ALPHA_LAYOUT = Object.freeze({ cells: ['normal', 'reduce'] as const, edgeNode: CELL_EDGES.map((e) => e.node), ops: NUM_OPS, noneOp: PRIMITIVES.indexOf('none') });

/** Large negative logit: exp() of it is exactly 0 in float32, without the NaNs of -inf rows. */
const MASKED_LOGIT = -1e30;

/** DARTS' α initialisation: 1e-3 · N(0, 1). */
function smallRandom(shape: number[]): Tensor {
  const r = randn(shape);
  const t = r.mul(1e-3);
  r.dispose();
  return t;
}

export class Supernet extends Layer {
  readonly stem: Conv2d;
  readonly stemBn: BatchNorm2d;
  readonly cells: SearchCell[] = [];
  readonly classifier: Linear;
  readonly alpha: Record<CellKind, Tensor>;
  /** The α mask (pruning/alpha.ts): 1 = op alive, 0 = pruned; rows are edges, columns PRIMITIVES. */
  readonly mask: Record<CellKind, Uint8Array[]> = { normal: fullMask(), reduce: fullMask() };
  /** What α pruning needs to know of this space: row e of a cell's α feeds node CELL_EDGES[e].node. */
  readonly alphaLayout = ALPHA_LAYOUT;
  /** The mask's complement as a bool tensor (true = pruned), for masked_fill; null when nothing is pruned. */
  private prunedTensor: Record<CellKind, Tensor | null> = { normal: null, reduce: null };

  constructor(readonly options: SupernetOptions) {
    super();
    const { channels: C, layers, classes } = options;
    const stemC = (options.stemMultiplier ?? 3) * C;
    this.stem = this.child('stem', new Conv2d(options.inChannels ?? 3, stemC, 3, { padding: 1, bias: false }));
    this.stemBn = this.child('stem_bn', new BatchNorm2d(stemC));
    let [cpp, cp, cur] = [stemC, stemC, C];
    let reductionPrev = false;
    for (let i = 0; i < layers; i++) {
      const reduction = i === Math.floor(layers / 3) || i === Math.floor((2 * layers) / 3);
      if (reduction) cur *= 2;
      this.cells.push(this.child(`cell${i}`, new SearchCell(cpp, cp, cur, reduction, reductionPrev)));
      reductionPrev = reduction;
      [cpp, cp] = [cp, 4 * cur];
    }
    this.classifier = this.child('classifier', new Linear(cp, classes));
    this.alpha = {
      normal: smallRandom([NUM_EDGES, NUM_OPS]).keep().requiresGrad_(),
      reduce: smallRandom([NUM_EDGES, NUM_OPS]).keep().requiresGrad_(),
    };
  }

  archParameters(): Tensor[] {
    return [this.alpha.normal, this.alpha.reduce];
  }

  /** Sets the α mask of a cell type (0/1 per edge and op). */
  setMask(kind: CellKind, mask: readonly ArrayLike<number>[]): void {
    this.mask[kind] = mask.map((row) => Uint8Array.from(row));
    this.prunedTensor[kind]?.dispose();
    const pruned = this.mask[kind].flatMap((row) => Array.from(row, (v) => (v ? 0 : 1)));
    this.prunedTensor[kind] = pruned.some((v) => v) ? tensor(pruned, [NUM_EDGES, NUM_OPS], { dtype: 'bool' }).keep() : null;
  }

  /** Softmax over the surviving ops of each edge. */
  edgeWeights(kind: CellKind, detachAlpha = false): Tensor {
    const m = this.prunedTensor[kind];
    const a = detachAlpha ? this.alpha[kind].detach() : this.alpha[kind];
    const logits = m ? a.maskedFill(m, MASKED_LOGIT) : a;
    return logits.softmax(-1);
  }

  /** detachAlpha: treat α as constants (the weight step needs no α graph). */
  forward(x: Tensor, detachAlpha = false): Tensor {
    const w = { normal: split(this.edgeWeights('normal', detachAlpha)), reduce: split(this.edgeWeights('reduce', detachAlpha)) };
    const stem = this.stem.forward(x);
    let s0 = this.stemBn.forward(stem);
    stem.dispose();
    let s1 = s0;
    for (const cell of this.cells) {
      const kind: CellKind = cell.reduction ? 'reduce' : 'normal';
      const next = cell.forward(s0, s1, w[kind], this.mask[kind]);
      if (s0 !== s1) s0.dispose();
      [s0, s1] = [s1, next];
    }
    s0.dispose();
    const logits = pipe(s1, (t) => F.adaptiveAvgPool2d(t, 1), (t) => t.flatten(1), (t) => this.classifier.forward(t));
    s1.dispose();
    for (const t of [...w.normal.flat(), ...w.reduce.flat()]) t.dispose();
    return logits;
  }

  /** α as plain numbers. */
  alphaValues(kind: CellKind): number[][] {
    const flat = noGrad(() => this.alpha[kind].toNumbers());
    return Array.from({ length: NUM_EDGES }, (_, e) => flat.slice(e * NUM_OPS, (e + 1) * NUM_OPS));
  }

  genotype(): Genotype {
    const asRows = (k: CellKind) => this.mask[k].map((r) => Array.from(r));
    return deriveGenotype({ alphaNormal: this.alphaValues('normal'), alphaReduce: this.alphaValues('reduce'), maskNormal: asRows('normal'), maskReduce: asRows('reduce') });
  }

  override dispose(): void {
    super.dispose();
    for (const t of [this.alpha.normal, this.alpha.reduce, this.prunedTensor.normal, this.prunedTensor.reduce]) t?.dispose();
  }
}

function fullMask(): Uint8Array[] {
  return Array.from({ length: NUM_EDGES }, () => new Uint8Array(NUM_OPS).fill(1));
}

/** [14, 8] weights -> 14 rows of 8 zero-dimensional tensors, in two dispatcher calls per row. */
function split(w: Tensor): Tensor[][] {
  return (call('aten::unbind.int', [w, 0]) as Tensor[]).map((row) => call('aten::unbind.int', [row, 0]) as Tensor[]);
}
