// Readers for the "binary version" of CIFAR-10 and CIFAR-100. A record is the label
// byte(s) followed by 3072 pixel bytes already in R,G,B planes of 32x32, i.e. exactly
// our CHW layout, so loading is a validated memcpy per record.

import { join } from 'node:path';
import { DataError } from '../errors.js';
import { fmt, readDataFile } from './fsread.js';
import type { ImageSet, LoadedDataset } from './types.js';
import { DATASETS } from './specs.js';

const PIXELS = 3 * 32 * 32;

interface RecordFormat {
  title: string;
  /** Bytes before the pixels (1 for CIFAR-10, 2 for CIFAR-100: coarse then fine). */
  labelBytes: number;
  /** Which of those bytes is the label we keep. */
  labelOffset: number;
  classes: number;
  /** A label byte we drop but still validate: a bad one means a corrupt file. */
  other?: { offset: number; classes: number; kind: string };
}

/** Reads `files` (all from one split) into one ImageSet, checking each file's size and labels. */
export function readCifarFiles(paths: readonly string[], recordsPerFile: number, format: RecordFormat): ImageSet {
  const recordSize = format.labelBytes + PIXELS;
  const n = recordsPerFile * paths.length;
  const images = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  let k = 0;
  for (const path of paths) {
    const bytes = readDataFile(path, format.title);
    const expected = recordsPerFile * recordSize;
    if (bytes.length !== expected) {
      const hint = bytes.length < expected ? 'it is truncated' : 'it has extra bytes';
      throw new DataError(
        'LNAS_DATA_CORRUPT',
        `${format.title}: ${path} is ${fmt(bytes.length)} bytes but must be exactly ${fmt(expected)} ` +
          `(${fmt(recordsPerFile)} records of ${fmt(recordSize)} bytes); ${hint} or is not the binary version. ` +
          'Delete the dataset folder and download it again.',
        { path },
      );
    }
    for (let r = 0; r < recordsPerFile; r++, k++) {
      const base = r * recordSize;
      const label = bytes[base + format.labelOffset] as number;
      if (label >= format.classes) {
        throw new DataError(
          'LNAS_DATA_CORRUPT',
          `${format.title}: record ${r} of ${path} has label ${label}, outside 0..${format.classes - 1}; the file is corrupt. ` +
            'Delete the dataset folder and download it again.',
          { path },
        );
      }
      const other = format.other;
      if (other && (bytes[base + other.offset] as number) >= other.classes) {
        throw new DataError(
          'LNAS_DATA_CORRUPT',
          `${format.title}: record ${r} of ${path} has ${other.kind} label ${bytes[base + other.offset]}, ` +
            `outside 0..${other.classes - 1}; the file is corrupt. Delete the dataset folder and download it again.`,
          { path },
        );
      }
      labels[k] = label;
      images.set(bytes.subarray(base + format.labelBytes, base + recordSize), k * PIXELS);
    }
  }
  return { images, labels, n, channels: 3, height: 32, width: 32, classes: format.classes };
}

export interface CifarReadOptions {
  /** Records per file; defaults to the official counts (tests use tiny files). */
  recordsPerFile?: number;
  testRecords?: number;
}

export function readCifar10(dir: string, opts: CifarReadOptions = {}): LoadedDataset {
  const spec = DATASETS.cifar10;
  const format: RecordFormat = { title: spec.title, labelBytes: 1, labelOffset: 0, classes: 10 };
  const trainFiles = [1, 2, 3, 4, 5].map((i) => join(dir, `data_batch_${i}.bin`));
  const train = readCifarFiles(trainFiles, opts.recordsPerFile ?? 10000, format);
  const test = readCifarFiles([join(dir, 'test_batch.bin')], opts.testRecords ?? opts.recordsPerFile ?? 10000, format);
  return { name: spec.name, train, test, mean: spec.mean, std: spec.std };
}

export interface Cifar100ReadOptions {
  trainRecords?: number;
  testRecords?: number;
  /** Use the 20 coarse superclasses instead of the 100 fine labels. */
  coarse?: boolean;
}

export function readCifar100(dir: string, opts: Cifar100ReadOptions = {}): LoadedDataset {
  const spec = DATASETS.cifar100;
  const coarse = opts.coarse ?? false;
  const format: RecordFormat = {
    title: spec.title,
    labelBytes: 2,
    labelOffset: coarse ? 0 : 1,
    classes: coarse ? 20 : 100,
    other: coarse ? { offset: 1, classes: 100, kind: 'fine' } : { offset: 0, classes: 20, kind: 'coarse' },
  };
  const train = readCifarFiles([join(dir, 'train.bin')], opts.trainRecords ?? 50000, format);
  const test = readCifarFiles([join(dir, 'test.bin')], opts.testRecords ?? 10000, format);
  return { name: spec.name, train, test, mean: spec.mean, std: spec.std };
}
