// The NAS-Bench-201 space as a weight-sharing supernet (the benchmark's own skeleton, as in its
// reference DARTS code): a 3×3 conv stem with C channels and BN, three stages of N cells with a
// residual reduction block between stages (C → 2C → 4C), BN-ReLU, global pool, linear. A cell has
// 4 nodes; node i sums the edges j → i for every j < i, and its output is node 3. Every edge is a
// softmax-weighted sum of the 5 ops (the DARTS MixedEdge: `none` and masked ops never computed);
// one α matrix [6, 5] is shared by all cells, kept apart from the weights.
import { BatchNorm2d, Conv2d, Linear } from '../../nn/layers.js';
import { Layer, Module } from '../../nn/module.js';
import { randn, tensor } from '../../tensor/creation.js';
import * as F from '../../tensor/functional.js';
import { noGrad } from '../../tensor/runtime.js';
import { pipe } from '../../tensor/scope.js';
import { call, type Tensor } from '../../tensor/tensor.js';
import { MixedEdge } from '../darts/mixed-op.js';
import { Identity, Pool, ReLUConvBN } from '../darts/ops.js';
import { formatArch } from './arch-string.js';
import { NB201_EDGES, NB201_NODES, NB201_OPS, type Nb201Cell, type Nb201Op } from './ops.js';

export const NB201_NUM_EDGES = NB201_EDGES.length;
export const NB201_NUM_OPS = NB201_OPS.length;

export interface Nb201NetOptions {
  /** C: channels of the first stage. */
  channels: number;
  /** N: cells per stage. */
  cellsPerStage: number;
  classes: number;
  inChannels?: number;
}

/** One NB201 op on a C → C, stride-1 edge (the only kind of edge inside a cell). */
export function nb201Op(op: Exclude<Nb201Op, 'none'>, channels: number, affine: boolean): Layer {
  switch (op) {
    case 'skip_connect': return new Identity();
    case 'nor_conv_1x1': return new ReLUConvBN(channels, channels, 1, 1, 0, affine);
    case 'nor_conv_3x3': return new ReLUConvBN(channels, channels, 3, 1, 1, affine);
    case 'avg_pool_3x3': return new Pool('avg', channels, 1, false);
  }
}

/** The benchmark's residual reduction block: ReLU-conv3×3(stride 2)-BN, ReLU-conv3×3-BN, plus avgpool2 → conv1×1. */
export class ResidualReduction extends Layer {
  readonly convA: ReLUConvBN; readonly convB: ReLUConvBN; readonly down: Conv2d;
  constructor(cin: number, cout: number) {
    super();
    this.convA = this.child('conv_a', new ReLUConvBN(cin, cout, 3, 2, 1, true));
    this.convB = this.child('conv_b', new ReLUConvBN(cout, cout, 3, 1, 1, true));
    this.down = this.child('downsample', new Conv2d(cin, cout, 1, { bias: false }));
  }
  forward(x: Tensor): Tensor {
    const b = pipe(x, (t) => this.convA.forward(t), (t) => this.convB.forward(t));
    const r = pipe(x, (t) => F.avgPool2d(t, 2, { stride: 2 }), (t) => this.down.forward(t));
    const y = b.add(r);
    b.dispose(); r.dispose();
    return y;
  }
}

/** An edge of the search cell: all 5 ops, indexed like NB201_OPS (null for `none`). */
export class Nb201MixedOp extends MixedEdge {
  readonly ops: (Layer | null)[];
  constructor(channels: number) {
    super();
    this.ops = NB201_OPS.map((op) => (op === 'none' ? null : this.child(op, nb201Op(op, channels, false))));
  }
}

/**
 * Sums each node's incoming edge outputs; a node with no computed input is zeros. `edge(e, x, acc)`
 * adds edge e's output for input x to acc (null: nothing yet). Returns node 3; frees nodes 1, 2.
 */
function runCell(x: Tensor, edge: (e: number, x: Tensor, acc: Tensor | null) => Tensor | null): Tensor {
  const nodes: Tensor[] = [x];
  let e = 0;
  for (let node = 1; node < NB201_NODES; node++) {
    let acc: Tensor | null = null;
    for (let input = 0; input < node; input++) acc = edge(e++, nodes[input] as Tensor, acc);
    nodes.push(acc ?? x.mul(0));
  }
  for (let i = 1; i < nodes.length - 1; i++) (nodes[i] as Tensor).dispose();
  return nodes[nodes.length - 1] as Tensor;
}

