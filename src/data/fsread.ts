// Shared file access for the readers: every failure becomes a DataError naming the file.

import { readFileSync, statSync } from 'node:fs';
import { DataError } from '../errors.js';

export function readDataFile(path: string, what: string): Uint8Array {
  try {
    const buf = readFileSync(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DataError('LNAS_DATA_MISSING', `${what}: file ${path} does not exist`, { path, cause: e });
    }
    throw new DataError('LNAS_DATA_CORRUPT', `${what}: cannot read ${path} (${code ?? String(e)})`, { path, cause: e });
  }
}

export function fileSize(path: string): number | null {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
