// Overhead of the queue executor against the local pool.
//   latency: N empty trials one after the other on one `lnas worker`: the job latency (submit ->
//     the worker starts the job) and the round trip (submit -> result) of the queue, next to the
//     round trip of the local pool (both spawn one trial process per trial).
//   sweep: the same sweep (argv given) run alternately on the local pool and through the queue
//     (two workers × 1 thread on this machine either way); wall times, their ratio, and whether
//     Table 1 came out the same.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPool, CLI_MAIN } from '../workers/pool.js';
import { QueueExecutor } from '../workers/queue.js';
import { quantileSorted } from '../util/stats.js';

/** An empty trial: what the queue and the pool cost around the work. */
export function emptyTrial(): null { return null; }

const median = (xs: number[]) => quantileSorted([...xs].sort((a, b) => a - b), 0.5);
const EMPTY = { module: 'bench/queue.js', export: 'emptyTrial' } as const;

function startWorkers(url: string, queue: string, runsDir: string, n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, [CLI_MAIN, 'worker', '--redis', url, '--queue', queue, '--workers', '1', '--threads', '1', '--runs-dir', runsDir],
    { stdio: 'ignore' }));
}

async function stopWorkers(ws: ChildProcess[]): Promise<void> {
  await Promise.all(ws.map((w) => new Promise((r) => { if (w.exitCode !== null) r(null); else { w.once('exit', r); w.kill('SIGKILL'); } })));
}

export async function benchQueueLatency(o: { url: string; trials: number; localTrials: number }): Promise<Record<string, unknown>> {
  const runs = mkdtempSync(join(tmpdir(), 'lnas-qbench-'));
  const queue = `bench-latency-${process.pid}-${Date.now()}`;
  const latency: number[] = [];
  const qTrip: number[] = [];
  const lTrip: number[] = [];
  const ws = startWorkers(o.url, queue, runs, 1);
  const q = new QueueExecutor({ url: o.url, queue, runsDir: runs, pollMs: 5, onResult: (e) => latency.push(e.started - e.submitted) });
  const pool = new LocalPool({ workers: 1, threads: 1, dir: join(runs, 'local') });
  try {
    await q.submit({ id: 'warm-up', ...EMPTY, payload: { i: -1 } });
    latency.length = 0;
    for (let i = 0; i < o.trials; i++) {
      const t0 = performance.now();
      await q.submit({ id: `e${i}`, ...EMPTY, payload: { i } });
      qTrip.push(performance.now() - t0);
      if (i >= o.localTrials) continue;
      const t1 = performance.now();
      await pool.submit({ id: `e${i}`, ...EMPTY, payload: { i } });
      lTrip.push(performance.now() - t1);
    }
  } finally {
    await q.close();
    pool.close();
    await stopWorkers(ws);
    rmSync(runs, { recursive: true, force: true });
  }
  return { bench: 'queue-latency', trials: o.trials, local_trials: o.localTrials, poll_ms: 5,
    job_latency_ms: { median: median(latency), p90: quantileSorted([...latency].sort((a, b) => a - b), 0.9), max: Math.max(...latency), samples: latency },
    round_trip_ms: { queue: median(qTrip), local: lTrip.length ? median(lTrip) : null, ratio: lTrip.length ? median(qTrip) / median(lTrip) : null } };
}

/** Table 1 of the one sweep under `runs`, without its timing columns (what must not depend on the executor). */
function table1Of(runs: string): unknown {
  const sweep = readdirSync(runs).find((d) => d.startsWith('sweep-'));
  if (sweep === undefined) throw new Error(`no sweep folder in ${runs}`);
  const rows = JSON.parse(readFileSync(join(runs, sweep, 'table1.json'), 'utf8')) as Record<string, unknown>[];
  return rows.map(({ search_seconds: _s, train_seconds: _t, ...rest }) => rest);
}

/**
 * The same sweep (argv given) run alternately on the local pool and through the queue, two
 * workers × 1 thread on this machine either way; wall times, their ratio, and whether Table 1
 * (timing columns aside) came out the same. With `keep`, the runs folders stay under it.
 */
export function benchQueueSweep(o: { url: string; rounds: number; sweepArgs: string[]; keep?: string | null }): Record<string, unknown> {
  const local: number[] = [];
  const viaQueue: number[] = [];
  const identical: boolean[] = [];
  const folder = (what: string) => {
    if (!o.keep) return mkdtempSync(join(tmpdir(), `lnas-qbench-${what}-`));
    const dir = join(o.keep, what);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const done = (dir: string) => { if (!o.keep) rmSync(dir, { recursive: true, force: true }); };
  const run = (runs: string, args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI_MAIN, 'sweep', ...o.sweepArgs, ...args], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: runs } });
    if (r.status !== 0) throw new Error(`sweep failed: ${r.stderr.slice(-2000)}`);
    return (performance.now() - t0) / 1000;
  };
  for (let k = 0; k < o.rounds; k++) {
    const lruns = folder(`r${k}-local`);
    const qruns = folder(`r${k}-queue`);
    const wruns = folder(`r${k}-workers`);
    try {
      local.push(run(lruns, ['--workers', '2', '--threads', '1']));
      const queue = `bench-sweep-${process.pid}-${k}`;
      const ws = startWorkers(o.url, queue, wruns, 2);
      try {
        viaQueue.push(run(qruns, ['--executor', 'queue', '--redis', o.url, '--queue', queue]));
      } finally {
        for (const w of ws) w.kill('SIGKILL');
      }
      identical.push(JSON.stringify(table1Of(lruns)) === JSON.stringify(table1Of(qruns)));
    } finally {
      for (const d of [lruns, qruns, wruns]) done(d);
    }
  }
  const ratios = local.map((l, i) => (viaQueue[i] as number) / l);
  return { bench: 'queue-sweep', rounds: o.rounds, sweep_args: o.sweepArgs, wall_seconds: { local, queue: viaQueue }, ratio_per_round: ratios, ratio_median: median(ratios),
    table1_identical: identical, ...(o.keep ? { kept: o.keep } : {}) };
}