export class Nb201SearchCell extends Module {
  readonly edges: Nb201MixedOp[];
  constructor(readonly channels: number) {
    super();
    this.edges = NB201_EDGES.map((_, e) => this.child(`edge${e}`, new Nb201MixedOp(channels)));
  }
  forward(x: Tensor, weights: readonly (readonly Tensor[])[], active: readonly ArrayLike<number>[]): Tensor {
    return runCell(x, (e, h, acc) => (this.edges[e] as Nb201MixedOp).accumulate(acc, h, weights[e] as Tensor[], active[e] as ArrayLike<number>));
  }
}

class FixedEdge extends Module {
  constructor(name: string, readonly op: Layer) { super(); this.child(name, op); }
}

/** A fixed cell: one op per edge, named like the supernet's (edge{e}.{op}) so weights load across. */
export class Nb201FixedCell extends Module {
  readonly ops: (Layer | null)[];
  constructor(readonly cell: Nb201Cell, channels: number, affine: boolean) {
    super();
    this.ops = cell.map((op, e) => {
      if (op === 'none') return null;
      return this.child(`edge${e}`, new FixedEdge(op, nb201Op(op, channels, affine))).op;
    });
  }
  forward(x: Tensor): Tensor {
    return runCell(x, (e, h, acc) => {
      const op = this.ops[e];
      if (!op) return acc;
      const y = op.forward(h);
      if (acc === null) return y === h ? h.mul(1) : y;
      const s = acc.add(y);
      acc.dispose();
      if (y !== h) y.dispose();
      return s;
    });
  }
}

/** The skeleton shared by the supernet and a fixed network; `cell(stage, channels)` builds a cell. */
abstract class Nb201Skeleton<CellT extends Module> extends Layer {
  readonly stem: Conv2d;
  readonly stemBn: BatchNorm2d;
  /** In forward order: cells, with a ResidualReduction before stages 2 and 3. */
  readonly blocks: (CellT | ResidualReduction)[] = [];
  readonly lastBn: BatchNorm2d;
  readonly classifier: Linear;

  constructor(readonly options: Nb201NetOptions, cell: (channels: number) => CellT) {
    super();
    const C = options.channels;
    this.stem = this.child('stem', new Conv2d(options.inChannels ?? 3, C, 3, { padding: 1, bias: false }));
    this.stemBn = this.child('stem_bn', new BatchNorm2d(C));
    let c = C;
    let i = 0;
    for (let stage = 0; stage < 3; stage++) {
      if (stage > 0) {
        this.blocks.push(this.child(`block${i++}`, new ResidualReduction(c, 2 * c)));
        c *= 2;
      }
      for (let n = 0; n < options.cellsPerStage; n++) this.blocks.push(this.child(`block${i++}`, cell(c)));
    }
    this.lastBn = this.child('last_bn', new BatchNorm2d(c));
    this.classifier = this.child('classifier', new Linear(c, options.classes));
  }

  protected run(x: Tensor, cellForward: (cell: CellT, h: Tensor) => Tensor): Tensor {
    let h = pipe(x, (t) => this.stem.forward(t), (t) => this.stemBn.forward(t));
    for (const b of this.blocks) {
      const next = b instanceof ResidualReduction ? b.forward(h) : cellForward(b, h);
      h.dispose();
      h = next;
    }
    const logits = pipe(h, (t) => this.lastBn.forward(t), (t) => F.relu(t), (t) => F.adaptiveAvgPool2d(t, 1), (t) => t.flatten(1), (t) => this.classifier.forward(t));
    h.dispose();
    return logits;
  }
}

/** Large negative logit: exp() of it is exactly 0 in float32, without the NaNs of -inf rows. */
const MASKED_LOGIT = -1e30;

export class Nb201Supernet extends Nb201Skeleton<Nb201SearchCell> {
  readonly alpha: Tensor;
  /** 1 = op alive, 0 = pruned; rows are edges (arch-string order), columns NB201_OPS. */
  mask: Uint8Array[] = Array.from({ length: NB201_NUM_EDGES }, () => new Uint8Array(NB201_NUM_OPS).fill(1));
  private maskTensor: Tensor | null = null;

  constructor(options: Nb201NetOptions) {
    super(options, (c) => new Nb201SearchCell(c));
    // DARTS' α initialisation: 1e-3 · N(0, 1).
    const r = randn([NB201_NUM_EDGES, NB201_NUM_OPS]);
    this.alpha = r.mul(1e-3).keep().requiresGrad_();
    r.dispose();
  }

