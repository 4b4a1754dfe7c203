// `lnas evolve`: MENAS (or the random baseline) on a pool of worker processes. The engine
// proposes candidates inside the FLOPs budget; each is trained, pruned to its lottery ticket and
// scored in a worker; the ticket replaces it as a parent. The engine snapshot is written after
// every result, so a killed run resumes at the last finished trial: finished candidates are
// never proposed again, the ones in flight are proposed again and resume from their own
// checkpoints. Then the later stages: the final retraining of the best ticket and Figure 4.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LnasError } from '../../errors.js';
import { configHash } from '../../experiments/identity.js';
import { lockOrFail } from '../../experiments/lock.js';
import { runDirFor } from '../../experiments/paths.js';
import { createExecutor } from '../../experiments/executor.js';
import type { TrialExecutor } from '../../experiments/trial.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import { mobilenetSpace, type MobileNetSpace } from '../../spaces/mobilenet/space.js';
import { writeJsonAtomic } from '../../util/fs.js';
import type { SearchEngine } from '../evolution/engine.js';
import { createEngine, restoreEngine } from '../evolution/factory.js';
import { runSearch } from '../evolution/run.js';
import { CANDIDATE_HANDLER, type CandidateResult, candidateFiles } from './candidate.js';
import { budgetOf, type EvolveConfig, evolveIdentity } from './config.js';
import { datasetShape, spaceConfigFor } from './data.js';
import { type EvolveSummary, evolvePaths, type RetrainRef } from './files.js';
import { candidatePayload } from './payloads.js';
import { evalResultOf, recordOf, roundStats } from './records.js';
import { runLaterStages } from './stages.js';

export interface EvolveOptions {
  runsDir: string;
  log: (line: string) => void;
  cores?: number;
  compare?: string | null;
  /** Run on this executor (shared by repeats and the random twin) instead of one made from cfg.executor. */
  executor?: TrialExecutor;
}

export interface EvolveOutcome { dir: string; summary: EvolveSummary }

export function evolveDirOf(cfg: EvolveConfig, runsDir: string): string {
  return runDirFor(runsDir, 'evolve', configHash(evolveIdentity(cfg)));
}

export function evolveSpace(cfg: EvolveConfig): MobileNetSpace {
  return mobilenetSpace(spaceConfigFor(datasetShape(cfg.data, cfg.syntheticSize), cfg.space));
}

function makeEngine(cfg: EvolveConfig, space: MobileNetSpace, searchFile: string): SearchEngine<MobileNetGenome> {
  if (existsSync(searchFile)) return restoreEngine(space, JSON.parse(readFileSync(searchFile, 'utf8')));
  const common = {
    budget: budgetOf(cfg), seed: cfg.optim.seed,
    // Independent of --workers (the pool limits what runs), so the identity does not depend on it.
    concurrency: cfg.population,
    ...(cfg.maxMmacs === null ? {} : { constraint: { maxCost: cfg.maxMmacs } }),
  };
  return cfg.strategy === 'random'
    ? createEngine(space, { strategy: 'random', ...common })
    : createEngine(space, { strategy: 'evolution', ...common, populationSize: cfg.population, generations: cfg.generations,
      topK: cfg.topK, mutationProb: cfg.mutationProb, crossoverProb: cfg.crossoverProb });
}

