// Builders for small, well-formed (or deliberately broken) dataset files used by the
// tests; kept out of the test files so several suites can share them.

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** One tar member; directories end in '/'. */
export interface TarInput {
  name: string;
  data?: Uint8Array;
}

function writeString(h: Uint8Array, off: number, len: number, s: string): void {
  const b = new TextEncoder().encode(s);
  h.set(b.subarray(0, len), off);
}

function writeOctal(h: Uint8Array, off: number, len: number, v: number): void {
  writeString(h, off, len, `${v.toString(8).padStart(len - 1, '0')}\0`);
}

function header(name: string, size: number, flag: string): Uint8Array {
  const h = new Uint8Array(512);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, flag === '5' ? 0o755 : 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, 0);
  writeString(h, 156, 1, flag);
  writeString(h, 257, 8, 'ustar  \0'); // GNU flavour, as in the CIFAR archives
  h.fill(32, 148, 156);
  let sum = 0;
  for (const v of h) sum += v;
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
}

/** A GNU tar archive; names longer than 99 bytes get a GNU long-name record. */
export function makeTar(entries: readonly TarInput[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const isDir = e.name.endsWith('/');
    const data = e.data ?? new Uint8Array(0);
    if (e.name.length > 99) {
      const long = new TextEncoder().encode(`${e.name}\0`);
      parts.push(header('././@LongLink', long.length, 'L'), padded(long));
    }
    parts.push(header(e.name.slice(0, 99), isDir ? 0 : data.length, isDir ? '5' : '0'));
    if (!isDir) parts.push(padded(data));
  }
  parts.push(new Uint8Array(1024));
  return concat(parts);
}

export function makeTarGz(entries: readonly TarInput[]): Uint8Array {
  return new Uint8Array(gzipSync(makeTar(entries)));
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** An idx file of unsigned bytes with the given dims. */
export function makeIdx(magic: number, dims: readonly number[], data: Uint8Array): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(head.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return concat([head, data]);
}

/** CIFAR records: image i has label labels[i] and pixel bytes (i*7 + j) & 255. */
export function makeCifarRecords(labels: readonly (number | readonly number[])[]): Uint8Array {
  const parts: Uint8Array[] = [];
  labels.forEach((l, i) => {
    const lb = typeof l === 'number' ? [l] : l;
    const rec = new Uint8Array(lb.length + 3072);
    rec.set(lb, 0);
    for (let j = 0; j < 3072; j++) rec[lb.length + j] = (i * 7 + j) & 255;
    parts.push(rec);
  });
  return concat(parts);
}

export function md5(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

export function gzip(data: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(data));
}
