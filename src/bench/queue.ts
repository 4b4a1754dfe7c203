// Overhead of the queue executor against the local pool.
//   latency: N empty trials one after the other on one `lnas worker`: the job latency (submit ->
//     the worker starts the job) and the round trip (submit -> result) of the queue, next to the
//     round trip of the local pool (both spawn one trial process per trial).
//   sweep: the same sweep (argv given) run alternately on the local pool and through the queue
//     (two workers × 1 thread on this machine either way); wall times and their ratio.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

export function benchQueueSweep(o: { url: string; rounds: number; sweepArgs: string[] }): Record<string, unknown> {
  const local: number[] = [];
  const viaQueue: number[] = [];
  const run = (args: string[]) => {
    const runs = mkdtempSync(join(tmpdir(), 'lnas-qbench-sweep-'));
    try {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [CLI_MAIN, 'sweep', ...o.sweepArgs, ...args], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: runs } });
      if (r.status !== 0) throw new Error(`sweep failed: ${r.stderr.slice(-2000)}`);
      return (performance.now() - t0) / 1000;
    } finally { rmSync(runs, { recursive: true, force: true }); }
  };
  for (let k = 0; k < o.rounds; k++) {
    local.push(run(['--workers', '2', '--threads', '1']));
    const queue = `bench-sweep-${process.pid}-${k}`;
    const wruns = mkdtempSync(join(tmpdir(), 'lnas-qbench-w-'));
    const ws = startWorkers(o.url, queue, wruns, 2);
    try {
      viaQueue.push(run(['--executor', 'queue', '--redis', o.url, '--queue', queue]));
    } finally {
      for (const w of ws) w.kill('SIGKILL');
      rmSync(wruns, { recursive: true, force: true });
    }
  }
  const ratios = local.map((l, i) => (viaQueue[i] as number) / l);
  return { bench: 'queue-sweep', rounds: o.rounds, sweep_args: o.sweepArgs, wall_seconds: { local, queue: viaQueue }, ratio_per_round: ratios, ratio_median: median(ratios) };
}
