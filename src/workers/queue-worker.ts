// The worker's side of trials on BullMQ + Redis (`lnas worker`): takes jobs from the queue and
// runs each trial in its own process on a local pool, exactly as the local executor does (threads
// per trial, orphans exit, one lock per run folder, a log per trial). While a trial runs, the
// worker keeps the job's lock alive; a worker that dies stops renewing it, another worker's
// stalled-job check moves the job back to the queue after --stall-seconds and it runs again
// there (from its checkpoint when the runs folder is shared). A trial's typed error (bad config,
// divergence) fails its job at once; a crash of the trial's process is retried by the job's
// attempts, set by the coordinator.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { LnasError } from '../errors.js';
import { LocalPool, TrialError } from './pool.js';
import { type TrialJobData, type TrialJobResult, insideRoot, redisConnection, remapPaths, workerName, writeFiles } from './queue.js';
import type { TrialErrorInfo } from './trial.js';

export interface QueueWorkerOptions {
  url: string;
  queue: string;
  workers: number;
  threads: number;
  /** This machine's runs folder; payload paths under the coordinator's are mapped into it. */
  runsDir: string;
  /** Seconds after which a job whose worker stopped renewing its lock is run again (default 30). */
  stallSeconds?: number;
  redisTimeoutMs?: number;
  log: (line: string) => void;
}

/** Largest file that comes back with a result; weights and checkpoints never do. */
const MAX_RETURNED_FILE = 1 << 20;

/** The small files of a finished trial's folder, relative to the runs folder, base64. */
export function collectFiles(root: string, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, depth: number) => {
    let names: string[];
    try { names = readdirSync(d); } catch { return; }
    for (const name of names) {
      if (name.startsWith('.') || /\.(safetensors|lock|tmp)$/.test(name)) continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) { if (depth < 4) walk(p, depth + 1); continue; }
      if (!st.isFile() || st.size > MAX_RETURNED_FILE) continue;
      out[insideRoot(root, p, 'trial output')] = readFileBase64(p);
    }
  };
  walk(dir, 0);
  return out;
}

const readFileBase64 = (p: string) => readFileSync(p).toString('base64');

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

export interface QueueWorkerHandle {
  /** Resolves when the worker has stopped (close), rejects with LNAS_REDIS_DOWN if Redis stayed away. */
  done: Promise<void>;
  /** Stops taking jobs; with `force`, kills running trials (their jobs run again elsewhere). */
  close(force?: boolean): Promise<void>;
}

export function startQueueWorker(o: QueueWorkerOptions): QueueWorkerHandle {
  const runsDir = resolve(o.runsDir);
  const name = workerName();
  const pool = new LocalPool({ workers: o.workers, threads: o.threads, dir: join(runsDir, 'worker-trials') });
  const stallMs = (o.stallSeconds ?? 30) * 1000;
  const redisTimeoutMs = o.redisTimeoutMs ?? 120_000;

  const processor = async (job: Job<TrialJobData, TrialJobResult>): Promise<TrialJobResult> => {
    const d = job.data;
    const spec = remapPaths(d.spec, d.runsDir, runsDir);
    writeFiles(runsDir, d.inputs);
    const started = Date.now();
    const id = `${safeName(spec.id)}-${job.id}`;
    const log = join(runsDir, 'worker-trials', `${id}.log`);
    o.log(`[${name}] start ${job.id} ${spec.id} attempt ${job.attemptsMade + 1} (queued ${started - d.submitted} ms before)`);
    try {
      const result = await pool.submit({ ...spec, id });
      const files = spec.collect === undefined ? {} : collectFiles(runsDir, spec.collect);
      const seconds = (Date.now() - started) / 1000;
      o.log(`[${name}] done ${job.id} ${spec.id} in ${seconds.toFixed(1)} s, ${Object.keys(files).length} files back`);
      return { result, files, worker: name, started, seconds, log };
    } catch (e) {
      const info: TrialErrorInfo = e instanceof TrialError ? e.info : e instanceof LnasError ? { code: e.code, message: e.message } : { code: 'LNAS_TRIAL_CRASH', message: String((e as Error)?.message ?? e) };
      o.log(`[${name}] failed ${job.id} ${spec.id}: [${info.code}] ${info.message} (log: ${log})`);
      const reason = JSON.stringify({ ...info, message: `${info.message} (on ${name}, log ${log})` });
      // A crash may be the machine's fault: the job's attempts decide. A typed error is the trial's own.
      if (info.code === 'LNAS_TRIAL_CRASH') throw new Error(reason);
      throw new UnrecoverableError(reason);
    }
  };

  const worker = new Worker<TrialJobData, TrialJobResult>(o.queue, processor, {
    connection: redisConnection(o.url), concurrency: o.workers, autorun: true,
    lockDuration: stallMs, stalledInterval: stallMs, maxStalledCount: 1,
  });
  let lastOk = Date.now();
  let reported = false;
  worker.on('error', (e) => {
    if (!reported) { reported = true; o.log(`[${name}] Redis: ${(e as Error).message}; reconnecting`); }
  });
  worker.on('ready', () => { lastOk = Date.now(); if (reported) o.log(`[${name}] Redis: connected`); reported = false; });

  let closing: Promise<void> | null = null;
  let rejectDone: (e: unknown) => void = () => {};
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((res, rej) => { resolveDone = res; rejectDone = rej; });
  const close = (force = false): Promise<void> => {
    closing ??= (async () => {
      clearInterval(watchdog);
      if (force) pool.close();
      await Promise.race([worker.close(force), new Promise((r) => setTimeout(r, force ? 2000 : 24 * 3600_000).unref())]);
      pool.close();
    })();
    return closing;
  };
  let probing = false;
  const watchdog = setInterval(() => {
    if (Date.now() - lastOk > redisTimeoutMs) {
      const e = new LnasError('LNAS_REDIS_DOWN', `Redis at ${o.url} has been unreachable for more than ${redisTimeoutMs / 1000} s; this worker stops (its running trials run again on another worker)`);
      void close(true).finally(() => rejectDone(e));
      return;
    }
    if (probing) return;
    probing = true;
    worker.client.then((c) => c.runCommand('ping', [])).then(() => { lastOk = Date.now(); }, () => {}).finally(() => { probing = false; });
  }, 1000);
  o.log(`[${name}] worker: ${o.workers} trial${o.workers > 1 ? 's' : ''} at a time × ${o.threads} thread${o.threads > 1 ? 's' : ''}, queue ${o.queue} on ${o.url}, runs folder ${runsDir}`);
  return { done, close: (force) => close(force).then(() => resolveDone()) };
}
