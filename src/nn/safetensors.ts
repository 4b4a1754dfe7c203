// safetensors files: 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {str: str}}, then raw
// little-endian data. Readable by Python's `safetensors` library.
import { readFileSync } from 'node:fs';
import { DataError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { type AnyTypedArray, type DType, bytesPer } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from '../util/fs.js';

const TO_ST: Record<DType, string> = { float32: 'F32', float64: 'F64', int64: 'I64', int32: 'I32', uint8: 'U8', bool: 'BOOL' };
const FROM_ST = new Map(Object.entries(TO_ST).map(([k, v]) => [v, k as DType]));
/** Largest dimension accepted when reading (a corrupt header can claim [2^50, 0]: zero bytes, but no tensor libtorch makes). */
const MAX_DIM = 2 ** 31 - 1;

export function saveSafetensors(path: string, tensors: ReadonlyMap<string, Tensor>, metadata: Record<string, string> = {}): void {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const name of [...tensors.keys()].sort()) {
    const t = tensors.get(name) as Tensor;
    const data = t.toArray();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    header[name] = { dtype: TO_ST[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    blobs.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(Buffer.byteLength(json)), true);
  writeFileAtomic(path, [len, json, ...blobs]);
}

export interface LoadedSafetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Reads and validates a safetensors file; every defect is a DataError naming the file (and tensor). */
export function loadSafetensors(path: string): LoadedSafetensors {
  let buf: Buffer;
  try { buf = readFileSync(path); } catch (e) {
    throw new DataError('LNAS_CHECKPOINT_MISSING', `cannot read ${path}: ${(e as Error).message}`, { path, cause: e });
  }
  const bad = (what: string, name?: string) =>
    new DataError('LNAS_CHECKPOINT_CORRUPT', `${path}${name ? ` (tensor '${name}')` : ''}: ${what}`, name === undefined ? { path } : { path: name });
  if (buf.byteLength < 8) throw bad('file is shorter than the 8-byte header length');
  const n = Number(buf.readBigUInt64LE(0));
  if (n > buf.byteLength - 8) throw bad(`header length ${n} exceeds the file size ${buf.byteLength}`);
  let header: unknown;
  try { header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')); } catch { throw bad('header is not valid JSON'); }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw bad('header is not a JSON object');
  const dataStart = 8 + n;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  try {
    for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
      if (name === '__metadata__') {
        // safetensors metadata maps strings to strings.
        if (info === null || typeof info !== 'object' || Array.isArray(info) || !Object.values(info).every((v) => typeof v === 'string')) {
          throw bad('__metadata__ is not an object of strings');
        }
        metadata = info as Record<string, string>;
        continue;
      }
      if (info === null || typeof info !== 'object' || Array.isArray(info)) throw bad('entry is not an object', name);
      const { dtype: dt, shape, data_offsets: offs } = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      const dtype = FROM_ST.get(String(dt));
      if (!dtype) throw bad(`unsupported dtype ${String(dt)}`, name);
      if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0 && d <= MAX_DIM)) throw bad('bad shape', name);
      if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0)) throw bad('bad data_offsets', name);
      const [b, e] = offs as [number, number];
      const numel = (shape as number[]).reduce((a, c) => a * c, 1);
      if (e - b !== numel * bytesPer(dtype)) throw bad(`data_offsets span ${e - b} bytes, shape needs ${numel * bytesPer(dtype)}`, name);
      if (dataStart + e > buf.byteLength) throw bad(`data runs past the end of the file (truncated?)`, name);
      const bytes = new Uint8Array(buf.buffer.slice(buf.byteOffset + dataStart + b, buf.byteOffset + dataStart + e));
      tensors.set(name, tensor(typed(dtype, bytes), shape as number[], dtype === 'bool' ? { dtype: 'bool' } : {}).keep());
    }
  } catch (e) {
    disposeAll(tensors);
    throw e;
  }
  return { tensors, metadata };
}

function typed(dtype: DType, bytes: Uint8Array): AnyTypedArray {
  const b = bytes.buffer as ArrayBuffer;
  switch (dtype) {
    case 'float32': return new Float32Array(b);
    case 'float64': return new Float64Array(b);
    case 'int64': return new BigInt64Array(b);
    case 'int32': return new Int32Array(b);
    default: return new Uint8Array(b);
  }
}

export function disposeAll(tensors: ReadonlyMap<string, Tensor>): void {
  for (const t of tensors.values()) t.dispose();
}