  archParameters(): Tensor[] { return [this.alpha]; }

  cells(): Nb201SearchCell[] { return this.blocks.filter((b): b is Nb201SearchCell => b instanceof Nb201SearchCell); }

  setMask(mask: readonly ArrayLike<number>[]): void {
    this.mask = mask.map((row) => Uint8Array.from(row));
    this.maskTensor?.dispose();
    const pruned = this.mask.flatMap((row) => Array.from(row, (v) => (v ? 0 : 1)));
    this.maskTensor = pruned.some((v) => v) ? tensor(pruned, [NB201_NUM_EDGES, NB201_NUM_OPS], { dtype: 'bool' }).keep() : null;
  }

  /** Softmax over the surviving ops of each edge. */
  edgeWeights(detachAlpha = false): Tensor {
    const a = detachAlpha ? this.alpha.detach() : this.alpha;
    return (this.maskTensor ? a.maskedFill(this.maskTensor, MASKED_LOGIT) : a).softmax(-1);
  }

  /** detachAlpha: treat α as constants (the weight step needs no α graph). */
  forward(x: Tensor, detachAlpha = false): Tensor {
    const w = this.edgeWeights(detachAlpha);
    const rows = (call('aten::unbind.int', [w, 0]) as Tensor[]).map((row) => call('aten::unbind.int', [row, 0]) as Tensor[]);
    w.dispose();
    const out = this.run(x, (cell, h) => cell.forward(h, rows, this.mask));
    for (const t of rows.flat()) t.dispose();
    return out;
  }

  alphaValues(): number[][] {
    const flat = noGrad(() => this.alpha.toNumbers());
    return Array.from({ length: NB201_NUM_EDGES }, (_, e) => flat.slice(e * NB201_NUM_OPS, (e + 1) * NB201_NUM_OPS));
  }

  /** The cell derived now (each edge's argmax over its surviving ops, `none` included). */
  derive(): Nb201Cell { return deriveNb201Cell(this.alphaValues(), this.mask); }

  override dispose(): void {
    super.dispose();
    this.alpha.dispose();
    this.maskTensor?.dispose();
  }
}

/** A network of one fixed cell (in every position), for checking the supernet against. */
export class Nb201Network extends Nb201Skeleton<Nb201FixedCell> {
  constructor(readonly cell: Nb201Cell, options: Nb201NetOptions & { affine?: boolean }) {
    super(options, (c) => new Nb201FixedCell(cell, c, options.affine ?? true));
  }
  forward(x: Tensor): Tensor { return this.run(x, (cell, h) => cell.forward(h)); }
}

/**
 * The benchmark's DARTS derivation: every edge takes its argmax op, `none` included (ties go to
 * the earlier op); only surviving ops compete, and an edge with none left is `none`.
 */
export function deriveNb201Cell(alpha: readonly (readonly number[])[], mask?: readonly ArrayLike<number>[]): Nb201Cell {
  if (alpha.length !== NB201_NUM_EDGES || alpha.some((r) => r.length !== NB201_NUM_OPS)) {
    throw new RangeError(`NAS-Bench-201 α must be ${NB201_NUM_EDGES} × ${NB201_NUM_OPS}`);
  }
  return alpha.map((row, e) => {
    let best = -1;
    row.forEach((v, i) => { if ((!mask || mask[e]?.[i]) && (best < 0 || v > (row[best] as number))) best = i; });
    return best < 0 ? 'none' : NB201_OPS[best] as Nb201Op;
  });
}

/** Mean over edges of the entropy of the surviving ops' softmax (ln 5 = 1.609 at the start). */
export function nb201AlphaEntropy(alpha: readonly (readonly number[])[], mask?: readonly ArrayLike<number>[]): number {
  let total = 0;
  let edges = 0;
  alpha.forEach((row, e) => {
    const alive = row.map((_, i) => (mask ? Boolean(mask[e]?.[i]) : true));
    if (!alive.some(Boolean)) return;
    const max = Math.max(...row.filter((_, i) => alive[i]));
    const ex = row.map((v, i) => (alive[i] ? Math.exp(v - max) : 0));
    const z = ex.reduce((a, b) => a + b, 0);
    total += ex.reduce((h, v) => (v > 0 ? h - (v / z) * Math.log(v / z) : h), 0);
    edges++;
  });
  return edges === 0 ? 0 : total / edges;
}

export const nb201ArchOf = (alpha: readonly (readonly number[])[], mask?: readonly ArrayLike<number>[]): string => formatArch(deriveNb201Cell(alpha, mask));
