// Trial handlers for the pool's tests (loaded by worker processes from dist/workers/).
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
