// One trial in a worker process: the child side of the pool. A trial is a JSON spec naming a
// handler (a module under dist/ and an export) and a JSON payload; the handler's JSON-able return
// value is the result. Nothing here knows what a sweep or an evolution is.
import { type StopRequest, stopOnSignals } from '../train/stop.js';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LnasError } from '../errors.js';
import { setNumThreads } from '../tensor/runtime.js';
import { createProgress, type Progress } from '../train/progress.js';
import { writeJsonAtomic } from '../util/fs.js';

/** What a pool user submits. */
export interface TrialSpec {
  /** Unique within the pool's folder; names the spec, result and log files. */
  id: string;
  /** Handler module, relative to the package's dist/ folder, e.g. `experiments/sweep-stages.js`. */
  module: string;
  /** Exported function name (default `runTrial`). */
  export?: string;
  payload: unknown;
  /**
   * A lock file: trials naming the same file never run at the same time, even in different pools
   * or processes (e.g. the run folder of the stage the trial writes).
   */
  lock?: string;
  /** Small files the trial reads (e.g. a genotype); a queue sends them to the worker's runs folder. */
  inputs?: string[];
  /** The folder whose small files (not weights) a queue brings back from the worker once the trial is done. */
  collect?: string;
}

/** Where trials run: the local pool or a queue (src/experiments/executor.ts). */
export interface TrialExecutor {
  /** What the executor runs on, for log lines: `2 workers × 1 thread` or `queue lnas-trials on redis://…`. */
  readonly description: string;
  /** Workers and threads per worker when known (local), else 0 (the queue's workers decide). */
  readonly workers: number;
  readonly threads: number;
  submit<R = unknown>(spec: TrialSpec): Promise<R>;
  /** Stops waiting for results (local: kills the running workers; their trials stay resumable). */
  close(): void | Promise<void>;
}

/** What the pool writes for the child. */
export interface TrialEnvelope extends Required<Omit<TrialSpec, 'lock' | 'inputs' | 'collect'>> {
  threads: number;
  resultFile: string;
  errorFile: string;
  parentPid: number;
}

/** `signal` aborts when the trial's process gets SIGINT/SIGTERM: a handler may checkpoint and throw `Interrupted`. */
export interface TrialContext { id: string; threads: number; progress: Progress; signal?: StopRequest }
export type TrialHandler = (payload: never, ctx: TrialContext) => unknown;

export interface TrialErrorInfo { code: string; message: string }

/** The package's dist/ folder: handler modules must live inside it. */
export const distRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function resolveHandlerModule(module: string): string {
  const file = resolve(distRoot, module);
  const rel = relative(distRoot, file);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new LnasError('LNAS_TRIAL', `trial handler module ${module} is outside ${distRoot}`);
  return file;
}

/**
 * Exits when the pool that started this worker is gone (SIGKILL of the parent leaves the worker
 * orphaned; it must not keep writing a run folder that a rerun will resume). Checked on every
 * progress update, because training loops are synchronous and never yield to timers.
 */
function orphanGuard(parentPid: number): () => void {
  return () => {
    if (process.ppid !== parentPid) process.exit(137);
  };
}

function guardedProgress(inner: Progress, check: () => void): Progress {
  return {
    update(info) { check(); inner.update(info); },
    log(line) { check(); inner.log(line); },
    done() { inner.done(); },
  };
}

/** Runs the trial described by the envelope file; used by the hidden `lnas __trial` command. */
export async function runTrialFile(specFile: string): Promise<number> {
  let env: TrialEnvelope;
  try {
    env = JSON.parse(readFileSync(specFile, 'utf8')) as TrialEnvelope;
  } catch (e) {
    throw new LnasError('LNAS_TRIAL', `cannot read trial spec ${specFile}: ${(e as Error).message}`);
  }
  const check = orphanGuard(env.parentPid);
  const timer = setInterval(check, 1000);
  timer.unref();
  try {
    setNumThreads(env.threads);
    const mod = (await import(pathToFileURL(resolveHandlerModule(env.module)).href)) as Record<string, unknown>;
    const fn = mod[env.export];
    if (typeof fn !== 'function') throw new LnasError('LNAS_TRIAL', `${env.module} has no exported function ${env.export}`);
    const progress = guardedProgress(createProgress(process.stderr, { everySeconds: 60 }), check);
    const signal = stopOnSignals((l) => progress.log(l.trim()));
    const result = await (fn as (p: unknown, c: TrialContext) => unknown)(env.payload, { id: env.id, threads: env.threads, progress, signal });
    writeJsonAtomic(env.resultFile, result === undefined ? null : result);
    return 0;
  } catch (e) {
    const info: TrialErrorInfo = e instanceof LnasError ? { code: e.code, message: e.message } : { code: 'LNAS_TRIAL_CRASH', message: (e as Error)?.message ?? String(e) };
    writeJsonAtomic(env.errorFile, info);
    throw e;
  } finally {
    clearInterval(timer);
  }
}
