import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pidAlive } from '../runs/lock.js';
import { LocalPool, TrialError, resolveParallelism } from './pool.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lnas-pool-'));
const M = 'workers/testing.js';
interface Echo { value: unknown; id: string; threads: number; omp: string; pid: number; start: number; end: number }

test('resolveParallelism never lets workers × threads exceed the cores', () => {
  assert.deepEqual(resolveParallelism(0, 0, 8), { workers: 8, threads: 1 });
  assert.deepEqual(resolveParallelism(2, 0, 8), { workers: 2, threads: 4 });
  assert.deepEqual(resolveParallelism(3, 0, 8), { workers: 3, threads: 2 });
  assert.deepEqual(resolveParallelism(2, 1, 2), { workers: 2, threads: 1 });
  assert.throws(() => resolveParallelism(3, 0, 2), (e: unknown) => e instanceof Error && /more than the 2 cores/.test(e.message));
  assert.throws(() => resolveParallelism(2, 2, 2), /oversubscribe/);
});

test('pool: results come back, at most `workers` run at once, one failure does not stop the others', async () => {
  const pool = new LocalPool({ workers: 2, threads: 1, dir: tmp() });
  try {
    const ok = [0, 1, 2].map((i) => pool.submit<Echo>({ id: `echo-${i}`, module: M, export: 'echo', payload: { value: i, ms: 400 } }));
    const bad = pool.submit({ id: 'bad', module: M, export: 'fail', payload: { value: 'x' } });
    const dead = pool.submit({ id: 'dead', module: M, export: 'crash', payload: { code: 3 } });
    const missing = pool.submit({ id: 'missing', module: M, export: 'noSuchExport', payload: {} });
    await assert.rejects(bad, (e: unknown) => e instanceof TrialError && e.code === 'TEST_FAILURE' && /failed on purpose: x/.test(e.message));
    await assert.rejects(dead, (e: unknown) => e instanceof TrialError && /exited with code 3/.test(e.message));
    await assert.rejects(missing, /no exported function noSuchExport/);
    const results = await Promise.all(ok);
    assert.deepEqual(results.map((r) => r.value), [0, 1, 2]);
    for (const r of results) { assert.equal(r.threads, 1); assert.equal(r.omp, '1'); }
    assert.equal(new Set(results.map((r) => r.pid)).size, 3, 'one process per trial');
    // Overlap count at each start: never more than two trials at the same time.
    for (const a of results) assert.ok(results.filter((b) => b.start <= a.start && b.end > a.start).length <= 2);
    assert.ok(results.some((a) => results.some((b) => a !== b && b.start < a.end && a.start < b.end)), 'two workers did run in parallel');
  } finally {
    pool.close();
  }
});

test('pool: trials sharing a lock key never overlap; handler modules outside dist/ are refused', async () => {
  const dir = tmp();
  const pool = new LocalPool({ workers: 2, threads: 1, dir });
  try {
    const lock = join(dir, 'stage', 'worker.lock');
    const [a, b] = await Promise.all([0, 1].map((i) => pool.submit<Echo>({ id: `l${i}`, module: M, export: 'echo', payload: { ms: 300 }, lock })));
    assert.ok(a && b && (a.end <= b.start || b.end <= a.start), 'lock serialises the two trials');
    assert.ok(!existsSync(lock), 'released');
    await assert.rejects(pool.submit({ id: 'evil', module: '../../etc/x.js', payload: {} }), /outside/);
  } finally {
    pool.close();
  }
});

test('pool: a SIGKILLed pool leaves no worker running (orphans exit at their next progress update)', async () => {
  const dir = tmp();
  // A parent process holding a pool with a spinning trial; we SIGKILL the parent.
  const script = `import { LocalPool } from ${JSON.stringify(new URL('./pool.js', import.meta.url).href)};
    const pool = new LocalPool({ workers: 1, threads: 1, dir: ${JSON.stringify(dir)}, onEvent: (e) => { if (e.type === 'start') console.log(e.pid); } });
    pool.submit({ id: 'spin', module: 'workers/testing.js', export: 'spin', payload: { ms: 60000 } }).catch(() => {});`;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const workerPid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
  assert.ok(pidAlive(workerPid));
  parent.kill('SIGKILL');
  const deadline = Date.now() + 300_000; // an upper bound only: the loop ends as soon as the orphan exits
  while (pidAlive(workerPid, '__trial') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(!pidAlive(workerPid, '__trial'), 'the orphaned worker exited');
  assert.ok(!existsSync(join(dir, 'spin.result.json')));
  assert.match(readFileSync(join(dir, 'spin.spec.json'), 'utf8'), /"threads": 1/);
});
