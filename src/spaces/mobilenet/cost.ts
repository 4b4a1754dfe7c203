// Analytic multiply-accumulates and parameters of an architecture. They count exactly what
// nn/macs.ts counts on the built network (every Conv2d/Linear weight times its output positions;
// BN, activations, pooling and the SE product are free) and what parameterCount() sums, and the
// tests hold them to equality on random genomes.

import type { LayerArch, MobileNetArch } from './arch.js';

const sq = (n: number): number => n * n;

/** MACs of one inverted-residual layer for one input image. */
export function layerMacs(l: LayerArch): number {
  const expand = sq(l.inSize) * l.mid * l.inChannels;
  const depthwise = sq(l.outSize) * l.mid * sq(l.kernel);
  // The SE convolutions run on the pooled 1x1 map.
  const se = 2 * l.mid * l.seChannels;
  const project = sq(l.outSize) * l.outChannels * l.mid;
  return expand + depthwise + se + project;
}

export function layerParams(l: LayerArch): number {
  const bn = (c: number) => 2 * c;
  const expand = l.mid * l.inChannels + bn(l.mid);
  const depthwise = l.mid * sq(l.kernel) + bn(l.mid);
  const se = l.seChannels > 0 ? l.seChannels * l.mid + l.seChannels + l.mid * l.seChannels + l.mid : 0;
  const project = l.outChannels * l.mid + bn(l.outChannels);
  return expand + depthwise + se + project;
}

/** MACs per image (the "FLOPs" of the MobileNet literature). */
export function archMacs(a: MobileNetArch): number {
  let n = sq(a.stem.outSize) * a.stem.channels * a.inChannels * 9;
  for (const l of a.layers) n += layerMacs(l);
  n += sq(a.head.size) * a.head.channels * a.head.inChannels;
  const pooled = a.features > 0 ? a.features : a.head.channels;
  if (a.features > 0) n += a.head.channels * a.features;
  return n + pooled * a.classes;
}

export function archParams(a: MobileNetArch): number {
  let n = a.stem.channels * a.inChannels * 9 + 2 * a.stem.channels;
  for (const l of a.layers) n += layerParams(l);
  n += a.head.channels * a.head.inChannels + 2 * a.head.channels;
  const pooled = a.features > 0 ? a.features : a.head.channels;
  if (a.features > 0) n += a.head.channels * a.features + a.features;
  return n + pooled * a.classes + a.classes;
}
