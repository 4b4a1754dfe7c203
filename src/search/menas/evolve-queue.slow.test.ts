// A tiny evolution through the queue (private redis-server, two `lnas worker` processes with
// runs folders of their own) trains the same candidates to the same scores as the local pool
// (in another order: the records are compared by candidate id);
// --repeats with --compare-random gives the evolution-vs-random table with a Welch test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI_MAIN } from '../../workers/pool.js';
import { spawnWorker, type TestWorker } from '../../workers/queue-testing.js';
import { startRedis, type TestRedis } from '../../workers/testing-redis.js';
import { TINY_ARGS } from './testing.js';

const ARGS = TINY_ARGS.filter((a, i, all) => a !== '--threads' && all[i - 1] !== '--threads');
let redis: TestRedis;
const ws: TestWorker[] = [];
before(async () => { redis = await startRedis(); });
after(async () => { for (const w of ws) if (w.child.exitCode === null) { w.child.kill('SIGKILL'); await w.exited; } await redis.stop(); });

const run = (args: string[], runs: string) => {
  const r = spawnSync(process.execPath, [CLI_MAIN, 'evolve', ...args], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: runs } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
};
const candidates = (dir: string) => (JSON.parse(readFileSync(join(dir, 'candidates.json'), 'utf8')) as Record<string, unknown>[])
  .map((c) => Object.fromEntries(Object.entries(c).filter(([k]) => !/second|time|dir/.test(k)))).sort((x, y) => (x.id as number) - (y.id as number));

test('evolve: --executor queue with two workers gives the local pool\'s candidates and scores; --repeats compares with random search', { timeout: 20 * 60_000 }, () => {
  const local = mkdtempSync(join(tmpdir(), 'lnas-eq-local-'));
  const a = run([...ARGS, '--workers', '1', '--threads', '1'], local);
  const coord = mkdtempSync(join(tmpdir(), 'lnas-eq-queue-'));
  for (const i of [0, 1]) {
    mkdirSync(join(coord, `w${i}`));
    ws.push(spawnWorker(redis.url, { queue: 'evolve', runsDir: join(coord, `w${i}`), log: join(coord, `worker${i}.log`) }));
  }
  const q = ['--executor', 'queue', '--redis', redis.url, '--queue', 'evolve'];
  const b = run([...ARGS, ...q], coord);
  assert.equal(b.evaluations, a.evaluations);
  assert.equal(b.best_ticket_acc, a.best_ticket_acc);
  assert.deepEqual(candidates(b.dir as string), candidates(a.dir as string));
  assert.ok(ws.every((w) => /\] done t-/.test(w.text())), 'both workers trained candidates');

  const small = [...ARGS.map((x, i, all) => (all[i - 1] === '--population' ? '2' : x)), ...q, '--compare-random', '--repeats', '2'];
  const r = run(small, coord);
  assert.equal((r.runs as string[]).length, 2);
  assert.equal((r.compare as string[]).length, 2);
  const rep = JSON.parse(readFileSync(join(r.dir as string, 'repeats-summary.json'), 'utf8')) as { rows: { name: string; n: number; values: number[]; p: number | null }[] };
  assert.deepEqual(rep.rows.map((x) => [x.name, x.n]), [['evolution', 2], ['random', 2]]);
  assert.deepEqual(rep.rows[0]!.values, r.best_ticket_acc);
  assert.deepEqual(rep.rows[1]!.values, r.compare_best_ticket_acc);
  assert.equal(typeof rep.rows[0]!.p, 'number');
  assert.match(readFileSync(join(r.dir as string, 'repeats.md'), 'utf8'), /Welch t-test/);
});
