// A local pool of worker processes for independent trials (sweep stages, evolution candidates):
// submit(spec) -> Promise<result>. Each trial runs as `node dist/cli/main.js __trial <spec.json>`
// with its libtorch thread count set so that workers × threads never exceeds the cores: OpenMP
// oversubscription makes libtorch catastrophically slow. One failing trial rejects its own
// promise only. Trials are expected to be resumable themselves; the pool only makes sure a
// killed pool leaves no worker behind writing (workers exit when orphaned) and that two trials
// with the same lock file never overlap.
//
// Use: new LocalPool({ workers, threads, dir }).submit({ id, module: 'search/evolution/x.js',
// export: 'trainCandidate', payload }) runs `trainCandidate(payload, { id, threads, progress })`
// from dist/search/evolution/x.js in a worker and resolves with its JSON return value.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, LnasError } from '../errors.js';
import { writeJsonAtomic } from '../util/fs.js';
import { acquireLock, handOverLock, releaseLock } from '../runs/lock.js';
import { type TrialEnvelope, type TrialExecutor, type TrialErrorInfo, type TrialSpec, resolveHandlerModule } from './trial.js';

export const CLI_MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface PoolOptions {
  workers: number;
  /** libtorch (and OpenMP) threads of each worker. */
  threads: number;
  /** Folder for the trial files: <id>.spec.json, .result.json, .error.json, .log. */
  dir: string;
  onEvent?: (e: PoolEvent) => void;
  /** How long a trial waits for a lock held by another live process (default 15 minutes). */
  lockTimeoutMs?: number;
}

export type PoolEvent =
  | { type: 'start'; id: string; pid: number }
  | { type: 'wait'; id: string; holder: number }
  | { type: 'end'; id: string; ok: boolean; seconds: number; error?: TrialErrorInfo };

/** A trial that failed; `code` is the trial's own error code when it reported one. */
export class TrialError extends LnasError {
  readonly trialId: string;
  readonly log: string;
  readonly info: TrialErrorInfo;
  constructor(trialId: string, info: TrialErrorInfo, log: string) {
    super(info.code, `trial ${trialId} failed: ${info.message} (log: ${log})`);
    this.trialId = trialId;
    this.log = log;
    this.info = info;
  }
}

/** Workers and threads per worker for this machine; explicit values that oversubscribe are errors. */
export function resolveParallelism(workers: number, threads: number, cores = availableParallelism()): { workers: number; threads: number } {
  const w = workers > 0 ? workers : cores;
  if (w > cores) throw new ConfigError(`--workers ${w} is more than the ${cores} cores of this machine; use at most --workers ${cores}`, 'workers');
  const t = threads > 0 ? threads : Math.max(1, Math.floor(cores / w));
  if (w * t > cores) {
    throw new ConfigError(`--workers ${w} × --threads ${t} = ${w * t} threads on ${cores} cores would oversubscribe them and make libtorch very slow; use --threads ${Math.max(1, Math.floor(cores / w))} or fewer workers`, 'threads');
  }
  return { workers: w, threads: t };
}

interface Queued { spec: TrialSpec; resolve: (v: unknown) => void; reject: (e: unknown) => void }

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

export class LocalPool implements TrialExecutor {
  readonly workers: number;
  readonly threads: number;
  private readonly o: PoolOptions;
  private readonly queue: Queued[] = [];
  private readonly children = new Set<ChildProcess>();
  private readonly heldLocks = new Set<string>();
  private running = 0;
  private closed = false;
  private readonly killAll = () => { for (const c of this.children) c.kill('SIGKILL'); };

  constructor(o: PoolOptions) {
    if (!(o.workers >= 1) || !(o.threads >= 1)) throw new ConfigError('a pool needs at least one worker and one thread', 'workers');
    this.o = o;
    this.workers = o.workers;
    this.threads = o.threads;
    process.once('exit', this.killAll);
  }

  submit<R = unknown>(spec: TrialSpec): Promise<R> {
    try { resolveHandlerModule(spec.module); } catch (e) { return Promise.reject(e); }
    if (this.closed) return Promise.reject(new LnasError('LNAS_POOL_CLOSED', `pool is closed; trial ${spec.id} not started`));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ spec, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Kills running workers (their trials stay resumable) and rejects queued trials. */
  close(): void {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new LnasError('LNAS_POOL_CLOSED', `pool closed; trial ${q.spec.id} not started`));
    this.killAll();
    process.removeListener('exit', this.killAll);
  }

