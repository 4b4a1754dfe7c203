// `lnas worker`: takes trials from a BullMQ queue on Redis and runs each in its own process, for
// coordinators started with `--executor queue` on this machine or any other.
import { int, optStr, str } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import { redisUrlOf } from '../../workers/executor.js';
import { resolveParallelism } from '../../workers/pool.js';
import { startQueueWorker } from '../../workers/queue-worker.js';
import { helpText, parseArgs } from '../args.js';
import { type Command, runsDir } from '../command.js';

const WorkerSchema = {
  redis: optStr('Redis URL, e.g. redis://host:6379 (default: $LNAS_REDIS_URL)'),
  queue: str('the BullMQ queue name the coordinator uses', 'lnas-trials'),
  workers: int('trials run at once on this machine (0: one per core); workers × threads never exceeds the cores', 0, { min: 0, max: 1024 }),
  threads: int('libtorch threads of each trial (0: cores / workers)', 0, { min: 0, max: 1024 }),
  runsDir: optStr('this machine\'s runs folder (default: $LNAS_RUNS_DIR or ./runs); share it with the coordinator so that killed trials resume from their checkpoints'),
  stallSeconds: int('seconds without a lock renewal after which a trial of a dead worker runs again elsewhere', 30, { min: 1 }),
  redisTimeout: int('seconds Redis may stay unreachable before this worker stops with LNAS_REDIS_DOWN', 120, { min: 1 }),
} as const;
const sections = { worker: WorkerSchema } as const;

const SUMMARY = `Run trials from a queue on Redis: every \`lnas sweep\` or \`lnas evolve\` started with
--executor queue --redis URL puts its trials there. Start any number of workers, on any number of
machines; they may join or leave while a run goes on. A trial of a worker that dies (or is killed)
runs again on another after --stall-seconds. SIGINT/SIGTERM: stop taking trials and finish the
running ones (a second signal kills them; they run again elsewhere).`;

export const workerCommand: Command = {
  summary: 'run trials from a Redis queue (BullMQ) for sweeps and evolutions started with --executor queue',
  async run(argv) {
    const { config, help, positionals } = parseArgs(argv, sections, 'worker');
    if (help) { console.log(helpText('worker', SUMMARY, sections)); return 0; }
    if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}" for \`lnas worker\``, 'worker');
    const c = config.worker;
    const par = resolveParallelism(c.workers, c.threads);
    const handle = startQueueWorker({ url: redisUrlOf(c, process.env, 'lnas worker'), queue: c.queue, workers: par.workers, threads: par.threads, runsDir: c.runsDir ?? runsDir(),
      stallSeconds: c.stallSeconds, redisTimeoutMs: c.redisTimeout * 1000, log: (line) => console.error(line) });
    let signals = 0;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        signals++;
        console.error(`lnas worker: ${signal}; ${signals === 1 ? 'finishing the running trials (again to kill them)' : 'killing the running trials'}`);
        void handle.close(signals > 1);
      });
    }
    await handle.done;
    return 0;
  },
};
