// A tiny sweep through the queue (a private redis-server, two `lnas worker` processes, each with
// a runs folder of its own) gives the local pool's Table 1, bit for bit at threads = 1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI_MAIN } from '../workers/pool.js';
import { spawnWorker, type TestWorker } from '../workers/queue-testing.js';
import { startRedis, type TestRedis } from '../workers/testing-redis.js';

const SWEEP = ['sweep', '--dataset', 'synthetic', '--train-limit', '96', '--val-size', '32', '--test-limit', '32', '--search-images', '64', '--search-channels', '2', '--search-layers', '3',
  '--search-epochs', '1', '--search-batch-size', '32', '--channels', '4', '--layers', '3', '--epochs', '2', '--batch-size', '32', '--sparsities', '0.5',
  '--variants', 'v1', '--checkpoint-every', '1'];

let redis: TestRedis;
const ws: TestWorker[] = [];
before(async () => { redis = await startRedis(); });
after(async () => { for (const w of ws) if (w.child.exitCode === null) { w.child.kill('SIGKILL'); await w.exited; } await redis.stop(); });

const sweepDir = (runs: string) => join(runs, readdirSync(runs).filter((d) => d.startsWith('sweep-')).sort()[0] as string);
/** Table 1 without its timings (wall time differs between any two runs). */
const table = (runs: string) => (JSON.parse(readFileSync(join(sweepDir(runs), 'table1.json'), 'utf8')) as Record<string, unknown>[])
  .map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !/second|time/.test(k))));

test('sweep: --executor queue with two workers on their own runs folders gives the local pool\'s Table 1 exactly', { timeout: 15 * 60_000 }, () => {
  const local = mkdtempSync(join(tmpdir(), 'lnas-sq-local-'));
  const r1 = spawnSync(process.execPath, [CLI_MAIN, ...SWEEP, '--workers', '1', '--threads', '1'], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: local } });
  assert.equal(r1.status, 0, r1.stderr);

  const coord = mkdtempSync(join(tmpdir(), 'lnas-sq-queue-'));
  for (const i of [0, 1]) {
    mkdirSync(join(coord, `w${i}`));
    ws.push(spawnWorker(redis.url, { queue: 'sweep', runsDir: join(coord, `w${i}`), log: join(coord, `worker${i}.log`) }));
  }
  const r2 = spawnSync(process.execPath, [CLI_MAIN, ...SWEEP, '--executor', 'queue', '--redis', redis.url, '--queue', 'sweep'], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: coord } });
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(r2.stderr, /queue sweep on redis:/);
  const rows = table(coord);
  assert.deepEqual(rows.map((r) => r.run), ['baseline', 'v1-p0.5']);
  assert.deepEqual(rows, table(local));
  for (const row of rows) assert.equal(typeof row.acc_full, 'number');
  // The workers did the work (in their own folders), and both took part.
  const logs = ws.map((w) => w.text());
  assert.equal(logs.reduce((n, t) => n + (t.match(/\] done t-/g) ?? []).length, 0), 3, 'one search and two retrainings');
  // `lnas report` works from the coordinator's folder alone.
  const rep1 = spawnSync(process.execPath, [CLI_MAIN, 'report', sweepDir(coord)], { encoding: 'utf8' });
  assert.equal(rep1.status, 0, rep1.stderr);
  assert.match(rep1.stdout, /v1-p0\.5|Variant 1/);
  const firstDir = sweepDir(coord);
  // --repeats 2 on the same queue: seed +0 is the sweep above (nothing runs again), seed +1 is new.
  const r3 = spawnSync(process.execPath, [CLI_MAIN, ...SWEEP, '--executor', 'queue', '--redis', redis.url, '--queue', 'sweep', '--repeats', '2'], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: coord } });
  assert.equal(r3.status, 0, r3.stderr);
  assert.equal(ws.reduce((n, w) => n + (w.text().match(/\] done t-/g) ?? []).length, 0), 6, 'three more trials: the second seed only');
  const out = JSON.parse(r3.stdout.trim().split('\n').pop() as string) as { dir: string; sweeps: string[] };
  assert.equal(out.sweeps.length, 2);
  assert.equal(out.sweeps[0], firstDir, 'seed +0 is the plain sweep');
  const rep = JSON.parse(readFileSync(join(out.dir, 'table1-repeats.json'), 'utf8')) as { full: { name: string; n: number; mean: number; values: number[]; p: number | null }[] };
  const perSeed = out.sweeps.map((d) => JSON.parse(readFileSync(join(d, 'table1.json'), 'utf8')) as { run: string; acc_full: number }[]);
  for (const row of rep.full) {
    assert.equal(row.n, 2, row.name);
    assert.deepEqual(row.values, perSeed.map((t) => t.find((r) => r.run === row.name)!.acc_full));
    assert.ok(Math.abs(row.mean - (row.values[0]! + row.values[1]!) / 2) < 1e-12);
  }
  assert.equal(rep.full.find((r) => r.name === 'baseline')!.p, null, 'the baseline is the reference');
  assert.match(readFileSync(join(out.dir, 'table1-repeats.md'), 'utf8'), /Welch t-test/);
  const rep2 = spawnSync(process.execPath, [CLI_MAIN, 'report', out.dir], { encoding: 'utf8' });
  assert.equal(rep2.status, 0, rep2.stderr);
  assert.match(rep2.stdout, /mean ± std/);
  // Mistakes: queue-only flags without the queue, local-only flags with it.
  for (const [args, pattern] of [[['--redis', redis.url], /--redis is for --executor queue/], [['--executor', 'queue', '--redis', redis.url, '--workers', '2'], /--workers is for --executor local/],
    [['--executor', 'queue'], /needs --redis/]] as [string[], RegExp][]) {
    const r = spawnSync(process.execPath, [CLI_MAIN, ...SWEEP, ...args], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: coord, LNAS_REDIS_URL: '' } });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, pattern);
  }
});
