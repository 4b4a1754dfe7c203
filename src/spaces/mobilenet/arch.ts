// From a genome to concrete widths, strides and feature-map sizes. Everything downstream (the
// built network, analytic FLOPs and parameters, block strings, the dedup key, channel pruning)
// reads this one description, so they cannot disagree about a channel count.

import { type Activation, type MobileNetSpaceConfig, strided } from './config.js';
import { type MobileNetGenome, viewGenome } from './genome.js';

/** timm's make_divisible: nearest multiple of `divisor`, never below it nor 10% below v. */
export function makeDivisible(v: number, divisor = 8, roundLimit = 0.9): number {
  // The epsilon keeps products such as 0.75 * 40 from rounding down through float error.
  const t = Math.floor(v + divisor / 2 + 1e-9);
  let n = Math.max(divisor, t - (t % divisor));
  if (n < roundLimit * v) n += divisor;
  return n;
}

/** Channels left when a fraction `rate` of `full` is pruned (exact for multiples of 8 and rates in eighths). */
export function keptChannels(full: number, rate: number): number {
  return Math.max(1, Math.round(full * (1 - rate)));
}

export interface LayerArch {
  /** Genome label prefix, e.g. `s2_i1`. */
  readonly label: string;
  /** 1-based stage and layer index. */
  readonly stage: number;
  readonly index: number;
  readonly inChannels: number;
  readonly expansion: number;
  /** Expansion width before pruning; the SE width is derived from it, so pruning leaves SE alone. */
  readonly midFull: number;
  readonly prune: number;
  /** Expansion width actually built. */
  readonly mid: number;
  /** Squeeze width, 0 without SE. */
  readonly seChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
  readonly activation: Activation;
  readonly residual: boolean;
  readonly inSize: number;
  readonly outSize: number;
}

export interface MobileNetArch {
  readonly inChannels: number;
  readonly resolution: number;
  readonly widthMult: number;
  readonly stem: { readonly channels: number; readonly stride: number; readonly outSize: number };
  /** Active layers of each stage. */
  readonly stages: readonly (readonly LayerArch[])[];
  readonly layers: readonly LayerArch[];
  readonly head: { readonly inChannels: number; readonly channels: number; readonly size: number };
  readonly features: number;
  readonly classes: number;
  readonly dropout: number;
}

/** The architecture of a genome that has passed validation in this config's space. */
export function resolveArch(genome: MobileNetGenome, config: MobileNetSpaceConfig): MobileNetArch {
  const v = viewGenome(genome);
  const scale = (c: number) => makeDivisible(c * v.widthMult);
  const stemChannels = scale(config.stemChannels);
  const stemSize = strided(config.resolution, config.stemStride);
  let channels = stemChannels;
  let size = stemSize;
  const stages: LayerArch[][] = [];
  v.stages.forEach((st, si) => {
    const out = scale(config.stageChannels[si] as number);
    const activation = config.stageActivations[si] as Activation;
    const layers = st.layers.map((l, li): LayerArch => {
      const stride = li === 0 && st.down ? 2 : 1;
      const midFull = makeDivisible(channels * l.exp);
      const outSize = strided(size, stride);
      const layer: LayerArch = {
        label: l.label, stage: si + 1, index: li + 1, inChannels: channels, expansion: l.exp, midFull, prune: l.prune,
        mid: keptChannels(midFull, l.prune), seChannels: l.se ? makeDivisible(midFull * config.seRatio) : 0,
        outChannels: out, kernel: l.k, stride, activation, residual: stride === 1 && channels === out, inSize: size, outSize,
      };
      channels = out;
      size = outSize;
      return layer;
    });
    stages.push(layers);
  });
  return {
    inChannels: config.inChannels, resolution: config.resolution, widthMult: v.widthMult,
    stem: { channels: stemChannels, stride: config.stemStride, outSize: stemSize },
    stages, layers: stages.flat(),
    head: { inChannels: channels, channels: scale(config.headChannels), size },
    features: config.featureChannels, classes: config.classes, dropout: config.dropout,
  };
}

/**
 * Canonical description: equal strings exactly when the built networks have the same shape
 * (genes of inactive layers, or width multipliers that round to the same widths, do not count).
 */
export function archKey(a: MobileNetArch): string {
  const layers = a.layers.map((l) => `${l.activation === 'relu' ? 'r' : 'h'}${l.kernel}s${l.stride}m${l.mid}q${l.seChannels}o${l.outChannels}`);
  return [`${a.inChannels}@${a.resolution}`, `stem${a.stem.channels}s${a.stem.stride}`, ...layers,
    `head${a.head.channels}`, `f${a.features}`, `c${a.classes}`].join('|');
}
