// The coordinator's side of trials on BullMQ + Redis: submit(spec) adds a job whose id is the
// trial's identity hash (module, export, payload), so submitting the same trial again, e.g. after
// the coordinator was killed and restarted, finds the job already waiting, running or finished
// instead of adding a second one. `lnas worker` processes (queue-worker.ts) take the jobs and run
// each in its own process, as the local pool does.
//
// Files: the payload's paths are under the coordinator's runs folder. A worker with a runs folder
// of its own maps them into it; the small files a trial names as `inputs` travel with the job, and
// the small files of its `collect` folder (summaries, genotypes, metrics; not weights or
// checkpoints) come back with the result and are written into the coordinator's folder, so that
// `lnas report` works there. Checkpoints stay on the worker: a trial resumes from its checkpoint
// after a worker dies only when the runs folder is shared storage.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { type ConnectionOptions, type Job, Queue } from 'bullmq';
import { ConfigError, LnasError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { configHash } from '../runs/identity.js';
import { TrialError } from './pool.js';
import type { TrialErrorInfo, TrialSpec } from './trial.js';

/** What a job carries. Paths in `spec` are under `runsDir`; `inputs` are relative to it. */
export interface TrialJobData {
  spec: TrialSpec;
  runsDir: string;
  inputs: Record<string, string>;
  submitted: number;
}

/** What a finished job returns: the trial's result and the small files of its collect folder. */
export interface TrialJobResult {
  result: unknown;
  /** Relative to the runs folder, base64. */
  files: Record<string, string>;
  worker: string;
  /** When the worker started the trial (ms since the epoch) and how long it ran. */
  started: number;
  seconds: number;
  log: string;
}

export interface QueueExecutorOptions {
  url: string;
  queue: string;
  runsDir: string;
  /** Runs of a trial after its worker crashed or died (default 1). */
  crashRetries?: number;
  /** How long Redis may stay unreachable before every pending trial fails with LNAS_REDIS_DOWN. */
  redisTimeoutMs?: number;
  /** How often the states of pending jobs are read (default 250 ms). */
  pollMs?: number;
  log?: (line: string) => void;
  /** Called with each finished job's timing: when it was submitted, when its worker started it. */
  onResult?: (e: { id: string; jobId: string; submitted: number; started: number; seconds: number; worker: string }) => void;
}

/** Redis connection options from a redis:// URL; commands wait for a reconnect instead of failing. */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try { u = new URL(url); } catch { throw new ConfigError(`--redis ${JSON.stringify(url)} is not a URL; use redis://host:port`, 'redis'); }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new ConfigError(`--redis ${url}: the URL must start with redis:// or rediss://`, 'redis');
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new ConfigError(`--redis ${url}: the database must be a number (redis://host:port/0)`, 'redis');
  return {
    host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : 6379, db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}), ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: (times: number) => Math.min(100 * times, 1000),
  };
}

/** The job id of a trial: its identity, so the same trial is one job however often it is submitted. */
export function trialJobId(spec: TrialSpec): string {
  return `t-${configHash({ module: spec.module, export: spec.export ?? 'runTrial', payload: spec.payload })}`;
}

/** Maps every string under `from` (a folder) in a JSON value to the same place under `to`. */
export function remapPaths<T>(value: T, from: string, to: string): T {
  if (from === to) return value;
  const map = (v: unknown): unknown => {
    if (typeof v === 'string') return v === from ? to : v.startsWith(`${from}/`) ? to + v.slice(from.length) : v;
    if (Array.isArray(v)) return v.map(map);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, map(x)]));
    return v;
  };
  return map(value) as T;
}

/** Path relative to `root`, or an error if it is not inside it. */
export function insideRoot(root: string, path: string, what: string): string {
  const rel = relative(root, resolve(path));
  if (rel === '' || rel.startsWith('..') || resolve(root, rel) !== resolve(path)) throw new LnasError('LNAS_TRIAL', `${what} ${path} is not inside the runs folder ${root}`);
  return rel;
}

/** Writes `files` (relative to root, base64) unless the same bytes are there already; summaries last. */
export function writeFiles(root: string, files: Record<string, string>): number {
  const last = (p: string) => /(^|\/)(summary|result)\.json$/.test(p) ? 1 : 0;
  let written = 0;
  for (const rel of Object.keys(files).sort((a, b) => last(a) - last(b) || (a < b ? -1 : 1))) {
    const path = join(root, insideRoot(root, join(root, rel), 'returned file'));
    const bytes = new Uint8Array(Buffer.from(files[rel] as string, 'base64'));
    let same = false;
    try { same = Buffer.compare(new Uint8Array(readFileSync(path)), bytes) === 0; } catch { /* missing */ }
    if (!same) { writeFileAtomic(path, bytes); written++; }
  }
  return written;
}

/** A job's failedReason: the worker writes the trial's typed error as JSON. */
export function failureOf(reason: string | undefined): TrialErrorInfo {
  try {
    const info = JSON.parse(reason ?? '') as TrialErrorInfo;
    if (typeof info.code === 'string' && typeof info.message === 'string') return info;
  } catch { /* not ours: e.g. a job that stalled too often */ }
  return { code: 'LNAS_TRIAL_CRASH', message: reason ?? 'the job failed without a reason' };
}

interface Pending { spec: TrialSpec; resolve: (v: unknown) => void; reject: (e: unknown) => void; settling: boolean }

