// `lnas sweep --repeats N`: the same sweep with N seeds (search and retraining seeds shifted by
// 0..N-1), each a sweep folder of its own, all on one executor so that their stages are
// independent trials spread over the same workers. Seed offset 0 is the plain sweep, so an
// existing sweep is reused as the first repeat. The repeats folder (runs/sweeps-<hash>/) lists
// the sweep folders in repeats.json; its report compares every run with the baseline.
import { mkdirs, writeJsonAtomic } from '../util/fs.js';
import { createExecutor } from '../workers/executor.js';
import { configHash } from '../runs/identity.js';
import { runDirFor, runPaths } from '../runs/paths.js';
import { type RepeatsFile, repeatsFile } from '../runs/repeats.js';
import type { SweepConfig } from './sweep-config.js';
import { sweepIdentity } from './sweep-plan.js';
import { type SweepOutcome, type SweepOptions, runSweep } from './sweep.js';

/** The k-th repeat: every seed shifted by k. */
export function sweepRepeat(cfg: SweepConfig, k: number): SweepConfig {
  return { ...cfg, repeats: 1, search: { ...cfg.search, seed: cfg.search.seed + k }, optim: { ...cfg.optim, seed: cfg.optim.seed + k } };
}

export interface RepeatsOutcome { dir: string; outcomes: SweepOutcome[]; failed: string[]; wall_seconds: number }

export async function runSweepRepeats(cfg: SweepConfig, o: SweepOptions): Promise<RepeatsOutcome> {
  const started = performance.now();
  const dir = runDirFor(o.runsDir, 'sweeps', configHash({ ...sweepIdentity(cfg), repeats: cfg.repeats }));
  mkdirs(dir);
  const executor = createExecutor(cfg.executor, { workers: cfg.workers, threads: cfg.runtime.threads, dir: runPaths(dir).stage('trials'), runsDir: o.runsDir,
    ...(o.cores === undefined ? {} : { cores: o.cores }), log: o.log });
  o.log(`sweep: ${cfg.repeats} repeats (seeds +0..+${cfg.repeats - 1}) on ${executor.description} -> ${dir}`);
  try {
    const configs = Array.from({ length: cfg.repeats }, (_, k) => sweepRepeat(cfg, k));
    const outcomes = await Promise.all(configs.map((c, k) => runSweep(c, { ...o, executor, idSuffix: `-r${k}`, log: (line) => o.log(`r${k} ${line}`) })));
    const file: RepeatsFile = { kind: 'lnas-sweep-repeats', version: 1, repeats: cfg.repeats, seeds: configs.map((c) => c.optim.seed), dirs: outcomes.map((x) => x.dir) };
    writeJsonAtomic(repeatsFile(dir), file);
    return { dir, outcomes, failed: outcomes.flatMap((x, k) => x.failed.map((f) => `r${k}/${f}`)), wall_seconds: (performance.now() - started) / 1000 };
  } finally {
    await executor.close();
  }
}
