// Index splits of a training set. Splits are index arrays (not copies of the pixels) so
// that both halves share one ImageSet and the Batcher reads them in place.

import { ConfigError } from '../errors.js';
import { Rng } from '../util/rng.js';
import type { ImageSet } from './types.js';

export interface IndexSplit {
  train: Int32Array;
  val: Int32Array;
}

export interface DartsSplitOptions {
  /** Fraction of the set used for the weights; DARTS' `train_portion`, 0.5. */
  portion?: number;
  /**
   * 'permuted' (default): first/second part of a seeded permutation.
   * 'ordered': first/second part of the file order, as the DARTS reference code does
   * (CIFAR files are already in random order, so both are fair).
   */
  mode?: 'permuted' | 'ordered';
}

/** DARTS' search split: weights train on one part, architecture parameters on the other. */
export function dartsSplit(n: number, seed: number, opts: DartsSplitOptions = {}): IndexSplit {
  const portion = opts.portion ?? 0.5;
  if (!(portion > 0 && portion < 1)) throw new ConfigError(`search split portion must be strictly between 0 and 1, got ${portion}`, 'data.trainPortion');
  checkN(n);
  const order = (opts.mode ?? 'permuted') === 'permuted' ? new Rng(seed).permutation(n) : identity(n);
  const cut = Math.floor(portion * n);
  if (cut === 0 || cut === n) throw new ConfigError(`search split of ${n} images with portion ${portion} leaves one side empty`, 'data.trainPortion');
  return { train: order.slice(0, cut), val: order.slice(cut) };
}

/**
 * Holds out `valSize` images (a seeded random choice) for validation while retraining;
 * the rest is for training. `valSize` 0 gives an empty validation set.
 */
export function holdoutSplit(n: number, valSize: number, seed: number): IndexSplit {
  checkN(n);
  if (!Number.isInteger(valSize) || valSize < 0 || valSize >= n) {
    throw new ConfigError(`validation size must be an integer in 0..${n - 1} for a training set of ${n} images, got ${valSize}`, 'data.valSize');
  }
  const perm = new Rng(seed).permutation(n);
  // Sorted so training reads memory in order when not shuffling (e.g. evaluation passes).
  return { train: perm.slice(valSize).sort(), val: perm.slice(0, valSize).sort() };
}

/** All indices 0..n-1. */
export function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** A copy of the selected images as a standalone set. */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.channels * set.height * set.width;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i] as number;
    if (!(j >= 0 && j < set.n)) throw new RangeError(`subset: index ${j} outside 0..${set.n - 1}`);
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j] as number;
  }
  return { ...set, images, labels, n: indices.length };
}

function checkN(n: number): void {
  if (!Number.isInteger(n) || n < 2) throw new ConfigError(`cannot split a set of ${n} images`, 'data');
}
