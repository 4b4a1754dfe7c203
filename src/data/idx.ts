// Reader for the idx files of MNIST and Fashion-MNIST (gzipped or raw). An idx file is a
// big-endian header (magic 0x0000080D where 08 = unsigned byte and D = number of dims,
// then one uint32 per dim) followed by the bytes.

import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';
import { fileSize, fmt, readDataFile } from './fsread.js';
import type { DatasetSpec } from './specs.js';
import type { ImageSet, LoadedDataset } from './types.js';

export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses an (already decompressed) idx buffer of unsigned bytes with the given magic. */
export function parseIdx(bytes: Uint8Array, expectedMagic: number, path: string, title: string): IdxArray {
  const fail = (what: string): never => {
    throw new DataError('LNAS_DATA_CORRUPT', `${title}: ${path} ${what}. Delete it and download it again.`, { path });
  };
  if (bytes.length < 4) fail(`is only ${bytes.length} bytes long, too short for an idx header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    fail(`has magic number ${magic}, expected ${expectedMagic} (${expectedMagic === IDX_IMAGES_MAGIC ? 'images' : 'labels'}); it is not the right idx file`);
  }
  const ndims = magic & 0xff;
  const header = 4 + 4 * ndims;
  if (bytes.length < header) fail(`is truncated inside its header (${bytes.length} bytes)`);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + count) {
    const why = bytes.length < header + count ? 'truncated' : 'longer than its header says';
    fail(`is ${why}: header declares dims [${dims.join(', ')}] = ${fmt(header + count)} bytes, file has ${fmt(bytes.length)}`);
  }
  return { dims, data: bytes.subarray(header) };
}

/** Reads an idx file, gunzipping when the content is gzip (whatever the file name says). */
export function readIdxFile(path: string, expectedMagic: number, title: string): IdxArray {
  let bytes = readDataFile(path, title);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      const out = gunzipSync(bytes);
      bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch (e) {
      throw new DataError(
        'LNAS_DATA_CORRUPT',
        `${title}: ${path} is not a valid gzip file (${(e as Error).message}); it is truncated or corrupt. Delete it and download it again.`,
        { path, cause: e },
      );
    }
  }
  return parseIdx(bytes, expectedMagic, path, title);
}

/** The path of `name` (a `.gz` file name) in `dir`, accepting an uncompressed copy too. */
export function findIdxFile(dir: string, name: string): string | null {
  const candidates = name.endsWith('.gz') ? [name, name.slice(0, -3)] : [name, `${name}.gz`];
  for (const c of candidates) {
    const p = join(dir, c);
    if (fileSize(p) !== null) return p;
  }
  return null;
}

export interface IdxReadOptions {
  /** Expected image counts; default to the spec's (tests use tiny files). */
  trainSize?: number;
  testSize?: number;
}

export function readIdxDataset(dir: string, spec: DatasetSpec, opts: IdxReadOptions = {}): LoadedDataset {
  const train = readIdxSplit(dir, spec, 'train', opts.trainSize ?? spec.trainSize);
  const test = readIdxSplit(dir, spec, 't10k', opts.testSize ?? spec.testSize);
  return { name: spec.name, train, test, mean: spec.mean, std: spec.std };
}

function readIdxSplit(dir: string, spec: DatasetSpec, prefix: 'train' | 't10k', expectedN: number): ImageSet {
  const locate = (name: string): string => {
    const p = findIdxFile(dir, name);
    if (p === null) {
      throw new DataError('LNAS_DATA_MISSING', `${spec.title}: ${join(dir, name)} (or its uncompressed form) does not exist`, { path: join(dir, name) });
    }
    return p;
  };
  const imgPath = locate(`${prefix}-images-idx3-ubyte.gz`);
  const lblPath = locate(`${prefix}-labels-idx1-ubyte.gz`);
  const img = readIdxFile(imgPath, IDX_IMAGES_MAGIC, spec.title);
  const lbl = readIdxFile(lblPath, IDX_LABELS_MAGIC, spec.title);
  const [n, h, w] = img.dims as [number, number, number];
  const corrupt = (path: string, what: string): never => {
    throw new DataError('LNAS_DATA_CORRUPT', `${spec.title}: ${path} ${what}. Delete it and download it again.`, { path });
  };
  if (h !== spec.height || w !== spec.width) corrupt(imgPath, `holds ${h}x${w} images, expected ${spec.height}x${spec.width}`);
  if (n !== expectedN) corrupt(imgPath, `holds ${fmt(n)} images, expected ${fmt(expectedN)}`);
  if (lbl.dims[0] !== n) corrupt(lblPath, `holds ${fmt(lbl.dims[0] ?? 0)} labels but ${imgPath} holds ${fmt(n)} images`);
  for (let i = 0; i < n; i++) {
    const label = lbl.data[i] as number;
    if (label >= spec.classes) corrupt(lblPath, `has label ${label} at index ${i}, outside 0..${spec.classes - 1}`);
  }
  // Copy out of the (possibly much larger) decompression buffer so it can be freed.
  return { images: img.data.slice(), labels: lbl.data.slice(), n, channels: 1, height: h, width: w, classes: spec.classes };
}
