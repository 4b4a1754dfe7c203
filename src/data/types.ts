// The in-memory form every reader produces. Pixels stay uint8 until batching so a whole
// CIFAR training set costs 150 MB rather than 600 MB; normalisation happens per batch.

import { DataError } from '../errors.js';

/** N images in CHW planes (N*C*H*W bytes) with one label per image. */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  n: number;
  channels: number;
  height: number;
  width: number;
  classes: number;
}

export type DatasetName = 'cifar10' | 'cifar100' | 'mnist' | 'fashion-mnist';

export interface LoadedDataset {
  name: string;
  train: ImageSet;
  test: ImageSet;
  /** Per-channel mean/std of [0,1] pixels, used for normalisation. */
  mean: readonly number[];
  std: readonly number[];
}

/** Throws if the arrays disagree with the declared shape or a label is out of range. */
export function checkImageSet(set: ImageSet, what: string): void {
  const { n, channels, height, width, classes } = set;
  for (const [k, v] of Object.entries({ n, channels, height, width, classes })) {
    if (!Number.isInteger(v) || v < 0) throw new DataError('LNAS_DATA_CORRUPT', `${what}: ${k} must be a non-negative integer, got ${v}`);
  }
  if (set.images.length !== n * channels * height * width) {
    throw new DataError('LNAS_DATA_CORRUPT', `${what}: expected ${n * channels * height * width} pixel bytes for ${n} images of ${channels}x${height}x${width}, got ${set.images.length}`);
  }
  if (set.labels.length !== n) {
    throw new DataError('LNAS_DATA_CORRUPT', `${what}: expected ${n} labels, got ${set.labels.length}`);
  }
  const bad = firstLabelOutOfRange(set.labels, classes);
  if (bad >= 0) {
    throw new DataError('LNAS_DATA_CORRUPT', `${what}: label ${set.labels[bad]} of image ${bad} is outside 0..${classes - 1}`);
  }
}

/** Index of the first label >= classes, or -1. */
export function firstLabelOutOfRange(labels: Uint8Array, classes: number): number {
  for (let i = 0; i < labels.length; i++) if ((labels[i] as number) >= classes) return i;
  return -1;
}

/** Images per class, e.g. to check a split is balanced. */
export function classCounts(set: Pick<ImageSet, 'labels' | 'classes'>, indices?: ArrayLike<number>): number[] {
  const counts = new Array<number>(set.classes).fill(0);
  const m = indices ? indices.length : set.labels.length;
  for (let i = 0; i < m; i++) {
    const label = set.labels[indices ? (indices[i] as number) : i] as number;
    counts[label] = (counts[label] as number) + 1;
  }
  return counts;
}

/** The shape of one image: what a batch's flat buffer is reshaped to. */
export interface Geometry { channels: number; height: number; width: number }
