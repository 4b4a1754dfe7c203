// What is fixed around the searchable part of MobileNet3-MT: input geometry, the stem, base
// stage widths, activations, the tail, and the choice lists. Two presets: the paper's ImageNet
// setting, and a CIFAR one whose stem does not downsample and whose stages may downsample at
// most 3 times, so a 32x32 input ends at 4x4 instead of vanishing.

import { ConfigError } from '../../errors.js';

/** Searchable stages and the deepest a stage may be; genome labels are fixed by these. */
export const STAGES = 5;
export const MAX_DEPTH = 6;

export type Activation = 'relu' | 'hardswish';

export interface MobileNetChoices {
  readonly widthMults: readonly number[];
  readonly depths: readonly number[];
  readonly expansions: readonly number[];
  readonly kernels: readonly number[];
  /** Fraction of a layer's expansion channels removed. */
  readonly pruneRates: readonly number[];
}

export interface MobileNetSpaceConfig {
  /** Stored in search snapshots: a snapshot of one configuration is not restored into another. */
  readonly name: string;
  readonly inChannels: number;
  readonly classes: number;
  /** Square input side in pixels; FLOPs are counted at this size. */
  readonly resolution: number;
  /** Base widths, scaled by the width multiplier like every other width. */
  readonly stemChannels: number;
  readonly stemStride: 1 | 2;
  readonly stageChannels: readonly number[];
  readonly stageActivations: readonly Activation[];
  /** Stages allowed to downsample (their first layer has stride 2). */
  readonly maxDownsamples: number;
  /** The final feature map must keep at least this side, whatever the stages choose. */
  readonly minFeatureSize: number;
  readonly headChannels: number;
  /** Width of a hardswish Linear between pooling and the classifier (MobileNetV3's 1280); 0 = none. */
  readonly featureChannels: number;
  /** Squeeze width as a fraction of the (unpruned) expansion width. */
  readonly seRatio: number;
  readonly dropout: number;
  readonly choices: MobileNetChoices;
}

const PAPER_CHOICES: MobileNetChoices = {
  widthMults: [0.5, 0.75, 1.0, 1.25],
  depths: [1, 2, 3, 4, 5, 6],
  expansions: [1, 2, 3, 4, 5, 6],
  kernels: [3, 5, 7],
  pruneRates: [0, 0.125, 0.25, 0.375, 0.5],
};

/** MobileNetV3-Large's widths and activations over the paper's five searchable stages. */
export const IMAGENET_CONFIG: MobileNetSpaceConfig = {
  name: 'mobilenet3-mt-imagenet',
  inChannels: 3,
  classes: 1000,
  resolution: 224,
  stemChannels: 16,
  stemStride: 2,
  stageChannels: [24, 40, 80, 112, 160],
  stageActivations: ['relu', 'relu', 'hardswish', 'hardswish', 'hardswish'],
  maxDownsamples: 4,
  minFeatureSize: 2,
  headChannels: 960,
  featureChannels: 1280,
  seRatio: 0.25,
  dropout: 0.2,
  choices: PAPER_CHOICES,
};

/** 32x32 inputs: a 1280-wide feature layer would dominate a small network's parameters on 10 classes. */
export const CIFAR_CONFIG: MobileNetSpaceConfig = {
  ...IMAGENET_CONFIG,
  name: 'mobilenet3-mt-cifar',
  classes: 10,
  resolution: 32,
  stemStride: 1,
  maxDownsamples: 3,
  featureChannels: 0,
  dropout: 0,
};

export type MobileNetPreset = 'imagenet' | 'cifar';

export type MobileNetConfigOverrides = Partial<Omit<MobileNetSpaceConfig, 'choices'>> & { readonly choices?: Partial<MobileNetChoices> };

