// Dependency groups (Torch-Pruning's term): the tensors whose channel dimension must be cut
// together for a network to stay consistent. In MobileNet3-MT only the expansion channels of
// each inverted residual are pruned, as the paper's "pruning rate of the expansion channels"
// says. Block outputs are never cut: they feed residual sums, the next block and the head, so
// one cut would couple a whole stage; keeping them fixed keeps every group inside one block.
//
// An expansion group runs: expand conv (out) -> its BN -> depthwise conv (channel = group) ->
// its BN -> SE reduce conv (in) / SE expand conv (out) -> projection conv (in).

import type { MobileNetNetwork } from '../../spaces/mobilenet/network.js';

/**
 * How a member's tensors are cut: `conv-out` weight and bias on dim 0; `conv-in` weight on
 * dim 1; `depthwise` weight on dim 0 (its groups shrink with it); `bn` affine parameters and
 * running statistics on dim 0.
 */
export type MemberKind = 'conv-out' | 'conv-in' | 'depthwise' | 'bn';

export interface GroupMember {
  /** Module path in the network, e.g. `stages.1.0.expand.conv`. */
  readonly path: string;
  readonly kind: MemberKind;
  /** Counts toward group importance (the main path; the SE gate's weights are on another scale). */
  readonly scored: boolean;
}

export interface ChannelGroup {
  /** Genome layer label, e.g. `s2_i1`. */
  readonly label: string;
  readonly channels: number;
  /** The layer whose output channels the group is named after (the expansion conv). */
  readonly root: string;
  readonly members: readonly GroupMember[];
}

export const blockPath = (stage: number, index: number): string => `stages.${stage - 1}.${index - 1}`;

export function mobilenetChannelGroups(model: MobileNetNetwork): ChannelGroup[] {
  return model.arch.layers.map((l) => {
    const p = blockPath(l.stage, l.index);
    const members: GroupMember[] = [
      { path: `${p}.expand.conv`, kind: 'conv-out', scored: true },
      { path: `${p}.expand.bn`, kind: 'bn', scored: false },
      { path: `${p}.depthwise.conv`, kind: 'depthwise', scored: true },
      { path: `${p}.depthwise.bn`, kind: 'bn', scored: false },
    ];
    if (l.seChannels > 0) {
      members.push({ path: `${p}.se.reduce`, kind: 'conv-in', scored: false }, { path: `${p}.se.expand`, kind: 'conv-out', scored: false });
    }
    members.push({ path: `${p}.project.conv`, kind: 'conv-in', scored: true });
    return { label: l.label, channels: l.mid, root: `${p}.expand.conv`, members };
  });
}
