// Crash-safe writes: temp file in the same folder, fsync, rename, fsync the folder. A killed
// process or a full disk never leaves half a file under the final name.
import * as fs from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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

/**
 * Why `dir` cannot be used as a folder, or undefined: it (or the nearest part of its path that
 * exists) is a file, or, with `writable`, it exists and cannot be written. A missing folder is
 * fine (it is created on first write).
 */
export function folderProblem(dir: string, o: { writable?: boolean } = {}): string | undefined {
  const target = resolve(dir);
  for (let p = target; ; p = dirname(p)) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(p) !== p) continue;
      return code === 'ENOENT' ? undefined : `${p} cannot be read (${code ?? String(e)})`;
    }
    if (!st.isDirectory()) return `${p} is a file, not a folder`;
    if (o.writable && p === target) {
      try { fs.accessSync(p, fs.constants.W_OK); } catch (e) { return `${p} is not writable (${(e as NodeJS.ErrnoException).code ?? String(e)})`; }
    }
    return undefined;
  }
}

/** mkdir -p, as a typed error when the path cannot be a folder (a file in the way, no permission, read-only disk). */
export function mkdirs(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw diskError(dir, e);
    const why = folderProblem(dir) ?? (e as Error).message;
    throw new LnasError('LNAS_WRITE', `cannot create the folder ${dir}: ${why}. Check the path (LNAS_RUNS_DIR, --data-dir) and its permissions.`, { path: dir, cause: e });
  }
}

/** Writes chunks to `path` atomically. */
export function writeFileAtomic(path: string, chunks: Uint8Array | string | readonly (Uint8Array | string)[], io: WriteIo = defaultIo): void {
  const dir = dirname(path);
  mkdirs(dir);
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
  mkdirs(dirname(path));
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
