// Pid lock files. A stage folder must never be written by two processes at once: after a
// SIGKILLed sweep, its orphaned workers live on until their next training step notices, so a
// rerun waits for them instead of resuming the same run folder next to them.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { LnasError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';

/** `what` is a string from the holder's command line: a reused pid has a different one. */
interface LockInfo { pid: number; what: string }

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

/** The live holder of a lock file, or null when it is free or stale. */
export function lockHolder(path: string): number | null {
  if (!existsSync(path)) return null;
  const info = readLock(path);
  return info && pidAlive(info.pid, info.what || undefined) ? info.pid : null;
}

export function writeLock(path: string, pid: number, what: string): void {
  writeFileAtomic(path, JSON.stringify({ pid, what, since: new Date().toISOString() }));
}

export function releaseLock(path: string, pid: number): void {
  if (readLock(path)?.pid === pid) rmSync(path, { force: true });
}

/** Waits until no live process holds `path` (polling), or fails after `timeoutMs`. */
export async function waitForLock(path: string, o: { timeoutMs: number; pollMs?: number; onWait?: (pid: number) => void }): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  let told = false;
  for (;;) {
    const holder = lockHolder(path);
    if (holder === null || holder === process.pid) return;
    if (!told) { o.onWait?.(holder); told = true; }
    if (Date.now() > deadline) {
      throw new LnasError('LNAS_BUSY', `process ${holder} still holds ${path}; stop it (kill ${holder}) or wait, then run again`);
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 250));
  }
}
