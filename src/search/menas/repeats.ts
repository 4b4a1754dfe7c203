// `lnas evolve --repeats N`: the search with N seeds (every seed shifted by 0..N-1), each with
// its random baseline when --compare-random is on, all on one executor. Seed offset 0 is the
// plain run, so an existing evolution is reused. runs/evolves-<hash>/repeats.json lists them.
import { configHash } from '../../runs/identity.js';
import { createExecutor } from '../../workers/executor.js';
import { runDirFor, runPaths } from '../../runs/paths.js';
import { type RepeatsFile, repeatsFile } from '../../runs/repeats.js';
import { mkdirs, writeJsonAtomic } from '../../util/fs.js';
import { type EvolveConfig, evolveIdentity, randomTwin } from './config.js';
import { type EvolveOptions, type EvolveOutcome, evolveDirOf, runEvolve } from './evolve.js';

export const evolveRepeat = (cfg: EvolveConfig, k: number): EvolveConfig => ({ ...cfg, repeats: 1, optim: { ...cfg.optim, seed: cfg.optim.seed + k } });

export interface EvolveRepeatsOutcome { dir: string; runs: EvolveOutcome[]; compare: EvolveOutcome[]; wall_seconds: number }

export async function runEvolveRepeats(cfg: EvolveConfig, o: EvolveOptions): Promise<EvolveRepeatsOutcome> {
  const started = performance.now();
  const dir = runDirFor(o.runsDir, 'evolves', configHash({ ...evolveIdentity(cfg), compareRandom: cfg.compareRandom, repeats: cfg.repeats }));
  mkdirs(dir);
  const executor = createExecutor(cfg.executor, { workers: cfg.workers, threads: cfg.runtime.threads, dir: runPaths(dir).stage('trials'), runsDir: o.runsDir,
    ...(o.cores === undefined ? {} : { cores: o.cores }), log: o.log });
  o.log(`evolve: ${cfg.repeats} repeats (seeds +0..+${cfg.repeats - 1})${cfg.compareRandom ? ', each with its random baseline' : ''} on ${executor.description} -> ${dir}`);
  try {
    const configs = Array.from({ length: cfg.repeats }, (_, k) => evolveRepeat(cfg, k));
    const pairs = await Promise.all(configs.map(async (c, k) => {
      const log = (line: string) => o.log(`r${k} ${line}`);
      const twin = c.compareRandom && c.strategy === 'evolution' ? randomTwin(c) : null;
      const main = await runEvolve(c, { ...o, log, executor, compare: twin ? evolveDirOf(twin, o.runsDir) : null });
      // After the main run: the baseline's first round reuses the evolution's generation 0.
      const other = twin ? await runEvolve(twin, { ...o, log, executor }) : null;
      return { main, other };
    }));
    const runs = pairs.map((p) => p.main);
    const compare = pairs.flatMap((p) => (p.other ? [p.other] : []));
    const file: RepeatsFile = { kind: 'menas-repeats', version: 1, repeats: cfg.repeats, seeds: configs.map((c) => c.optim.seed), dirs: runs.map((r) => r.dir),
      ...(compare.length > 0 ? { compare: compare.map((r) => r.dir) } : {}) };
    writeJsonAtomic(repeatsFile(dir), file);
    return { dir, runs, compare, wall_seconds: (performance.now() - started) / 1000 };
  } finally {
    await executor.close();
  }
}