/** A preset with overrides, checked; every problem is a ConfigError naming the field. */
export function mobilenetConfig(preset: MobileNetPreset = 'imagenet', overrides: MobileNetConfigOverrides = {}): MobileNetSpaceConfig {
  const base = preset === 'cifar' ? CIFAR_CONFIG : IMAGENET_CONFIG;
  const config: MobileNetSpaceConfig = { ...base, ...overrides, choices: { ...base.choices, ...(overrides.choices ?? {}) } };
  return checkConfig(config);
}

/** Side of a square map after a stride-s convolution with 'same' padding on an odd kernel. */
export function strided(size: number, stride: number): number {
  return Math.floor((size - 1) / stride) + 1;
}

export function checkConfig(c: MobileNetSpaceConfig): MobileNetSpaceConfig {
  for (const k of ['inChannels', 'classes', 'resolution', 'stemChannels', 'headChannels', 'minFeatureSize'] as const) int(c[k], k, 1);
  int(c.featureChannels, 'featureChannels', 0);
  int(c.maxDownsamples, 'maxDownsamples', 0);
  if (c.maxDownsamples > STAGES) throw new ConfigError(`maxDownsamples must be at most ${STAGES} (one per stage), got ${c.maxDownsamples}`, 'maxDownsamples');
  if (c.stemStride !== 1 && c.stemStride !== 2) throw new ConfigError(`stemStride must be 1 or 2, got ${String(c.stemStride)}`, 'stemStride');
  if (c.stageChannels.length !== STAGES) throw new ConfigError(`stageChannels needs ${STAGES} base widths, got ${c.stageChannels.length}`, 'stageChannels');
  c.stageChannels.forEach((v, i) => int(v, `stageChannels[${i}]`, 1));
  if (c.stageActivations.length !== STAGES) throw new ConfigError(`stageActivations needs ${STAGES} entries, got ${c.stageActivations.length}`, 'stageActivations');
  c.stageActivations.forEach((a, i) => {
    if (a !== 'relu' && a !== 'hardswish') throw new ConfigError(`stageActivations[${i}] must be 'relu' or 'hardswish', got ${String(a)}`, `stageActivations[${i}]`);
  });
  if (!(c.seRatio > 0 && c.seRatio <= 1)) throw new ConfigError(`seRatio must be in (0, 1], got ${c.seRatio}`, 'seRatio');
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new ConfigError(`dropout must be in [0, 1), got ${c.dropout}`, 'dropout');
  let side = strided(c.resolution, c.stemStride);
  for (let i = 0; i < c.maxDownsamples; i++) side = strided(side, 2);
  if (side < c.minFeatureSize) {
    throw new ConfigError(`a ${c.resolution}px input after a stride-${c.stemStride} stem and ${c.maxDownsamples} downsampling stages ` +
      `ends at ${side}x${side}, below minFeatureSize ${c.minFeatureSize}; lower maxDownsamples or use stemStride 1`, 'maxDownsamples');
  }
  const ch = c.choices;
  list(ch.widthMults, 'choices.widthMults', (v) => v > 0);
  list(ch.depths, 'choices.depths', (v) => Number.isInteger(v) && v >= 1 && v <= MAX_DEPTH);
  list(ch.expansions, 'choices.expansions', (v) => v > 0);
  list(ch.kernels, 'choices.kernels', (v) => Number.isInteger(v) && v % 2 === 1);
  list(ch.pruneRates, 'choices.pruneRates', (v) => v >= 0 && v < 1);
  return c;
}

function int(v: number, path: string, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`${path} must be an integer >= ${min}, got ${v}`, path);
}

function list(values: readonly number[], path: string, ok: (v: number) => boolean): void {
  if (values.length === 0) throw new ConfigError(`${path} must list at least one choice`, path);
  if (new Set(values).size !== values.length) throw new ConfigError(`${path} lists a choice twice`, path);
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !ok(v)) throw new ConfigError(`${path}[${i}] = ${v} is out of range`, `${path}[${i}]`);
  });
}
