// Trials on BullMQ against a real, private redis-server: two `lnas worker` processes, results as
// on the local pool, typed errors not retried, crashes retried once, a SIGKILLed worker's trial
// run again elsewhere and recorded once, a SIGKILLed coordinator restarted without running any
// trial twice, a Redis restart mid-run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { pidAlive } from '../runs/lock.js';
import { LocalPool, TrialError } from './pool.js';
import { QueueExecutor, redisConnection, remapPaths, trialJobId } from './queue.js';
import { executions, spawnWorker, startsInLogs, type TestWorker, until } from './queue-testing.js';
import { startRedis, type TestRedis } from './testing-redis.js';

const M = 'workers/testing.js';
const tmp = () => mkdtempSync(join(tmpdir(), 'lnas-queue-'));
let redis: TestRedis;
const workers: TestWorker[] = [];
before(async () => { redis = await startRedis(); });
after(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await redis.stop();
});
const twoWorkers = (queue: string, runsDir: string, o: { stallSeconds?: number } = {}) => {
  mkdirSync(runsDir, { recursive: true });
  const ws = [0, 1].map((i) => spawnWorker(redis.url, { queue, runsDir, log: join(runsDir, `worker${i}.log`), ...o }));
  workers.push(...ws);
  return ws;
};
const stopAll = async (ws: TestWorker[]) => { for (const w of ws) { w.child.kill('SIGKILL'); await w.exited; } };

test('remapPaths maps paths under the coordinator runs folder only', () => {
  assert.deepEqual(remapPaths({ a: '/r/x/y', b: ['/r', '/rr/z', 3], c: '/other' }, '/r', '/w'), { a: '/w/x/y', b: ['/w', '/rr/z', 3], c: '/other' });
  assert.equal(trialJobId({ id: 'a', module: M, payload: { x: 1 } }), trialJobId({ id: 'b', module: M, payload: { x: 1 } }), 'the id is the identity, not the name');
  assert.throws(() => redisConnection('http://x'), /redis:\/\//);
});

test('queue: two workers give the local pool\'s results; typed errors fail once, crashes are retried once; files come back; resubmitting is idempotent', { timeout: 180_000 }, async () => {
  const runs = tmp();
  const countFile = join(tmp(), 'count.log');
  const ws = twoWorkers('q-basic', join(runs, 'w'));
  const q = new QueueExecutor({ url: redis.url, queue: 'q-basic', runsDir: runs, pollMs: 200 });
  const local = new LocalPool({ workers: 1, threads: 1, dir: tmp() });
  try {
    const specs = [0, 1, 2, 3].map((i) => ({ id: `c${i}`, module: M, export: 'count', payload: { value: i, ms: 600, countFile, out: join(runs, `out-${i}`) }, collect: join(runs, `out-${i}`) }));
    const results = await Promise.all(specs.map((s) => q.submit(s)));
    const localResults = await Promise.all(specs.map((s) => local.submit({ ...s, payload: { ...s.payload, countFile: join(runs, 'local.log'), out: join(runs, 'local', s.id) } })));
    assert.deepEqual(results, localResults);
    assert.deepEqual(results, [0, 1, 2, 3].map((value) => ({ value })));
    // Workers have their own runs folder (runs/w): the small file came back, the weights did not.
    for (let i = 0; i < 4; i++) {
      assert.deepEqual(JSON.parse(readFileSync(join(runs, `out-${i}`, 'summary.json'), 'utf8')), { value: i });
      assert.ok(!existsSync(join(runs, `out-${i}`, 'model.safetensors')));
      assert.ok(existsSync(join(runs, 'w', `out-${i}`, 'model.safetensors')), 'weights stay on the worker');
    }
    await assert.rejects(q.submit({ id: 'bad', module: M, export: 'count', payload: { value: 'bad', fail: true, countFile } }),
      (e: unknown) => e instanceof TrialError && e.code === 'TEST_FAILURE' && /failed on purpose: bad/.test(e.message));
    await assert.rejects(q.submit({ id: 'dies', module: M, export: 'count', payload: { value: 'dies', crash: true, countFile } }),
      (e: unknown) => e instanceof TrialError && e.code === 'LNAS_TRIAL_CRASH' && /exited with code 3/.test(e.message));
    const n = executions(countFile);
    assert.deepEqual([0, 1, 2, 3].map((i) => n.get(String(i))), [1, 1, 1, 1]);
    assert.equal(n.get('bad'), 1, 'a typed error is not retried');
    assert.equal(n.get('dies'), 2, 'a crash is retried once (--crash-retries 1)');
    const logs = ws.map((w) => w.text());
    assert.ok(logs.every((t) => /\] start t-/.test(t)), 'both workers ran trials');
    // A second coordinator submitting the same trials finds them finished: nothing runs again.
    const q2 = new QueueExecutor({ url: redis.url, queue: 'q-basic', runsDir: runs, pollMs: 200 });
    assert.deepEqual(await Promise.all(specs.map((s) => q2.submit(s))), results);
    await q2.close();
    assert.deepEqual([...executions(countFile).values()].reduce((a, b) => a + b, 0), 7);
  } finally {
    await q.close();
    local.close();
    await stopAll(ws);
  }
});

