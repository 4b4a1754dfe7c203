// A cell of the search network: two preprocessed inputs, four intermediate nodes each summing
// a MixedOp over every earlier node, output = concatenation of the intermediate nodes.
import { Module } from '../../nn/module.js';
import * as F from '../../tensor/functional.js';
import type { Tensor } from '../../tensor/tensor.js';
import { MixedOp } from './mixed-op.js';
import { FactorizedReduce, ReLUConvBN, type ReluFirst } from './ops.js';
import { NUM_INTERMEDIATE_NODES } from './primitives.js';

export class SearchCell extends Module {
  readonly pre0: ReluFirst;
  readonly pre1: ReluFirst;
  readonly edges: MixedOp[] = [];

  constructor(cPrevPrev: number, cPrev: number, readonly channels: number, readonly reduction: boolean, reductionPrev: boolean) {
    super();
    this.pre0 = this.child('pre0', reductionPrev ? new FactorizedReduce(cPrevPrev, channels, false) : new ReLUConvBN(cPrevPrev, channels, 1, 1, 0, false));
    this.pre1 = this.child('pre1', new ReLUConvBN(cPrev, channels, 1, 1, 0, false));
    let e = 0;
    for (let node = 0; node < NUM_INTERMEDIATE_NODES; node++) {
      for (let input = 0; input < 2 + node; input++) {
        const stride = reduction && input < 2 ? 2 : 1;
        this.edges.push(this.child(`edge${e++}`, new MixedOp(channels, stride)));
      }
    }
  }

  /** weights[e][i]: 0-d softmax weight of op i on edge e; active[e][i]: op survives pruning. */
  forward(s0: Tensor, s1: Tensor, weights: readonly (readonly Tensor[])[], active: readonly ArrayLike<number>[]): Tensor {
    const states = [this.pre0.forward(s0), this.pre1.forward(s1)];
    let e = 0;
    for (let node = 0; node < NUM_INTERMEDIATE_NODES; node++) {
      let acc: Tensor | null = null;
      for (const h of states) {
        acc = (this.edges[e] as MixedOp).accumulate(acc, h, weights[e] as Tensor[], active[e] as ArrayLike<number>);
        e++;
      }
      // A node whose surviving inputs are all `none` outputs zeros of the node's shape.
      states.push(acc ?? this.zeroNode(states[1] as Tensor));
    }
    const out = F.cat(states.slice(2), 1);
    for (const t of states) t.dispose();
    return out;
  }

  private zeroNode(s1: Tensor): Tensor {
    const h = s1;
    return this.reduction ? h.slice(2, 0, h.shape[2] as number, 2).slice(3, 0, h.shape[3] as number, 2).mul(0) : h.mul(0);
  }
}
