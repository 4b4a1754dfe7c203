// `lnas bench nb201-search --executor queue`: the seeds (the benchmark's repeats) run as
// independent trials on `lnas worker` processes through a real redis-server, and give the local
// pool's cells and accuracies; executor flags on another bench target are refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaults } from '../config/schema.js';
import { ExecutorSchema } from '../workers/executor.js';
import { CLI_MAIN } from '../workers/pool.js';
import { spawnWorker } from '../workers/queue-testing.js';
import { startRedis } from '../workers/testing-redis.js';
import { type Nb201SearchBenchOptions, type Nb201SeedResult, runNb201SearchBench } from './nb201-search.js';

const DATA = process.env['LNAS_DATA_DIR'] ?? '/work/shared/data';
const cifar = ['cifar-10-batches-bin', 'cifar-10-jpegq75-batches-bin'].some((f) => existsSync(join(DATA, f)));
const skip = !existsSync(join(DATA, 'nasbench201', 'nb201_full.csv')) || !cifar ? `the NAS-Bench-201 table or CIFAR-10 not found in ${DATA}; set LNAS_DATA_DIR` : false;
const tmp = (what: string) => mkdtempSync(join(tmpdir(), `lnas-nb201q-${what}-`));

const options = (runsDir: string): Nb201SearchBenchOptions => ({
  method: 'darts1', seeds: 2, seed: 5, preset: 'nb201-quick', epochs: 1, workers: 2, threads: 1, runsDir, dataDir: DATA,
  search: { channels: 4, searchImages: 256, batchSize: 64 },
});

const essentials = (r: Record<string, unknown>) => (r.per_seed as Nb201SeedResult[]).map((s) => ({ seed: s.seed, arch: s.arch, cifar10: s.cifar10_test, curve: s.curve, entropy: s.alpha_entropy }));

test('bench nb201-search: seeds through the queue on two workers equal the local pool\'s, seed by seed', { skip }, async () => {
  const local = await runNb201SearchBench(options(tmp('local')));
  const redis = await startRedis();
  const runs = tmp('coord');
  const workers = [0, 1].map((i) => spawnWorker(redis.url, { queue: 'nb201q', runsDir: tmp(`w${i}`), log: join(runs, `worker${i}.log`) }));
  try {
    const viaQueue = await runNb201SearchBench({ ...options(runs), workers: 0, threads: 0, executor: { ...defaults(ExecutorSchema), executor: 'queue', redis: redis.url, queue: 'nb201q' } });
    assert.match(String(viaQueue.executor), /^queue nb201q on redis:/);
    assert.deepEqual(essentials(viaQueue), essentials(local));
    assert.deepEqual(viaQueue.cifar10_test, local.cifar10_test);
    // Each seed ran once, on one of the workers.
    const starts = workers.map((w) => (w.text().match(/\] start /g) ?? []).length);
    assert.equal(starts[0]! + starts[1]!, 2, workers.map((w) => w.text()).join('\n'));
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await redis.stop();
  }
});

test('bench: executor flags apply only to nb201-search', () => {
  const r = spawnSync(process.execPath, [CLI_MAIN, 'bench', 'supernet', '--executor', 'queue', '--redis', 'redis://127.0.0.1:1'], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--executor applies only to bench nb201-search/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