export async function runEvolve(cfg: EvolveConfig, o: EvolveOptions): Promise<EvolveOutcome> {
  const started = performance.now();
  const dir = evolveDirOf(cfg, o.runsDir);
  const paths = evolvePaths(dir);
  const unlock = lockOrFail(paths.lock, 'evolve', `${dir}`);
  const space = evolveSpace(cfg);
  const engine = makeEngine(cfg, space, paths.search);
  writeJsonAtomic(paths.config, { kind: 'evolve', identity: evolveIdentity(cfg), config: cfg });
  const pool = o.executor ?? createExecutor(cfg.executor, { workers: cfg.workers, threads: cfg.runtime.threads, dir: paths.pool, runsDir: o.runsDir,
    ...(o.cores === undefined ? {} : { cores: o.cores }), log: o.log,
    onEvent: (e) => { if (e.type === 'wait') o.log(`[${e.id}] waiting for process ${e.holder}, which still writes this trial (left over from a killed run)`); } });
  const par = { workers: pool.workers, threads: pool.threads };
  const recordsOf = () => engine.history.map((e) => recordOf(e, cfg));
  let later: { final: RetrainRef | null; figure4: RetrainRef[] } = { final: null, figure4: [] };
  const writeSummary = (status: EvolveSummary['status']) => {
    const records = recordsOf();
    const best = engine.best();
    const summary: EvolveSummary = {
      kind: 'menas', version: 1, status, strategy: cfg.strategy, hash: basename(dir).replace(/^evolve-/, ''), budget: budgetOf(cfg),
      population: cfg.population, generations: cfg.generations, evaluations: records.length, per_round: roundStats(records),
      best: best ? recordOf(best, cfg) : null, ...later, compare: o.compare ?? null, workers: par.workers, threads: par.threads,
      wall_seconds: (performance.now() - started) / 1000, updated: new Date().toISOString(), config: cfg,
    };
    writeJsonAtomic(paths.candidates, records);
    writeJsonAtomic(paths.summary, summary);
    return summary;
  };

  const evaluate = async (genome: MobileNetGenome) => {
    const payload = candidatePayload(cfg, o.runsDir, genome);
    const id = basename(payload.dir);
    const done = candidateFiles(payload.dir).result;
    // Finished by an earlier run (the random baseline's first round is the evolution's generation 0).
    if (existsSync(done)) {
      o.log(`[${id}] already trained, reusing ${payload.dir}`);
      return evalResultOf(JSON.parse(readFileSync(done, 'utf8')) as CandidateResult);
    }
    o.log(`[${id}] training ${space.cost(genome).toFixed(1)} MMACs, ${space.params(genome)} parameters`);
    const r = await pool.submit<CandidateResult>({ id, ...CANDIDATE_HANDLER, payload, lock: join(payload.dir, 'worker.lock'), collect: payload.dir });
    if (!r.complete) throw new LnasError('LNAS_TRIAL_INCOMPLETE', `candidate ${payload.dir} stopped before its last epoch`);
    return evalResultOf(r);
  };

  const budget = budgetOf(cfg);
  o.log(`evolve (${cfg.strategy}): ${budget} candidates` + (cfg.strategy === 'evolution' ? ` = ${cfg.generations} generations × ${cfg.population}` : '') +
    `${cfg.maxMmacs === null ? '' : ` under ${cfg.maxMmacs} MMACs`}, ${pool.description}` +
    `${engine.history.length > 0 ? `, resuming after ${engine.history.length} finished` : ''} -> ${dir}`);
  writeSummary('running');
  try {
    await runSearch(engine, evaluate, {
      onResult: (e) => {
        const r = recordOf(e, cfg);
        o.log(`[${basename(r.dir)}] #${e.id} gen ${e.generation}: val ${(100 * r.val_acc).toFixed(2)}% -> ticket ${(100 * r.ticket_acc).toFixed(2)}%, ` +
          `${r.mmacs.toFixed(1)} -> ${r.ticket_mmacs.toFixed(1)} MMACs (${engine.history.length}/${budget})`);
      },
      onSnapshot: (snap) => { writeJsonAtomic(paths.search, snap); writeSummary('running'); },
    });
    writeSummary('searched');
    const best = engine.best();
    if (best) later = await runLaterStages(cfg, { runsDir: o.runsDir, pool, log: o.log, best: best.member, records: recordsOf() });
    return { dir, summary: writeSummary('done') };
  } finally {
    if (!o.executor) await pool.close();
    unlock();
  }
}
