// Per-image augmentation fused with normalisation and layout, written straight into the
// batch buffer: one pass over the pixels, a table lookup per pixel. The transforms match
// DARTS' CIFAR pipeline in order and semantics: RandomCrop(size, padding=p) with zero
// padding, RandomHorizontalFlip, ToTensor, Normalize, then Cutout(L) which zeroes an LxL
// square (clipped at the border) of the *normalised* image around a uniform centre.

import { ConfigError } from '../errors.js';
import type { Rng } from '../util/rng.js';

export type Layout = 'nchw' | 'nhwc';

export interface AugmentOptions {
  /** Random crop back to the original size after zero padding by this many pixels; 0 = off. */
  padding?: number;
  /** Random horizontal flip with probability 1/2. */
  flip?: boolean;
  /** Cutout square side length; 0 = off. */
  cutout?: number;
}

/** DARTS' CIFAR training augmentation (cutout is a separate DARTS flag, off by default there). */
export const CIFAR_AUGMENT: Readonly<Required<AugmentOptions>> = { padding: 4, flip: true, cutout: 0 };

/** The random choices for one image. */
export interface AugDraw {
  oy: number;
  ox: number;
  flip: boolean;
  cy: number;
  cx: number;
}

export interface ImageGeometry {
  channels: number;
  height: number;
  width: number;
}

export function checkAugment(a: AugmentOptions): Required<AugmentOptions> {
  const r = { padding: a.padding ?? 0, flip: a.flip ?? false, cutout: a.cutout ?? 0 };
  if (!Number.isInteger(r.padding) || r.padding < 0) throw new ConfigError(`crop padding must be a non-negative integer, got ${r.padding}`, 'augment.padding');
  if (!Number.isInteger(r.cutout) || r.cutout < 0) throw new ConfigError(`cutout length must be a non-negative integer, got ${r.cutout}`, 'augment.cutout');
  return r;
}

/** Draws the choices in a fixed order so a restored RNG state replays them exactly. */
export function drawAug(rng: Rng, a: Required<AugmentOptions>, g: ImageGeometry, out: AugDraw): AugDraw {
  out.oy = a.padding > 0 ? rng.int(2 * a.padding + 1) : 0;
  out.ox = a.padding > 0 ? rng.int(2 * a.padding + 1) : 0;
  out.flip = a.flip ? rng.next() < 0.5 : false;
  out.cy = a.cutout > 0 ? rng.int(g.height) : -1;
  out.cx = a.cutout > 0 ? rng.int(g.width) : -1;
  return out;
}

export const NO_AUG: Readonly<AugDraw> = { oy: 0, ox: 0, flip: false, cy: -1, cx: -1 };

/** lut[c*256 + v] = (v/255 - mean[c]) / std[c]. */
export function normalisationTable(mean: readonly number[], std: readonly number[], channels: number): Float32Array {
  if (mean.length !== channels || std.length !== channels) {
    throw new ConfigError(`normalisation needs ${channels} mean and std values, got ${mean.length} and ${std.length}`, 'data.mean');
  }
  const lut = new Float32Array(channels * 256);
  for (let c = 0; c < channels; c++) {
    const m = mean[c] as number;
    const s = std[c] as number;
    if (!(s > 0) || !Number.isFinite(m)) throw new ConfigError(`normalisation std must be > 0 and mean finite, got mean ${m} std ${s}`, 'data.std');
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255 - m) / s;
  }
  return lut;
}

/**
 * Writes image `src[srcOff ..]` (CHW bytes) into `out` as batch item `b`, cropped at offset
 * (oy-padding, ox-padding), optionally flipped, normalised via `lut`, then cut out.
 */
export function writeImage(
  src: Uint8Array, srcOff: number, g: ImageGeometry, padding: number, cutout: number,
  d: Readonly<AugDraw>, lut: Float32Array, out: Float32Array, b: number, layout: Layout,
): void {
  const { channels: C, height: H, width: W } = g;
  const plane = H * W;
  const base = b * C * plane;
  const y0 = d.oy - padding;
  const x0 = d.ox - padding;
  // Output column x reads source column sx = sxA + sxB*x.
  const sxA = d.flip ? W - 1 + x0 : x0;
  const sxB = d.flip ? -1 : 1;
  for (let c = 0; c < C; c++) {
    const lo = c * 256;
    const zero = lut[lo] as number; // a padded (black) pixel, after normalisation
    const cs = srcOff + c * plane;
    const stride = layout === 'nchw' ? 1 : C;
    for (let y = 0; y < H; y++) {
      const sy = y + y0;
      let o = layout === 'nchw' ? base + c * plane + y * W : base + y * W * C + c;
      if (sy < 0 || sy >= H) {
        for (let x = 0; x < W; x++, o += stride) out[o] = zero;
        continue;
      }
      const row = cs + sy * W;
      for (let x = 0; x < W; x++, o += stride) {
        const sx = sxA + sxB * x;
        out[o] = sx >= 0 && sx < W ? (lut[lo + (src[row + sx] as number)] as number) : zero;
      }
    }
  }
  if (cutout > 0 && d.cy >= 0) {
    const half = Math.floor(cutout / 2);
    const ya = Math.max(0, d.cy - half), yb = Math.min(H, d.cy + half);
    const xa = Math.max(0, d.cx - half), xb = Math.min(W, d.cx + half);
    for (let c = 0; c < C; c++) {
      for (let y = ya; y < yb; y++) {
        for (let x = xa; x < xb; x++) {
          out[layout === 'nchw' ? base + c * plane + y * W + x : base + (y * W + x) * C + c] = 0;
        }
      }
    }
  }
}
