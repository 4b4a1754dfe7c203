// One interface for running trials, used by sweeps, evolution and seed repeats: submit a trial
// spec, get its JSON result; a failing trial rejects its own promise only. Two implementations:
// LocalPool (worker processes on this machine, the default) and QueueExecutor (BullMQ jobs on
// Redis, taken by `lnas worker` processes on any number of machines).
import { int, oneOf, optStr, str, type ConfigOf } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { LocalPool, type PoolEvent, resolveParallelism } from './pool.js';
import { QueueExecutor } from './queue.js';
import type { TrialExecutor } from './trial.js';

export type { TrialExecutor } from './trial.js';


export const ExecutorSchema = {
  executor: oneOf('where trials run: local (worker processes on this machine) or queue (BullMQ jobs on Redis, run by `lnas worker` on any machine)', ['local', 'queue'], 'local'),
  redis: optStr('Redis URL for --executor queue, e.g. redis://host:6379 (default: $LNAS_REDIS_URL)'),
  queue: str('queue: the BullMQ queue name shared by the coordinator and its workers', 'lnas-trials'),
  crashRetries: int('queue: times a trial whose process crashed is run again (a trial of a worker that died runs once more elsewhere; a typed error is never retried)', 1, { min: 0, max: 100 }),
  redisTimeout: int('queue: seconds Redis may stay unreachable before the run stops with LNAS_REDIS_DOWN', 120, { min: 1 }),
} as const;
export type ExecutorConfig = ConfigOf<typeof ExecutorSchema>;

export interface ExecutorOptions {
  workers: number;
  threads: number;
  /** Local: folder for the trial files. */
  dir: string;
  /** The runs folder that the payloads' paths are under (queue workers may map it to their own). */
  runsDir: string;
  cores?: number;
  onEvent?: (e: PoolEvent) => void;
  log?: (line: string) => void;
}

export function redisUrlOf(cfg: Pick<ExecutorConfig, 'redis'>, env: NodeJS.ProcessEnv = process.env, what = '--executor queue'): string {
  const url = cfg.redis ?? env.LNAS_REDIS_URL ?? null;
  if (url === null || url === '') throw new ConfigError(`${what} needs --redis redis://host:port (or LNAS_REDIS_URL)`, 'redis');
  return url;
}

export function createExecutor(cfg: ExecutorConfig, o: ExecutorOptions): TrialExecutor {
  if (cfg.executor === 'queue') {
    if (o.workers !== 0) throw new ConfigError('--workers is for --executor local; with a queue, each `lnas worker --workers N` sets its own', 'workers');
    if (o.threads !== 0) throw new ConfigError('--threads is for --executor local; with a queue, each `lnas worker --threads T` sets its own', 'threads');
    return new QueueExecutor({ url: redisUrlOf(cfg), queue: cfg.queue, runsDir: o.runsDir, crashRetries: cfg.crashRetries,
      redisTimeoutMs: cfg.redisTimeout * 1000, ...(o.log ? { log: o.log } : {}) });
  }
  for (const [k, v] of [['redis', cfg.redis !== null], ['queue', cfg.queue !== ExecutorSchema.queue.default], ['crash-retries', cfg.crashRetries !== ExecutorSchema.crashRetries.default],
    ['redis-timeout', cfg.redisTimeout !== ExecutorSchema.redisTimeout.default]] as const) {
    if (v) throw new ConfigError(`--${k} is for --executor queue`, k);
  }
  const par = resolveParallelism(o.workers, o.threads, o.cores);
  return new LocalPool({ workers: par.workers, threads: par.threads, dir: o.dir, ...(o.onEvent ? { onEvent: o.onEvent } : {}) });
}
