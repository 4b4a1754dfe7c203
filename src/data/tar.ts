// A minimal tar reader, enough for the dataset archives: ustar/GNU/pax headers, regular
// files and directories, GNU long names and pax `path` records. Anything malformed, or a
// member that would land outside the extraction folder, is a DataError.

import { DataError } from '../errors.js';

export interface TarEntry {
  /** Normalised relative path, '/'-separated, no trailing slash. */
  name: string;
  type: 'file' | 'dir' | 'other';
  /** File contents (a view into the archive buffer). */
  data: Uint8Array;
}

const BLOCK = 512;
const decoder = new TextDecoder();

function cstring(b: Uint8Array, off: number, len: number): string {
  const field = b.subarray(off, off + len);
  const end = field.indexOf(0);
  return decoder.decode(end < 0 ? field : field.subarray(0, end));
}

/** Octal number field; GNU base-256 when the high bit of the first byte is set. */
function numeric(b: Uint8Array, off: number, len: number): number {
  if (((b[off] as number) & 0x80) !== 0) {
    let v = (b[off] as number) & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + (b[off + i] as number);
    return v;
  }
  const s = cstring(b, off, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return NaN;
  return parseInt(s, 8);
}

function headerChecksumOk(h: Uint8Array): boolean {
  const stored = numeric(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] as number);
  return sum === stored;
}

/** Normalised relative path; '' for the archive root ('./'); null if it would escape. */
export function safeName(raw: string): string | null {
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (raw.startsWith('/') || parts.some((p) => p === '..')) return null;
  return parts.join('/');
}

function paxPath(data: Uint8Array): string | undefined {
  // Records are "<len> key=value\n".
  const text = decoder.decode(data);
  let path: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(line);
    if (m) path = m[1];
  }
  return path;
}

export function parseTar(buf: Uint8Array, archive: string): TarEntry[] {
  const corrupt = (what: string): never => {
    throw new DataError('LNAS_DATA_CORRUPT', `${archive}: ${what}; the archive is corrupt or truncated. Delete it and download it again.`, { path: archive });
  };
  const entries: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  let sawEnd = false;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((v) => v === 0)) {
      sawEnd = true;
      break;
    }
    if (!headerChecksumOk(h)) corrupt(`bad tar header checksum at byte ${off}`);
    const size = numeric(h, 124, 12);
    if (!Number.isFinite(size) || size < 0) corrupt(`bad size field in the tar header at byte ${off}`);
    const dataStart = off + BLOCK;
    if (dataStart + size > buf.length) corrupt(`member at byte ${off} needs ${size} bytes but the archive ends first`);
    const data = buf.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    const flag = String.fromCharCode(h[156] as number);
    if (flag === 'L') { longName = cstring(data, 0, data.length); continue; }
    if (flag === 'x') { longName = paxPath(data) ?? longName; continue; }
    if (flag === 'g') continue;
    let raw = longName ?? cstring(h, 0, 100);
    const fromLongName = longName !== undefined;
    longName = undefined;
    if (!fromLongName && cstring(h, 257, 6).startsWith('ustar')) {
      const prefix = cstring(h, 345, 155);
      if (prefix !== '') raw = `${prefix}/${raw}`;
    }
    const name = safeName(raw);
    if (name === null) corrupt(`member "${raw}" has an unsafe path`);
    if (name === '') continue;
    const type = flag === '0' || flag === '\0' || flag === '7' ? 'file' : flag === '5' ? 'dir' : 'other';
    entries.push({ name: name as string, type, data });
  }
  if (!sawEnd && entries.length === 0) corrupt('no tar members found');
  return entries;
}
