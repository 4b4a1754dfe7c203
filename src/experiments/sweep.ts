// `lnas sweep`: the LNAS experiment (Table 1, Figure 1). Runs the plan's stages on a pool of
// worker processes: every search is queued first, and a retraining is queued as soon as its
// search has finished, so two workers never run the same stage and the queue drains searches
// before retrainings. A stage with a summary.json is finished and is never started again; an
// interrupted one resumes from its checkpoint. A failed stage blocks only the runs needing it.
import { existsSync, readFileSync } from 'node:fs';
import { normalize } from '../config/schema.js';
import { trainIdentity, type TrainJob } from './train-job.js';
import { DataSchema } from '../data/config.js';
import { resolveGenotype } from '../spaces/darts/genotypes.js';
import { writeJsonAtomic } from '../util/fs.js';
import { configHash } from '../runs/identity.js';
import { lockOrFail } from '../runs/lock.js';
import { runDirFor, runPaths } from '../runs/paths.js';
import { createExecutor } from '../workers/executor.js';
import type { PoolEvent } from '../workers/pool.js';
import type { TrialExecutor } from '../workers/trial.js';
import type { SweepConfig } from './sweep-config.js';
import { type ProgressFile, type StageProgress, type SweepFile, readProgressFile, sweepPaths } from './sweep-file.js';
import { type SearchStage, type SweepPlan, type TrainStage, planSweep, sweepIdentity } from './sweep-plan.js';
import { STAGE_HANDLER, type StagePayload, type StageResult } from './sweep-stages.js';

export interface SweepOutcome { dir: string; plan: SweepPlan; stages: Record<string, StageProgress>; failed: string[]; workers: number; threads: number; wall_seconds: number }

export interface SweepOptions {
  runsDir: string;
  log: (line: string) => void;
  cores?: number;
  /** Run on this executor (shared by the repeats of a sweep) instead of one made from cfg.executor. */
  executor?: TrialExecutor;
  /** Appended to the trial ids, so that the repeats' stages have distinct ids on a shared executor. */
  idSuffix?: string;
}

export async function runSweep(cfg: SweepConfig, o: SweepOptions): Promise<SweepOutcome> {
  const started = performance.now();
  const plan = planSweep(cfg, o.runsDir);
  const paths = sweepPaths(plan.dir);
  const unlock = lockOrFail(paths.lock, 'sweep', `sweep ${plan.dir}`);
  const state = new SweepState(plan, cfg, readProgressFile(plan.dir));
  const total = plan.searches.length + plan.trains.length;
  let finished = 0;
  const onEvent = (e: PoolEvent) => {
    if (e.type === 'wait') o.log(`[${e.id}] waiting for process ${e.holder}, which still writes this stage (left over from a killed sweep)`);
  };
  const pool = o.executor ?? createExecutor(cfg.executor, { workers: cfg.workers, threads: cfg.runtime.threads, dir: paths.trials, runsDir: o.runsDir,
    ...(o.cores === undefined ? {} : { cores: o.cores }), onEvent, log: o.log });
  const par = { workers: pool.workers, threads: pool.threads };
  const trainDirs = new Map<string, { stage: string; done: Promise<void> }>();

  const execute = async (id: string, payload: StagePayload): Promise<void> => {
    const summary = runPaths(payload.dir).summary;
    if (existsSync(summary)) {
      state.set(id, { status: 'done', dir: payload.dir, seconds: secondsOf(summary) });
      o.log(`[${id}] already finished (${++finished}/${total}): ${payload.dir}`);
      return;
    }
    state.set(id, { status: 'running', dir: payload.dir, launches: state.get(id).launches + 1 });
    o.log(`[${id}] started -> ${payload.dir}`);
    try {
      const r = await pool.submit<StageResult>({ id: `${id}${o.idSuffix ?? ''}`, ...STAGE_HANDLER, payload, lock: runPaths(payload.dir).stage('worker.lock'),
        collect: payload.dir, ...(payload.kind === 'train' && typeof payload.job.model.genotype === 'string' ? { inputs: [payload.job.model.genotype] } : {}) });
      state.set(id, { status: 'done', seconds: r.seconds, wall_seconds: r.wall_seconds, cpu_seconds: r.cpu_seconds, error: null });
      o.log(`[${id}] done: ${r.wall_seconds.toFixed(0)} s wall, ${r.cpu_seconds.toFixed(0)} s CPU (${++finished}/${total})`);
    } catch (e) {
      state.set(id, { status: 'failed', error: (e as Error).message });
      o.log(`[${id}] FAILED (${++finished}/${total}): ${(e as Error).message}`);
      throw e;
    }
  };

  const runSearchStage = (s: SearchStage) => execute(s.id, { kind: 'search', dir: s.dir, runsDir: o.runsDir, job: s.job });
  const runTrainStage = async (t: TrainStage, searchDone: Promise<void>): Promise<void> => {
    try { await searchDone; } catch (e) {
      state.set(t.id, { status: 'blocked', error: `its search ${t.search} failed` });
      o.log(`[${t.id}] skipped (${++finished}/${total}): its search ${t.search} failed`);
      throw e;
    }
    const search = plan.searches.find((s) => s.id === t.search) as SearchStage;
    // The genotype file is read once, here; the worker gets the value.
    const job: TrainJob = { ...t.job, model: { ...t.job.model, genotype: resolveGenotype(runPaths(search.dir).genotypeJson) } };
    const dir = runDirFor(o.runsDir, 'train', configHash(trainIdentity(job)));
    state.setTrainDir(t.id, dir);
    // Two searches can derive the same genotype; their retrainings are then one run folder.
    const twin = trainDirs.get(dir);
    if (twin) {
      state.set(t.id, { status: 'running', dir, same_as: twin.stage });
      o.log(`[${t.id}] is the same retraining as ${twin.stage} (identical genotype); sharing ${dir}`);
      await twin.done.then(() => state.set(t.id, { ...state.get(twin.stage), launches: state.get(t.id).launches, same_as: twin.stage }),
        (e: unknown) => { state.set(t.id, { status: 'failed', error: `shared stage ${twin.stage} failed` }); throw e; });
      finished++;
      return;
    }
    const done = execute(t.id, { kind: 'train', dir, runsDir: o.runsDir, job });
    trainDirs.set(dir, { stage: t.id, done });
    return done;
  };

  o.log(`sweep: ${plan.runs.length} runs = ${plan.searches.length} searches + ${plan.trains.length} retrainings, ` +
    `${pool.description} -> ${plan.dir}`);
  state.writePlan();
  try {
    const searchDone = new Map(plan.searches.map((s) => [s.id, runSearchStage(s)]));
    const all = [...searchDone.values(), ...plan.trains.map((t) => runTrainStage(t, searchDone.get(t.search) as Promise<void>))];
    await Promise.allSettled(all);
  } finally {
    if (!o.executor) await pool.close();
    state.writePlan();
    unlock();
  }
  const failed = Object.entries(state.stages).filter(([, s]) => s.status === 'failed' || s.status === 'blocked').map(([id]) => id);
  return { dir: plan.dir, plan, stages: state.stages, failed, ...par, wall_seconds: (performance.now() - started) / 1000 };
}

