// Which channels of a group to keep: the ones with the largest L1 norm. `l1` scores the root
// layer's filters only (filter-norm pruning as in Li et al. and EagleEye); `l1-group` sums, per
// channel, the L1 norms of every scored member (expand filter, depthwise filter, projection
// column), as Torch-Pruning's group magnitude importance does.

import type { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { LnasError } from '../../errors.js';
import type { ChannelGroup, MemberKind } from './groups.js';

export type ImportanceKind = 'l1' | 'l1-group';

const CHANNEL_DIM: Record<MemberKind, number> = { 'conv-out': 0, depthwise: 0, 'conv-in': 1, bn: 0 };

/** Per-channel L1 norm of a weight along its channel dim `dim`. */
export function channelL1(weight: Tensor, dim: number): Float64Array {
  return noGrad(() => scope(() => {
    const others = weight.shape.map((_, i) => i).filter((i) => i !== dim);
    return Float64Array.from(weight.abs().sum(others).to('float64').toArray() as Float64Array);
  }));
}

/** Importance of each channel of `group`; `weights` maps `<module path>.weight` to tensors. */
export function channelImportance(weights: ReadonlyMap<string, Tensor>, group: ChannelGroup, kind: ImportanceKind = 'l1'): Float64Array {
  const scores = new Float64Array(group.channels);
  for (const m of group.members) {
    if (kind === 'l1' ? m.path !== group.root : !m.scored) continue;
    const w = weights.get(`${m.path}.weight`);
    if (!w) throw new LnasError('LNAS_PRUNE_GROUP', `group ${group.label}: no weight at '${m.path}.weight'`, { path: m.path });
    const s = channelL1(w, CHANNEL_DIM[m.kind]);
    if (s.length !== group.channels) {
      throw new LnasError('LNAS_PRUNE_GROUP', `group ${group.label}: '${m.path}' has ${s.length} channels, the group ${group.channels}`, { path: m.path });
    }
    for (let c = 0; c < s.length; c++) scores[c] = (scores[c] as number) + (s[c] as number);
  }
  return scores;
}

/** The `keep` highest-scoring channels in ascending index order (ties go to the lower index). */
export function keepIndices(scores: ArrayLike<number>, keep: number): number[] {
  if (!Number.isInteger(keep) || keep < 1 || keep > scores.length) {
    throw new LnasError('LNAS_PRUNE_GROUP', `cannot keep ${keep} of ${scores.length} channels`);
  }
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  return order.slice(0, keep).sort((a, b) => a - b);
}
