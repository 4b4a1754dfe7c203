// timm-style block strings for logs and reports, e.g. `ir_r1_k5_s2_e4_c40_se0.25_nre`: one
// string per layer (each layer has its own choices, so repeats are always r1). `nre` marks ReLU
// layers as in timm's MobileNetV3 definitions (hardswish is the default there), and `p0.25`,
// which timm's decoder ignores, records the pruned fraction of the expansion channels.

import type { LayerArch, MobileNetArch } from './arch.js';

export function layerBlockString(l: LayerArch, seRatio: number): string {
  const parts = ['ir', 'r1', `k${l.kernel}`, `s${l.stride}`, `e${l.expansion}`, `c${l.outChannels}`];
  if (l.seChannels > 0) parts.push(`se${seRatio}`);
  if (l.activation === 'relu') parts.push('nre');
  if (l.prune > 0) parts.push(`p${l.prune}`);
  return parts.join('_');
}

/** Block strings per searchable stage (the shape of timm's arch_def). */
export function stageBlockStrings(a: MobileNetArch, seRatio: number): string[][] {
  return a.stages.map((layers) => layers.map((l) => layerBlockString(l, seRatio)));
}

/** Multi-line summary: stem, one line per stage, tail. */
export function formatArch(a: MobileNetArch, seRatio: number): string {
  const lines = [`stem: cn_r1_k3_s${a.stem.stride}_c${a.stem.channels} (width x${a.widthMult}, ${a.resolution}px)`];
  stageBlockStrings(a, seRatio).forEach((blocks, i) => lines.push(`stage ${i + 1}: ${blocks.join(' ')}`));
  const features = a.features > 0 ? ` -> fc${a.features}` : '';
  lines.push(`head: cn_r1_k1_s1_c${a.head.channels} @${a.head.size}x${a.head.size} -> pool${features} -> fc${a.classes}`);
  return lines.join('\n');
}
