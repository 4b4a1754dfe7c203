// Crash-safe writes: temp file in the same folder, fsync, rename, fsync the folder. A killed
// process or a full disk never leaves half a file under the final name.
import * as fs from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { LnasError } from '../errors.js';

export interface WriteIo {
  writeSync(fd: number, data: Uint8Array): number;
}

const defaultIo: WriteIo = { writeSync: (fd, data) => fs.writeSync(fd, data) };

function diskError(path: string, e: unknown): LnasError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new LnasError('LNAS_DISK_FULL', `the disk is full while writing ${path}; nothing was changed there. Free some space and run again (the run resumes).`, { cause: e });
  }
  return new LnasError('LNAS_WRITE', `could not write ${path}: ${(e as Error).message}`, { cause: e });
}

/** Writes chunks to `path` atomically. */
export function writeFileAtomic(path: string, chunks: Uint8Array | string | readonly (Uint8Array | string)[], io: WriteIo = defaultIo): void {
  const dir = dirname(path);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const list = Array.isArray(chunks) ? chunks : [chunks];
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w');
    for (const c of list as (Uint8Array | string)[]) {
      const bytes = typeof c === 'string' ? new TextEncoder().encode(c) : c;
      let off = 0;
      while (off < bytes.byteLength) off += io.writeSync(fd, bytes.subarray(off));
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* already failing */ }
    try { fs.rmSync(tmp, { force: true }); } catch { /* best effort */ }
    throw diskError(path, e);
  }
  try {
    const dfd = fs.openSync(dir, 'r');
    fs.fsyncSync(dfd);
    fs.closeSync(dfd);
  } catch { /* some filesystems refuse directory fsync; the rename already happened */ }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Appends one line (metrics.jsonl). A torn last line from a crash is dropped by readJsonLines. */
export function appendLine(path: string, line: string): void {
  fs.mkdirSync(dirname(path), { recursive: true });
  try {
    fs.appendFileSync(path, `${line}\n`);
  } catch (e) {
    throw diskError(path, e);
  }
}

export function readJsonLines<T = unknown>(path: string): T[] {
  if (!fs.existsSync(path)) return [];
  const out: T[] = [];
  for (const line of fs.readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try { out.push(JSON.parse(line) as T); } catch { /* torn line from a killed process */ }
  }
  return out;
}
