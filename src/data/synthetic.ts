// A seeded stand-in dataset for tests and smoke runs. Each class has a fixed prototype
// (a coloured background, an oriented grating and two blobs); samples are the prototype
// shifted by a couple of pixels, rescaled in contrast and with Gaussian noise, so a small
// conv net (or even nearest-centroid) learns it well above chance, but not trivially.

import { constants } from 'node:buffer';
import { ConfigError } from '../errors.js';
import { Rng } from '../util/rng.js';
import type { ImageSet, LoadedDataset } from './types.js';

export interface SyntheticOptions {
  trainSize?: number;
  testSize?: number;
  channels?: number;
  height?: number;
  width?: number;
  classes?: number;
  seed?: number;
  /** Std of the per-pixel Gaussian noise, in 0..255 pixel units. */
  noise?: number;
  /** Largest random translation, in pixels. */
  maxShift?: number;
}

export class SyntheticDataset implements LoadedDataset {
  readonly name = 'synthetic';
  readonly train: ImageSet;
  readonly test: ImageSet;
  readonly mean: readonly number[];
  readonly std: readonly number[];

  constructor(opts: SyntheticOptions = {}) {
    const o = {
      trainSize: 2000, testSize: 500, channels: 3, height: 32, width: 32, classes: 10,
      seed: 0, noise: 24, maxShift: 2, ...opts,
    };
    for (const k of ['trainSize', 'testSize', 'channels', 'height', 'width', 'classes', 'maxShift'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 0) throw new ConfigError(`synthetic dataset: ${k} must be a non-negative integer, got ${o[k]}`, k);
    }
    if (o.classes < 1 || o.classes > 256) throw new ConfigError(`synthetic dataset: classes must be in 1..256, got ${o.classes}`, 'classes');
    if (o.channels < 1 || o.height < 1 || o.width < 1) throw new ConfigError('synthetic dataset: channels, height and width must be at least 1', 'shape');
    const max = maxSyntheticImages(o.channels, o.height, o.width);
    for (const k of ['trainSize', 'testSize'] as const) {
      if (o[k] > max) throw new ConfigError(`synthetic dataset: ${k} ${o[k]} is too large; at most ${max.toLocaleString('en-US')} images of ${o.channels}×${o.height}×${o.width} bytes fit in one array`, k);
    }
    const rng = new Rng(o.seed);
    const protos = Array.from({ length: o.classes }, () => prototype(rng.fork(), o.channels, o.height, o.width));
    this.train = sample(rng.fork(), protos, o.trainSize, o);
    this.test = sample(rng.fork(), protos, o.testSize, o);
    [this.mean, this.std] = channelStats(this.train);
  }
}

/** The most c×h×w-byte images a synthetic set can hold: its images are one Uint8Array, whose length is limited. */
export function maxSyntheticImages(channels = 3, height = 32, width = 32): number {
  return Math.floor(constants.MAX_LENGTH / (channels * height * width));
}

function prototype(rng: Rng, c: number, h: number, w: number): Float32Array {
  const p = new Float32Array(c * h * w);
  const theta = rng.next() * Math.PI;
  const freq = (1 + rng.next() * 2.5) * 2 * Math.PI;
  const phase = rng.next() * 2 * Math.PI;
  const blobs = [0, 1].map(() => ({ y: rng.next() * h, x: rng.next() * w, s: rng.next() < 0.5 ? -1 : 1, r: 0.12 * Math.max(h, w) }));
  for (let ch = 0; ch < c; ch++) {
    const base = 128 + (rng.next() - 0.5) * 80;
    const gain = 25 + rng.next() * 35;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const u = (Math.cos(theta) * x) / w + (Math.sin(theta) * y) / h;
        let v = base + gain * Math.sin(freq * u + phase);
        for (const b of blobs) {
          const d2 = (y - b.y) ** 2 + (x - b.x) ** 2;
          v += b.s * 60 * Math.exp(-d2 / (2 * b.r * b.r));
        }
        p[(ch * h + y) * w + x] = v;
      }
    }
  }
  return p;
}

function sample(
  rng: Rng,
  protos: Float32Array[],
  n: number,
  o: { channels: number; height: number; width: number; classes: number; noise: number; maxShift: number },
): ImageSet {
  const { channels: c, height: h, width: w, classes } = o;
  const plane = h * w;
  const images = new Uint8Array(n * c * plane);
  const labels = new Uint8Array(n);
  // Balanced classes in a random order.
  const order = rng.permutation(n);
  for (let i = 0; i < n; i++) {
    const label = (order[i] as number) % classes;
    labels[i] = label;
    const proto = protos[label] as Float32Array;
    const span = 2 * o.maxShift + 1;
    const dy = rng.int(span) - o.maxShift;
    const dx = rng.int(span) - o.maxShift;
    const contrast = 0.8 + 0.4 * rng.next();
    const out = i * c * plane;
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < h; y++) {
        const sy = Math.min(h - 1, Math.max(0, y + dy));
        for (let x = 0; x < w; x++) {
          const sx = Math.min(w - 1, Math.max(0, x + dx));
          const v = 128 + contrast * ((proto[ch * plane + sy * w + sx] as number) - 128) + o.noise * approxNormal(rng);
          images[out + ch * plane + y * w + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
        }
      }
    }
  }
  return { images, labels, n, channels: c, height: h, width: w, classes };
}

/**
 * A cheap near-Gaussian (sum of the four bytes of one 32-bit draw, standardised): one RNG
 * call per pixel instead of Box-Muller's two plus transcendental functions.
 */
function approxNormal(rng: Rng): number {
  const u = rng.nextUint32();
  return ((u & 255) + ((u >>> 8) & 255) + ((u >>> 16) & 255) + (u >>> 24) - 510) / 147.8;
}

/** Per-channel mean and std of [0,1] pixels. */
export function channelStats(set: ImageSet): [number[], number[]] {
  const plane = set.height * set.width;
  const mean: number[] = [];
  const std: number[] = [];
  for (let ch = 0; ch < set.channels; ch++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < set.n; i++) {
      const off = (i * set.channels + ch) * plane;
      for (let j = 0; j < plane; j++) {
        const v = set.images[off + j] as number;
        s += v;
        s2 += v * v;
      }
    }
    const m = set.n * plane;
    const mu = m > 0 ? s / m : 0;
    const variance = m > 0 ? s2 / m - mu * mu : 0;
    mean.push(mu / 255);
    // Guard against a zero std (constant images) which would divide by zero when normalising.
    std.push(Math.max(Math.sqrt(Math.max(variance, 0)) / 255, 1e-3));
  }
  return [mean, std];
}
