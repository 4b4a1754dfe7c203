// Trial handlers for the pool's tests (loaded by worker processes from dist/workers/).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LnasError } from '../errors.js';
import type { TrialContext } from './trial.js';

interface Payload { value?: unknown; ms?: number; code?: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Echoes the payload with what the worker saw: its threads, OMP setting, pid and run interval. */
export async function echo(p: Payload, ctx: TrialContext): Promise<unknown> {
  const start = Date.now();
  await sleep(p.ms ?? 0);
  return { value: p.value, id: ctx.id, threads: ctx.threads, omp: process.env.OMP_NUM_THREADS, pid: process.pid, start, end: Date.now() };
}

export function fail(p: Payload): never {
  throw new LnasError('TEST_FAILURE', `failed on purpose: ${String(p.value)}`);
}

export function crash(p: Payload): never {
  process.exit(p.code ?? 3);
}

/** Busy-waits, reporting progress, so a test can SIGKILL the pool and see the orphan exit. */
export function spin(p: Payload, ctx: TrialContext): number {
  const end = Date.now() + (p.ms ?? 60_000);
  let n = 0;
  while (Date.now() < end) {
    n++;
    if (n % 100_000 === 0) ctx.progress.update({ stage: 'spin', epoch: 1, epochs: 1, step: n, steps: 0, imagesPerSecond: 0 });
  }
  return n;
}

interface CountPayload { value?: unknown; ms?: number; countFile: string; crash?: boolean; fail?: boolean; out?: string }

/**
 * Appends `<value> <id> <pid>` to countFile when it starts (so a test counts executions), sleeps, and
 * returns the value; with `out`, writes a small result file and a "weights" file there (only the
 * first should come back from a queue worker). crash: exits 3; fail: a typed error.
 */
export async function count(p: CountPayload, ctx: TrialContext): Promise<unknown> {
  appendFileSync(p.countFile, `${String(p.value)} ${ctx.id} ${process.pid}\n`);
  const end = Date.now() + (p.ms ?? 0);
  while (Date.now() < end) { await sleep(Math.min(100, end - Date.now())); ctx.progress.log(`waiting ${end - Date.now()} ms`); }
  if (p.crash) process.exit(3);
  if (p.fail) throw new LnasError('TEST_FAILURE', `failed on purpose: ${String(p.value)}`);
  if (p.out) {
    mkdirSync(p.out, { recursive: true });
    writeFileSync(join(p.out, 'summary.json'), JSON.stringify({ value: p.value }));
    writeFileSync(join(p.out, 'model.safetensors'), 'x'.repeat(100));
  }
  return { value: p.value };
}
