// `lnas evolve`: MENAS (or the random baseline) on a pool of worker processes. The engine
// proposes candidates inside the FLOPs budget; each is trained, pruned to its lottery ticket and
// scored in a worker; the ticket replaces it as a parent. The engine snapshot is written after
// every result, so a killed run resumes at the last finished trial: finished candidates are
// never proposed again, the ones in flight are proposed again and resume from their own
// checkpoints. Then the later stages: the final retraining of the best ticket and Figure 4.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { configHash } from '../../runs/identity.js';
import { lockOrFail } from '../../runs/lock.js';
import { runDirFor } from '../../runs/paths.js';
import { createExecutor } from '../../workers/executor.js';
import type { TrialExecutor } from '../../workers/trial.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import { mobilenetSpace, type MobileNetSpace } from '../../spaces/mobilenet/space.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { LatencyMeter } from '../../export/latency.js';
import type { SearchEngine } from '../evolution/engine.js';
import { createEngine, restoreEngine } from '../evolution/factory.js';
import { runSearch } from '../evolution/run.js';
import { CANDIDATE_HANDLER, type CandidateResult, candidateFiles } from './candidate.js';
import { budgetOf, type EvolveConfig, evolveIdentity } from './config.js';
import { datasetShape, spaceConfigFor } from './data.js';
import { type EvolveSummary, evolvePaths, type RetrainRef } from './files.js';
import { candidatePayload } from './payloads.js';
import { evalResultOf, recordOf, generationStats } from './records.js';
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

/** Batch-1 ONNX Runtime latency of genomes, measured once each (on randomly initialised weights: latency does not depend on their values). */
export class GenomeLatency {
  private readonly meter: LatencyMeter;
  private readonly cache = new Map<string, number>();
  constructor(private readonly space: MobileNetSpace, threads: number) { this.meter = new LatencyMeter({ threads }); }
  /** Median of 20 timed runs after 5 warm-up runs, in ms. */
  of(genome: MobileNetGenome): number {
    const key = this.space.key(genome);
    const known = this.cache.get(key);
    if (known !== undefined) return known;
    const net = this.space.build(genome);
    try {
      const ms = this.meter.measureModelSync(net, [this.space.config.inChannels, this.space.config.resolution, this.space.config.resolution]).median_ms;
      this.cache.set(key, ms);
      return ms;
    } finally {
      net.dispose();
    }
  }
  close(): Promise<number> { return this.meter.close(); }
}

function makeEngine(cfg: EvolveConfig, baseSpace: MobileNetSpace, searchFile: string, latency: GenomeLatency | null): SearchEngine<MobileNetGenome> {
  const budget = cfg.maxLatencyMs;
  const space: MobileNetSpace = latency && budget !== null ? { ...baseSpace, feasible: (g) => latency.of(g) <= budget } : baseSpace;
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
  const latency = cfg.maxLatencyMs === null ? null : new GenomeLatency(space, cfg.latencyThreads);
  const engine = makeEngine(cfg, space, paths.search, latency);
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
      population: cfg.population, generations: cfg.generations, evaluations: records.length, per_generation: generationStats(records),
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
      const r = JSON.parse(readFileSync(done, 'utf8')) as CandidateResult;
      return withLatency(evalResultOf(r), r);
    }
    o.log(`[${id}] training ${space.mmacs(genome).toFixed(1)} MMACs, ${space.params(genome)} parameters`);
    const r = await pool.submit<CandidateResult>({ id, ...CANDIDATE_HANDLER, payload, lock: join(payload.dir, 'worker.lock'), collect: payload.dir });
    return withLatency(evalResultOf(r), r);
  };
  const withLatency = (res: ReturnType<typeof evalResultOf>, r: CandidateResult) =>
    (latency ? { ...res, latency_ms: latency.of(r.genome), ticket_latency_ms: latency.of(r.ticket) } : res);

  const budget = budgetOf(cfg);
  o.log(`evolve (${cfg.strategy}): ${budget} candidates` + (cfg.strategy === 'evolution' ? ` = ${cfg.generations} generations × ${cfg.population}` : '') +
    `${cfg.maxMmacs === null ? '' : ` under ${cfg.maxMmacs} MMACs`}${cfg.maxLatencyMs === null ? '' : ` and ${cfg.maxLatencyMs} ms (ONNX Runtime, batch 1, ${cfg.latencyThreads} thread${cfg.latencyThreads > 1 ? 's' : ''})`}, ${pool.description}` +
    `${engine.history.length > 0 ? `, resuming after ${engine.history.length} finished` : ''} -> ${dir}`);
  writeSummary('running');
  try {
    await runSearch(engine, evaluate, {
      onResult: (e) => {
        const r = recordOf(e, cfg);
        o.log(`[${basename(r.dir)}] #${e.id} gen ${e.generation}: val ${(100 * r.val_acc).toFixed(2)}% -> ticket ${(100 * r.ticket_acc).toFixed(2)}%, ` +
          `${r.mmacs.toFixed(1)} -> ${r.ticket_mmacs.toFixed(1)} MMACs` +
          `${r.latency_ms === undefined ? '' : `, ${r.latency_ms.toFixed(2)} -> ${(r.ticket_latency_ms ?? NaN).toFixed(2)} ms`} (${engine.history.length}/${budget})`);
      },
      onSnapshot: (snap) => { writeJsonAtomic(paths.search, snap); writeSummary('running'); },
    });
    writeSummary('searched');
    const best = engine.best();
    if (best) later = await runLaterStages(cfg, { runsDir: o.runsDir, pool, log: o.log, best: best.member, records: recordsOf() });
    return { dir, summary: writeSummary('done') };
  } finally {
    if (!o.executor) await pool.close();
    await latency?.close();
    unlock();
  }
}
