// Pid lock files. A run folder must never be written by two processes at once: two identical
// commands started together, or a rerun next to the orphaned workers of a SIGKILLed sweep (they
// live on until their next training step notices), must not train into the same folder.
//
// Taking a lock is one atomic step: the lock's full content is written to a private temp file,
// which is then hard-linked to the lock's name. link(2) fails when the name exists, so exactly one
// of several racing processes gets it, and nobody ever reads a half-written lock. A lock whose
// holder is dead (or whose pid now belongs to another command line) is stale: it is moved aside
// with rename(2) and removed only if it is still the file that was judged stale.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LnasError } from '../errors.js';
import { mkdirs, writeFileAtomic } from '../util/fs.js';
import { type RunPaths, readRunJson } from './paths.js';

/** `what` is a string from the holder's command line: a reused pid has a different one. */
interface LockInfo { pid: number; what: string }

/** Locks this process holds, so that its own pid in a lock file is not mistaken for a stale one. */
const held = new Set<string>();

function readLock(path: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    return typeof v.pid === 'number' ? { pid: v.pid, what: String(v.what ?? '') } : null;
  } catch {
    return null;
  }
}

/** Whether `pid` is a live process that is still the one that took the lock (pids get reused). */
export function pidAlive(pid: number, marker?: string): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (marker === undefined) return true;
  try {
    // Linux: a reused pid belongs to a different command line.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return true;
  }
}

function liveHolder(path: string, info: LockInfo | null): number | null {
  if (!info) return null;
  if (info.pid === process.pid) return held.has(path) ? info.pid : null;
  return pidAlive(info.pid, info.what || undefined) ? info.pid : null;
}

/** The live holder of a lock file, or null when it is free or stale. */
export function lockHolder(path: string): number | null {
  return liveHolder(path, readLock(path));
}

const inode = (path: string): number | null => {
  try { return statSync(path).ino; } catch { return null; }
};

/** Removes a stale lock, unless it was replaced by a fresh one since it was judged stale. */
function removeStale(path: string, staleIno: number): void {
  const aside = `${path}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try { renameSync(path, aside); } catch { return; /* gone already */ }
  if (inode(aside) !== staleIno) {
    // Another process took the lock in between: put its file back (link never overwrites).
    try { linkSync(aside, path); } catch { /* someone holds the name again; theirs stands */ }
  }
  rmSync(aside, { force: true });
}

/**
 * Takes the lock for `pid` if it is free or stale; returns null when taken, else the pid of the
 * live holder. Atomic across processes.
 */
export function tryLock(path: string, pid: number, what: string): number | null {
  mkdirs(dirname(path));
  const tmp = `${path}.new.${process.pid}.${Math.random().toString(36).slice(2)}`;
  let fd: number;
  try { fd = openSync(tmp, 'wx'); } catch (e) {
    throw new LnasError('LNAS_WRITE', `cannot create the lock file ${path}: ${(e as Error).message}. Check the folder's permissions and free space.`, { path, cause: e });
  }
  try {
    writeSync(fd, JSON.stringify({ pid, what, since: new Date().toISOString() }));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(tmp, path);
        held.add(path);
        return null;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new LnasError('LNAS_WRITE', `cannot create the lock file ${path}: ${(e as Error).message}`, { cause: e });
        }
      }
      const ino = inode(path);
      const holder = liveHolder(path, readLock(path));
      if (holder !== null) return holder;
      if (ino !== null) removeStale(path, ino);
    }
    const holder = lockHolder(path);
    if (holder !== null) return holder;
    throw new LnasError('LNAS_BUSY', `could not take the lock ${path}: other processes keep replacing it; run again`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Takes the lock for this process or throws LNAS_BUSY naming the holder. Returns the release. */
export function lockOrFail(path: string, what: string, subject: string): () => void {
  const holder = tryLock(path, process.pid, what);
  if (holder !== null) {
    throw new LnasError('LNAS_BUSY', `${subject} is already running in process ${holder}; wait for it or stop it (kill ${holder}), then run again`);
  }
  return () => releaseLock(path, process.pid);
}

/** Rewrites a lock this process holds so that it names another holder (a worker it spawned). */
export function handOverLock(path: string, pid: number, what: string): void {
  writeFileAtomic(path, JSON.stringify({ pid, what, since: new Date().toISOString() }));
}

export function releaseLock(path: string, pid: number): void {
  if (readLock(path)?.pid === pid) rmSync(path, { force: true });
  held.delete(path);
}

/** Polls until the lock is taken for `pid` (atomically), or fails after `timeoutMs`. */
export async function acquireLock(path: string, pid: number, what: string,
  o: { timeoutMs: number; pollMs?: number; onWait?: (holder: number) => void }): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  let told = false;
  for (;;) {
    const holder = tryLock(path, pid, what);
    if (holder === null) return;
    if (!told) { o.onWait?.(holder); told = true; }
    if (Date.now() > deadline) {
      throw new LnasError('LNAS_BUSY', `process ${holder} still holds ${path}; stop it (kill ${holder}) or wait, then run again`);
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 250));
  }
}

/**
 * Runs `fn` holding `<dir>/run.lock`: a second process running the same config (same folder)
 * fails at once with LNAS_BUSY instead of training into the folder next to the first.
 */
export async function withRunLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const created = !existsSync(dir);
  const unlock = lockOrFail(join(dir, 'run.lock'), process.argv[1] ?? 'node', dir);
  try {
    return await fn();
  } finally {
    unlock();
    // A run that failed before writing anything (bad data, say) leaves no empty folder behind.
    if (created) {
      try { if (readdirSync(dir).length === 0) rmdirSync(dir); } catch { /* best effort */ }
    }
  }
}

/**
 * A run that ends by writing its `summary.json`: the summary of a run already finished (`onDone`
 * is told, nothing runs again), else `fn` holding the folder's lock. Inside the lock the summary
 * is looked for once more, since another process may have finished the run in between.
 */
export async function runOnce<T>(paths: RunPaths, onDone: () => void, fn: () => Promise<T>): Promise<T> {
  if (existsSync(paths.summary)) {
    onDone();
    return readRunJson<T>(paths.summary);
  }
  return withRunLock(paths.dir, async () => (existsSync(paths.summary) ? readRunJson<T>(paths.summary) : fn()));
}
