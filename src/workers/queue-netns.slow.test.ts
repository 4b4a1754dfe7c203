// Workers on "separate hosts": each `lnas worker` runs in a network namespace of its own (ip netns
// + a veth pair to a bridge), sees Redis only over that network, as a second machine would, and
// has a runs folder of its own. Needs CAP_NET_ADMIN (root); without it the test is skipped and
// says why.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { QueueExecutor } from './queue.js';
import { executions, spawnWorker, type TestWorker } from './queue-testing.js';
import { startRedis, type TestRedis } from './testing-redis.js';

const id = process.pid;
const net = `10.231.${(id % 200) + 20}`;
const bridge = `lb${id}`;
const ns = (i: number) => `ln${id}-${i}`;
const sh = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const made: string[] = [];

/** A bridge at <net>.1 and one namespace per worker at <net>.(10+i); null, or why it cannot be made. */
function makeNetwork(n: number): string | null {
  try {
    sh('link', 'add', bridge, 'type', 'bridge');
    made.push('bridge');
    sh('addr', 'add', `${net}.1/24`, 'dev', bridge);
    sh('link', 'set', bridge, 'up');
    for (let i = 0; i < n; i++) {
      sh('netns', 'add', ns(i));
      made.push(ns(i));
      sh('link', 'add', `lv${id}${i}`, 'type', 'veth', 'peer', 'name', `lp${id}${i}`);
      sh('link', 'set', `lp${id}${i}`, 'netns', ns(i));
      sh('link', 'set', `lv${id}${i}`, 'master', bridge, 'up');
      sh('netns', 'exec', ns(i), 'ip', 'addr', 'add', `${net}.${10 + i}/24`, 'dev', `lp${id}${i}`);
      sh('netns', 'exec', ns(i), 'ip', 'link', 'set', `lp${id}${i}`, 'up');
      sh('netns', 'exec', ns(i), 'ip', 'link', 'set', 'lo', 'up');
    }
    return null;
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return `network namespaces cannot be created here: ${(err.stderr ? String(err.stderr) : err.message).trim()} (needs root / CAP_NET_ADMIN and the ip tool)`;
  }
}

let redis: TestRedis | null = null;
const ws: TestWorker[] = [];
after(async () => {
  for (const w of ws) if (w.child.exitCode === null) { w.child.kill('SIGKILL'); await w.exited; }
  await redis?.stop();
  for (const m of made.reverse()) {
    try { if (m === 'bridge') sh('link', 'del', bridge); else sh('netns', 'del', m); } catch { /* already gone */ }
  }
});

/** Can a process in namespace `n` open a TCP connection to host:port? */
function reachable(n: string, host: string, port: number): boolean {
  const js = `const s=require('net').connect(${port},${JSON.stringify(host)});s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(2),2000);`;
  return spawnSync('ip', ['netns', 'exec', n, process.execPath, '-e', js]).status === 0;
}

test('queue: workers in separate network namespaces (veth to a bridge), each with its own runs folder', { timeout: 180_000 }, async (t) => {
  const why = makeNetwork(2);
  if (why) { t.skip(why); return; }
  redis = await startRedis({ host: `${net}.1` });
  const loopback = await startRedis();
  try {
    // A worker's namespace reaches Redis over the bridge only; this host's loopback is not its own.
    assert.ok(reachable(ns(0), `${net}.1`, redis.port), 'Redis over the veth network');
    assert.ok(!reachable(ns(0), '127.0.0.1', loopback.port), 'the namespace has a loopback of its own');
  } finally { await loopback.stop(); }
  const coord = mkdtempSync(join(tmpdir(), 'lnas-netns-'));
  const countFile = join(mkdtempSync(join(tmpdir(), 'lnas-netns-count-')), 'count.log');
  for (const i of [0, 1]) {
    mkdirSync(join(coord, `host${i}`));
    ws.push(spawnWorker(redis.url, { queue: 'netns', runsDir: join(coord, `host${i}`), log: join(coord, `worker${i}.log`), exec: ['ip', 'netns', 'exec', ns(i)] }));
  }
  const q = new QueueExecutor({ url: redis.url, queue: 'netns', runsDir: coord, pollMs: 200 });
  try {
    const specs = [0, 1, 2, 3, 4, 5].map((i) => ({ id: `n${i}`, module: 'workers/testing.js', export: 'count', payload: { value: i, ms: 800, countFile, out: join(coord, `out-${i}`) }, collect: join(coord, `out-${i}`) }));
    const results = await Promise.all(specs.map((s) => q.submit(s)));
    assert.deepEqual(results, specs.map((s) => ({ value: s.payload.value })));
    assert.deepEqual([...executions(countFile).values()], specs.map(() => 1));
    for (const s of specs) {
      assert.deepEqual(JSON.parse(readFileSync(join(coord, `out-${s.payload.value}`, 'summary.json'), 'utf8')), { value: s.payload.value });
      const on = [0, 1].filter((i) => existsSync(join(coord, `host${i}`, `out-${s.payload.value}`, 'model.safetensors')));
      assert.equal(on.length, 1, 'the weights stay on the one host that trained it');
    }
    assert.ok(ws.every((w) => /\] done t-/.test(w.text())), 'both namespaced workers ran trials');
  } finally {
    await q.close();
  }
});