  get busy(): number { return this.running; }

  get description(): string { return `${this.workers} worker${this.workers > 1 ? 's' : ''} × ${this.threads} thread${this.threads > 1 ? 's' : ''}`; }

  private pump(): void {
    while (!this.closed && this.running < this.workers && this.queue.length > 0) {
      const q = this.queue.shift() as Queued;
      this.running++;
      this.run(q.spec).then(q.resolve, q.reject).finally(() => { this.running--; this.pump(); });
    }
  }

  private async run(spec: TrialSpec): Promise<unknown> {
    const base = join(this.o.dir, safeName(spec.id));
    const files = { spec: `${base}.spec.json`, result: `${base}.result.json`, error: `${base}.error.json`, log: `${base}.log` };
    const lockFile = spec.lock === undefined ? null : resolve(spec.lock);
    if (lockFile) {
      while (this.heldLocks.has(lockFile)) await new Promise((r) => setTimeout(r, 100));
      this.heldLocks.add(lockFile);
    }
    let spawned = false;
    try {
      if (lockFile) {
        // Taken atomically in this process's name, then handed to the worker once it has a pid.
        await acquireLock(lockFile, process.pid, files.spec, { timeoutMs: this.o.lockTimeoutMs ?? 15 * 60_000,
          onWait: (holder) => this.o.onEvent?.({ type: 'wait', id: spec.id, holder }) });
      }
      if (this.closed) throw new LnasError('LNAS_POOL_CLOSED', `pool closed; trial ${spec.id} not started`);
      rmSync(files.result, { force: true });
      rmSync(files.error, { force: true });
      const envelope: TrialEnvelope = { id: spec.id, module: spec.module, export: spec.export ?? 'runTrial', payload: spec.payload,
        threads: this.threads, resultFile: files.result, errorFile: files.error, parentPid: process.pid };
      writeJsonAtomic(files.spec, envelope);
      spawned = true;
      return await this.spawnTrial(spec.id, files, lockFile);
    } finally {
      if (lockFile && !spawned) releaseLock(lockFile, process.pid);
      if (lockFile) this.heldLocks.delete(lockFile);
    }
  }

  private spawnTrial(id: string, files: { spec: string; result: string; error: string; log: string }, lockFile: string | null): Promise<unknown> {
    const started = performance.now();
    const logFd = openSync(files.log, 'a');
    const t = String(this.threads);
    const child = spawn(process.execPath, [CLI_MAIN, '__trial', files.spec], {
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, OMP_NUM_THREADS: t, MKL_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t },
    });
    closeSync(logFd);
    this.children.add(child);
    if (lockFile && child.pid !== undefined) handOverLock(lockFile, child.pid, files.spec);
    if (lockFile && child.pid === undefined) releaseLock(lockFile, process.pid);
    if (child.pid !== undefined) this.o.onEvent?.({ type: 'start', id, pid: child.pid });
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
        if (settled) return;
        settled = true;
        this.children.delete(child);
        if (lockFile && child.pid !== undefined) releaseLock(lockFile, child.pid);
        const seconds = (performance.now() - started) / 1000;
        if (code === 0 && existsSync(files.result)) {
          this.o.onEvent?.({ type: 'end', id, ok: true, seconds });
          resolve(JSON.parse(readFileSync(files.result, 'utf8')));
          return;
        }
        const info = readError(files.error) ?? { code: 'LNAS_TRIAL_CRASH',
          message: spawnError ? spawnError.message : signal ? `worker killed by ${signal}` : `worker exited with code ${code}: ${logTail(files.log)}` };
        this.o.onEvent?.({ type: 'end', id, ok: false, seconds, error: info });
        reject(new TrialError(id, info, files.log));
      };
      child.once('error', (e) => finish(null, null, e));
      child.once('exit', (code, signal) => finish(code, signal));
    });
  }
}

function readError(path: string): TrialErrorInfo | null {
  try { return JSON.parse(readFileSync(path, 'utf8')) as TrialErrorInfo; } catch { return null; }
}

function logTail(path: string): string {
  try { return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' / ').slice(-500); } catch { return ''; }
}
