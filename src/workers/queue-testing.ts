// Helpers for the queue's tests: `lnas worker` processes with their stderr in a file, and the
// executions a test's `count` trials recorded.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { CLI_MAIN } from './pool.js';

export interface TestWorker { child: ChildProcess; log: string; exited: Promise<number | null>; text(): string }

export function spawnWorker(url: string, o: { queue: string; runsDir: string; log: string; stallSeconds?: number; workers?: number; redisTimeout?: number; exec?: string[] }): TestWorker {
  const fd = openSync(o.log, 'a');
  const args = [CLI_MAIN, 'worker', '--redis', url, '--queue', o.queue, '--workers', String(o.workers ?? 1), '--threads', '1',
    '--runs-dir', o.runsDir, '--stall-seconds', String(o.stallSeconds ?? 2), ...(o.redisTimeout ? ['--redis-timeout', String(o.redisTimeout)] : [])];
  const [cmd, ...pre] = o.exec ?? [];
  const child = cmd === undefined ? spawn(process.execPath, args, { stdio: ['ignore', fd, fd] }) : spawn(cmd, [...pre, process.execPath, ...args], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, log: o.log, exited, text: () => (existsSync(o.log) ? readFileSync(o.log, 'utf8') : '') };
}

/** Executions per trial value recorded by the `count` test handler. */
export function executions(countFile: string): Map<string, number> {
  const m = new Map<string, number>();
  if (!existsSync(countFile)) return m;
  for (const line of readFileSync(countFile, 'utf8').split('\n').filter(Boolean)) {
    const id = line.split(' ')[0] as string;
    m.set(id, (m.get(id) ?? 0) + 1);
  }
  return m;
}

/** `start` lines per job id in workers' logs. */
export function startsInLogs(...texts: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of texts) for (const match of t.matchAll(/\] start (t-[0-9a-f]+) /g)) m.set(match[1] as string, (m.get(match[1] as string) ?? 0) + 1);
  return m;
}

export async function until(cond: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