/** Epochs a weight-pruned retraining trains unpruned (one-shot: until --prune-at; iterative: one round). */
function denseUntil(cfg: SweepConfig): number {
  return cfg.prune.schedule === 'one-shot' ? cfg.prune.pruneAt || Math.floor(cfg.optim.epochs / 2) : cfg.prune.epochsPerRound;
}

function secondsOf(summaryFile: string): number | null {
  try {
    const s = JSON.parse(readFileSync(summaryFile, 'utf8')) as { search_seconds?: number; train_seconds?: number };
    return s.search_seconds ?? s.train_seconds ?? null;
  } catch { return null; }
}

/** sweep.json and progress.json, rewritten atomically on every change. */
class SweepState {
  readonly stages: Record<string, StageProgress> = {};
  private readonly trainDir = new Map<string, string>();
  constructor(private readonly plan: SweepPlan, private readonly cfg: SweepConfig, previous: ProgressFile | null) {
    for (const s of [...plan.searches, ...plan.trains]) {
      const before = previous?.stages[s.id];
      const dir = s.kind === 'search' ? s.dir : before?.dir ?? null;
      if (s.kind === 'train' && dir) this.trainDir.set(s.id, dir);
      // Timings of earlier invocations are kept: a stage finished before a kill is not rerun.
      this.stages[s.id] = { status: 'pending', dir, launches: before?.launches ?? 0, seconds: null, error: null,
        ...(before?.wall_seconds === undefined ? {} : { wall_seconds: before.wall_seconds }),
        ...(before?.cpu_seconds === undefined ? {} : { cpu_seconds: before.cpu_seconds }) };
    }
  }

  get(id: string): StageProgress { return this.stages[id] as StageProgress; }

  set(id: string, patch: Partial<StageProgress>): void {
    this.stages[id] = { ...this.get(id), ...patch };
    writeJsonAtomic(sweepPaths(this.plan.dir).progress, { updated: new Date().toISOString(), stages: this.stages } satisfies ProgressFile);
  }

  setTrainDir(id: string, dir: string): void {
    this.trainDir.set(id, dir);
    this.set(id, { dir });
    this.writePlan();
  }

  writePlan(): void {
    const { plan, cfg } = this;
    const runsOf = (stage: string) => plan.runs.filter((r) => r.search === stage || r.train === stage).map((r) => r.name);
    const file: SweepFile = {
      kind: 'lnas-sweep', version: 1, hash: plan.hash, epochs: cfg.optim.epochs, half: Math.floor(cfg.optim.epochs / 2),
      metric: cfg.data.valSize > 0 ? 'val' : 'test', dense_until: denseUntil(cfg), variants: cfg.variants, sparsities: cfg.sparsities,
      config: { ...sweepIdentity(cfg), data: { ...normalize(DataSchema, cfg.data) } },
      runs: plan.runs.map((r) => ({ name: r.name, variant: r.variant, sparsity: r.sparsity,
        search: { stage: r.search, dir: (plan.searches.find((s) => s.id === r.search) as SearchStage).dir },
        train: { stage: r.train, dir: this.trainDir.get(r.train) ?? null } })),
      stages: [
        ...plan.searches.map((s) => ({ id: s.id, kind: 'search' as const, dir: s.dir, depends: [], runs: runsOf(s.id) })),
        ...plan.trains.map((t) => ({ id: t.id, kind: 'train' as const, dir: this.trainDir.get(t.id) ?? null, depends: [t.search], runs: runsOf(t.id) })),
      ],
    };
    writeJsonAtomic(sweepPaths(plan.dir).plan, file);
  }
}
