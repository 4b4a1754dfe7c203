// Per-layer-type cutting: given the kept channel indices of each group, the sliced copy of
// every tensor a group member owns. Tensors outside every group pass through as they are.

import { LnasError } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ChannelGroup, MemberKind } from './groups.js';

/** Which tensors of a member are cut, and along which dim. */
const CUTS: Record<MemberKind, Readonly<Record<string, number>>> = {
  'conv-out': { weight: 0, bias: 0 },
  'conv-in': { weight: 1 },
  depthwise: { weight: 0 },
  bn: { weight: 0, bias: 0, running_mean: 0, running_var: 0 },
};

/**
 * A new state dict: entries of group members are index_select'ed copies (created in the
 * caller's scope), all others are the source tensors themselves. `keep` maps group labels to
 * int64 index tensors; groups absent from it are left whole.
 */
export function cutState(state: ReadonlyMap<string, Tensor>, groups: readonly ChannelGroup[], keep: ReadonlyMap<string, Tensor>): Map<string, Tensor> {
  const owner = new Map<string, { kind: MemberKind; index: Tensor }>();
  for (const g of groups) {
    const index = keep.get(g.label);
    if (index) for (const m of g.members) owner.set(m.path, { kind: m.kind, index });
  }
  const out = new Map<string, Tensor>();
  const cutPaths = new Set<string>();
  for (const [name, t] of state) {
    const dot = name.lastIndexOf('.');
    const path = name.slice(0, dot);
    const o = owner.get(path);
    const dim = o ? CUTS[o.kind][name.slice(dot + 1)] : undefined;
    if (o && dim !== undefined) cutPaths.add(path);
    out.set(name, o && dim !== undefined ? t.indexSelect(dim, o.index) : t);
  }
  for (const path of owner.keys()) {
    if (!cutPaths.has(path)) throw new LnasError('LNAS_PRUNE_GROUP', `group member '${path}' has no tensors in the state dict`, { path });
  }
  return out;
}
