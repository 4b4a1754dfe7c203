// A DARTS edge: the softmax-weighted sum of all candidate ops. Ops whose weight is masked to
// exactly zero are not computed at all, and neither is `none` (its output is zero, so skipping
// it leaves every gradient exact: α_none still gets its gradient through the softmax).
import { Layer, Module } from '../../nn/module.js';
import * as F from '../../tensor/functional.js';
import { callT, type Tensor } from '../../tensor/tensor.js';
import { OPS, ReluFirst } from './ops.js';
import { PRIMITIVES } from './primitives.js';

/** A weighted sum over candidate ops; subclasses fill `ops` (null for `none`, which is never computed). */
export abstract class MixedEdge extends Module {
  abstract readonly ops: readonly (Layer | null)[];

  /**
   * acc + Σ_i w_i·op_i(x) over the active ops, or acc unchanged when no computed op is active.
   * `weights[i]` is the 0-d softmax weight of op i; `active[i]` says whether op i survives.
   */
  accumulate(acc: Tensor | null, x: Tensor, weights: readonly Tensor[], active: ArrayLike<number>): Tensor | null {
    let xRelu: Tensor | null = null;
    for (let i = 0; i < this.ops.length; i++) {
      const op = this.ops[i];
      if (!active[i] || !op) continue;
      let y: Tensor;
      if (op instanceof ReluFirst) {
        xRelu ??= F.relu(x);
        y = op.forwardActivated(xRelu);
      } else {
        y = op.forward(x);
      }
      const w = weights[i] as Tensor;
      const next = acc === null ? y.mul(w) : callT('aten::addcmul', [acc, y, w, 1]);
      // Early frees (see pipe()): y and the previous sum are dead unless autograd saved them.
      if (y !== x) y.dispose();
      acc?.dispose();
      acc = next;
    }
    xRelu?.dispose();
    return acc;
  }
}

export class MixedOp extends MixedEdge {
  /** Indexed like PRIMITIVES; null for `none`. */
  readonly ops: (Layer | null)[];

  constructor(readonly channels: number, readonly stride: number) {
    super();
    this.ops = PRIMITIVES.map((p) => (p === 'none' ? null : this.child(p, OPS[p]({ channels, stride, affine: false, search: true }))));
  }
}
