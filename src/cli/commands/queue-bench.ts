// `lnas queue-bench latency|sweep --redis URL`: overhead of --executor queue against the local
// pool, as JSON (src/bench/queue.ts). Starts its own `lnas worker` processes on this machine.
import { int, optStr } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import { benchQueueLatency, benchQueueSweep } from '../../bench/queue.js';
import { redisUrlOf } from '../../workers/executor.js';
import { helpText, parseArgs } from '../args.js';
import type { Command } from '../command.js';

const Schema = {
  redis: optStr('Redis URL (default: $LNAS_REDIS_URL)'),
  trials: int('latency: empty trials, one after the other', 100, { min: 1 }),
  localTrials: int('latency: of those, how many also run on the local pool for the round-trip comparison', 10, { min: 0 }),
  rounds: int('sweep: local and queue runs, alternating', 1, { min: 1, max: 20 }),
  sweepPreset: optStr('sweep: time `lnas sweep --preset NAME` (e.g. quick, about 35 minutes a run here) instead of the tiny synthetic sweep'),
  keep: optStr('sweep: keep the runs folders (local, queue, workers per round) under this folder instead of deleting them'),
} as const;
const sections = { bench: Schema };

/** The sweep timed by `queue-bench sweep`: the tiny synthetic sweep of the tests (3 stages). */
export const TINY_SWEEP = ['--dataset', 'synthetic', '--train-limit', '160', '--val-size', '32', '--test-limit', '32', '--search-images', '64', '--search-channels', '2',
  '--search-layers', '3', '--search-epochs', '1', '--search-batch-size', '32', '--channels', '4', '--layers', '3', '--epochs', '2', '--batch-size', '32', '--sparsities', '0.5',
  '--variants', 'v1,v2', '--checkpoint-every', '1'];

export const queueBenchCommand: Command = {
  summary: 'overhead of --executor queue: job latency over empty trials, or a tiny sweep local vs queue (JSON)',
  async run(argv) {
    const { config, help, positionals } = parseArgs(argv, sections, 'queue-bench', {}, undefined, [], { positionals: 'any' });
    if (help) { console.log(helpText('queue-bench', 'latency: job latency (submit -> start) and round trips of empty trials; sweep: a tiny synthetic sweep (v1, v2 at p = 0.5: 2 searches, 3 retrainings) on the local pool and through the queue, alternately.', sections, 'latency|sweep ')); return 0; }
    const [what, ...rest] = positionals;
    if ((what !== 'latency' && what !== 'sweep') || rest.length > 0) throw new ConfigError('usage: lnas queue-bench latency|sweep --redis URL', 'queue-bench');
    const url = redisUrlOf(config.bench, process.env, 'lnas queue-bench');
    const b = config.bench;
    if (what === 'latency' && (b.sweepPreset !== null || b.keep !== null)) throw new ConfigError(`--${b.sweepPreset !== null ? 'sweep-preset' : 'keep'} is for queue-bench sweep`, 'queue-bench');
    const out = what === 'latency' ? await benchQueueLatency({ url, trials: b.trials, localTrials: b.localTrials })
      : benchQueueSweep({ url, rounds: b.rounds, sweepArgs: b.sweepPreset === null ? TINY_SWEEP : ['--preset', b.sweepPreset], keep: b.keep });
    console.log(JSON.stringify(out));
    return 0;
  },
};