test('queue: a worker SIGKILLed mid-trial: the trial runs again on the other worker and its result is recorded once', { timeout: 180_000 }, async () => {
  const runs = tmp();
  const countFile = join(tmp(), 'count.log');
  const ws = twoWorkers('q-kill', runs);
  const q = new QueueExecutor({ url: redis.url, queue: 'q-kill', runsDir: runs, pollMs: 200 });
  try {
    const long = q.submit<{ value: string }>({ id: 'long', module: M, export: 'count', payload: { value: 'long', ms: 4000, countFile } });
    await until(() => ws.some((w) => /\] start t-\S+ long /.test(w.text())), 'the long trial to start');
    const victim = ws.find((w) => /\] start t-\S+ long /.test(w.text())) as TestWorker;
    const other = ws.find((w) => w !== victim) as TestWorker;
    await until(() => (executions(countFile).get('long') ?? 0) === 1, 'the trial process to run');
    const trialPid = Number(readFileSync(countFile, 'utf8').trim().split(' ')[2]);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const shorts = [0, 1, 2].map((i) => q.submit<{ value: number }>({ id: `s${i}`, module: M, export: 'count', payload: { value: i, ms: 100, countFile } }));
    assert.deepEqual(await long, { value: 'long' });
    assert.deepEqual((await Promise.all(shorts)).map((r) => r.value), [0, 1, 2]);
    assert.match(other.text(), /\] done t-\S+ long /, 'the live worker finished it');
    await until(() => !pidAlive(trialPid, '__trial'), 'the killed worker\'s trial process to exit', 30_000);
    const n = executions(countFile);
    assert.equal(n.get('long'), 2, 'started on the killed worker, run again on the live one');
    for (const i of [0, 1, 2]) assert.equal(n.get(String(i)), 1);
    // Recorded once: one completed job per trial, none failed, nothing left waiting.
    const queue = new Queue('q-kill', { connection: redisConnection(redis.url) });
    assert.deepEqual(await queue.getJobCounts('completed', 'failed', 'wait', 'active'), { completed: 4, failed: 0, wait: 0, active: 0 });
    await queue.close();
  } finally {
    await q.close();
    await stopAll(ws);
  }
});

test('queue: the coordinator SIGKILLed and restarted runs no trial twice; a Redis restart mid-run loses nothing', { timeout: 240_000 }, async () => {
  const runs = tmp();
  const countFile = join(tmp(), 'count.log');
  const ws = twoWorkers('q-coord', runs, { stallSeconds: 5 });
  const specs = [0, 1, 2, 3, 4, 5].map((i) => ({ id: `c${i}`, module: M, export: 'count', payload: { value: i, ms: 1500, countFile } }));
  const script = `import { QueueExecutor } from ${JSON.stringify(new URL('./queue.js', import.meta.url).href)};
    const q = new QueueExecutor({ url: ${JSON.stringify(redis.url)}, queue: 'q-coord', runsDir: ${JSON.stringify(runs)}, pollMs: 200 });
    const r = await Promise.all(${JSON.stringify(specs)}.map((s) => q.submit(s)));
    console.log(JSON.stringify(r)); await q.close();`;
  const coordinator = () => {
    const c = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => { out += String(d); });
    return { c, done: new Promise<string>((r) => c.once('exit', () => r(out))) };
  };
  try {
    const first = coordinator();
    await until(() => executions(countFile).size >= 1, 'a first trial to start');
    first.c.kill('SIGKILL');
    await first.done;
    assert.ok(executions(countFile).size < specs.length, 'killed before every trial had started');
    const second = coordinator();
    // Redis restarted (SIGTERM, then the same port and data) while trials run.
    await until(() => executions(countFile).size >= 3, 'more trials to start');
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();
    const out = await second.done;
    assert.deepEqual(JSON.parse(out), specs.map((s) => ({ value: s.payload.value })));
    const n = executions(countFile);
    assert.deepEqual(specs.map((s) => n.get(String(s.payload.value))), specs.map(() => 1), 'every trial ran exactly once');
    const starts = startsInLogs(...ws.map((w) => w.text()));
    assert.equal(starts.size, specs.length);
    assert.ok([...starts.values()].every((k) => k === 1), 'one start per job in the workers\' logs');
    assert.ok(ws.every((w) => w.child.exitCode === null), 'the workers lived through the Redis restart');
  } finally {
    await stopAll(ws);
  }
});

test('queue: Redis unreachable past --redis-timeout is a clear error for the coordinator and the worker', { timeout: 60_000 }, async () => {
  const dead = 'redis://127.0.0.1:1';
  const q = new QueueExecutor({ url: dead, queue: 'x', runsDir: tmp(), redisTimeoutMs: 1500 });
  await assert.rejects(q.submit({ id: 'a', module: M, export: 'echo', payload: {} }), (e: unknown) => e instanceof Error && 'code' in e && e.code === 'LNAS_REDIS_DOWN');
  await q.close();
  const runs = tmp();
  const w = spawnWorker(dead, { queue: 'x', runsDir: runs, log: join(runs, 'w.log'), redisTimeout: 2 });
  assert.equal(await w.exited, 2);
  assert.match(w.text(), /lnas: error \[LNAS_REDIS_DOWN\].*unreachable for more than 2 s/);
  assert.doesNotMatch(w.text(), /\n\s+at /, 'no stack trace');
});