export class QueueExecutor {
  readonly workers = 0;
  readonly threads = 0;
  readonly description: string;
  private readonly o: Required<Omit<QueueExecutorOptions, 'log' | 'onResult'>> & Pick<QueueExecutorOptions, 'onResult'> & { log: (line: string) => void };
  private readonly queue: Queue;
  private readonly pending = new Map<string, Pending>();
  private readonly timer: NodeJS.Timeout;
  private lastOk = Date.now();
  private polling = false;
  private closed = false;
  private down: LnasError | null = null;

  constructor(o: QueueExecutorOptions) {
    this.o = { crashRetries: 1, redisTimeoutMs: 120_000, pollMs: 250, log: () => {}, ...o, runsDir: resolve(o.runsDir) };
    const connection = redisConnection(o.url);
    this.description = `queue ${o.queue} on ${o.url}`;
    this.queue = new Queue(o.queue, { connection });
    // Connection errors are retried by the client; the watchdog in tick() decides when to give up.
    // Results are polled, not listened to: a QueueEvents reader that never reached Redis keeps
    // reconnecting after close(), and polling also needs no care across a Redis restart.
    this.queue.on('error', () => {});
    this.timer = setInterval(() => this.tick(), this.o.pollMs);
  }

  submit<R = unknown>(spec: TrialSpec): Promise<R> {
    if (this.closed || this.down) return Promise.reject(this.down ?? new LnasError('LNAS_POOL_CLOSED', `executor is closed; trial ${spec.id} not submitted`));
    const jobId = trialJobId(spec);
    if (this.pending.has(jobId)) return Promise.reject(new LnasError('LNAS_TRIAL', `trial ${spec.id} is already submitted (job ${jobId})`));
    let inputs: Record<string, string>;
    try {
      inputs = Object.fromEntries((spec.inputs ?? []).map((p) => [insideRoot(this.o.runsDir, p, 'trial input'), readFileSync(p).toString('base64')]));
      if (spec.collect !== undefined) insideRoot(this.o.runsDir, spec.collect, 'trial output folder');
    } catch (e) { return Promise.reject(e); }
    return new Promise<R>((res, rej) => {
      this.pending.set(jobId, { spec, resolve: res as (v: unknown) => void, reject: rej, settling: false });
      this.enqueue(jobId, { spec, runsDir: this.o.runsDir, inputs, submitted: Date.now() }).catch((e: unknown) => this.fail(jobId, e));
    });
  }

  private async enqueue(jobId: string, data: TrialJobData): Promise<void> {
    const existing = await this.queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed') {
        // A rerun of the command retries what failed, as it does on the local pool.
        this.o.log(`[${data.spec.id}] failed before (${failureOf(existing.failedReason).message}); submitting it again`);
        await existing.remove();
      } else {
        this.o.log(`[${data.spec.id}] found in the queue (${state}), not submitted again`);
        await this.settle(jobId);
        return;
      }
    }
    await this.queue.add('trial', data, { jobId, attempts: 1 + this.o.crashRetries, removeOnComplete: false, removeOnFail: false });
    this.lastOk = Date.now();
    await this.settle(jobId);
  }

  /** Resolves or rejects a pending trial if its job has finished. */
  private async settle(jobId: string): Promise<void> {
    const p = this.pending.get(jobId);
    if (!p || p.settling) return;
    p.settling = true;
    try {
      const state = await this.queue.getJobState(jobId);
      this.lastOk = Date.now();
      if (state !== 'completed' && state !== 'failed') return;
      const job = await this.queue.getJob(jobId) as Job<TrialJobData, TrialJobResult> | undefined;
      if (!job) return;
      if (state === 'completed') {
        const r = job.returnvalue;
        writeFiles(this.o.runsDir, r.files);
        this.pending.delete(jobId);
        this.o.onResult?.({ id: p.spec.id, jobId, submitted: job.data.submitted, started: r.started, seconds: r.seconds, worker: r.worker });
        p.resolve(r.result);
      } else if (state === 'failed') {
        this.pending.delete(jobId);
        const info = failureOf(job.failedReason);
        p.reject(new TrialError(p.spec.id, info, `job ${jobId} on the queue ${this.o.queue}; the worker's log is in its trials folder`));
      }
    } catch (e) {
      if (e instanceof LnasError) this.fail(jobId, e);
    } finally {
      p.settling = false;
    }
  }

  private fail(jobId: string, e: unknown): void {
    const p = this.pending.get(jobId);
    if (!p) return;
    this.pending.delete(jobId);
    p.reject(e);
  }

  private tick(): void {
    if (this.closed) return;
    if (Date.now() - this.lastOk > this.o.redisTimeoutMs) {
      this.down = new LnasError('LNAS_REDIS_DOWN', `Redis at ${this.o.url} has been unreachable for ${Math.round((Date.now() - this.lastOk) / 1000)} s ` +
        `(more than --redis-timeout ${this.o.redisTimeoutMs / 1000}); ${this.pending.size} trial(s) left waiting. Start Redis and run the same command again: finished trials are not run again`);
      for (const id of [...this.pending.keys()]) this.fail(id, this.down);
      void this.close();
      return;
    }
    if (this.polling) return;
    this.polling = true;
    const poll = async () => {
      await this.queue.getJobCounts('wait');
      this.lastOk = Date.now();
      await Promise.all([...this.pending.keys()].map((id) => this.settle(id)));
    };
    poll().catch(() => {}).finally(() => { this.polling = false; });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const [id, p] of this.pending) { this.pending.delete(id); p.reject(new LnasError('LNAS_POOL_CLOSED', `executor closed; trial ${p.spec.id} left in the queue`)); }
    // A dead Redis would make a clean close wait forever.
    await Promise.race([this.queue.close(), new Promise((r) => setTimeout(r, 5000).unref())]);
  }
}

export const workerName = (): string => `${hostname()}:${process.pid}`;
