// The retraining job behind `lnas train`, `lnas darts` and the sweep's retrainings: train a model
// (the small CNN, or the network of a DARTS genotype, with LNAS Variant 1's lottery-ticket pruning
// when --sparsity is set) in a resumable, hash-named run folder.
import type { StopRequest } from '../train/stop.js';
import { normalize } from '../config/schema.js';
import { type DataConfig, DataSchema } from '../data/config.js';
import { geometryOf, loadData, makeBatchers } from '../data/setup.js';
import { macsOf } from '../nn/macs.js';
import { saveSafetensors } from '../nn/safetensors.js';
import { type PruneConfig, PruneSchema } from '../pruning/config.js';
import { LotteryTicketHooks } from '../pruning/lottery.js';
import type { PruningSchedule } from '../pruning/schedule.js';
import { configHash } from '../runs/identity.js';
import { runOnce } from '../runs/lock.js';
import { type RunPaths, runDirFor, runPaths } from '../runs/paths.js';
import { type Genotype, genotypeToJSON, validateGenotype } from '../spaces/darts/genotype.js';
import { resolveGenotype } from '../spaces/darts/genotypes.js';
import { GenotypeNetwork } from '../spaces/darts/network.js';
import { scope } from '../tensor/scope.js';
import { type OptimConfig, OptimSchema, type RuntimeConfig, layoutOf } from '../train/config.js';
import { type EpochMetrics, fit } from '../train/fit.js';
import { makeOptimizer, makeSchedule } from '../train/optim-setup.js';
import type { Progress } from '../train/progress.js';
import { applyRuntime } from '../train/runtime.js';
import { writeJsonAtomic } from '../util/fs.js';
import { type ModelConfig, ModelSchema, buildModel } from './models.js';

/**
 * The model section of a job. `genotype` is a Genotype value, or (from the command line and config
 * files) a spec: a name, DARTS text, JSON or a file. A spec is resolved once, when the job starts.
 */
export type TrainModel = Omit<ModelConfig, 'genotype'> & { genotype: Genotype | string | null };

export interface TrainJob { data: DataConfig; model: TrainModel; optim: OptimConfig; prune: PruneConfig; runtime: RuntimeConfig }

export interface TrainOptions { runsDir: string; runDir?: string; progress: Progress; signal?: StopRequest }

export interface TrainSummary {
  run_dir: string;
  dataset: string;
  model: string;
  epochs: number;
  parameters: number;
  test_acc: number;
  test_top5: number;
  val_acc: number | null;
  train_seconds: number;
  wall_seconds: number;
  /** Per-sample multiply-accumulates of conv and linear layers: all weights, and non-zero weights only. */
  dense_macs: number;
  effective_macs: number;
  nonzero_parameters: number;
  sparsity: number;
  threads: number;
  history: EpochMetrics[];
}

/** The job's genotype as a value (a spec is read and parsed here, once). */
export function genotypeOf(model: TrainModel): Genotype | null {
  const g = model.genotype;
  return g === null ? null : typeof g === 'string' ? resolveGenotype(g) : validateGenotype(g);
}

/** The job with its genotype resolved: what the run uses and what its config.json records. */
export function resolveTrainJob(job: TrainJob): TrainJob & { model: { genotype: Genotype | null } } {
  return { ...job, model: { ...job.model, genotype: genotypeOf(job.model) } };
}

/** The part of the config that defines the result (runtime settings excluded). */
export function trainIdentity(job: TrainJob): Record<string, unknown> {
  const genotype = genotypeOf(job.model);
  const model = normalize(ModelSchema, { ...job.model, genotype: null });
  // A genotype is identified by its content, not by how it was written (name, file, text).
  if (genotype !== null) model.genotype = genotypeToJSON(genotype);
  return { data: { ...normalize(DataSchema, job.data), dataDir: undefined }, model, optim: normalize(OptimSchema, job.optim), prune: normalize(PruneSchema, job.prune) };
}

export async function runTrain(spec: TrainJob, o: TrainOptions): Promise<TrainSummary> {
  const started = performance.now();
  const job = resolveTrainJob(spec);
  const paths = runPaths(o.runDir ?? runDirFor(o.runsDir, 'train', configHash(trainIdentity(job))));
  return runOnce(paths, () => o.progress.log(`train: ${paths.dir} is already complete; delete it to run again`), () => trainInFolder(job, paths, started, o));
}

async function trainInFolder(job: TrainJob & { model: { genotype: Genotype | null } }, paths: RunPaths, started: number, o: TrainOptions): Promise<TrainSummary> {
  const threads = applyRuntime(job.runtime, job.optim.seed);
  // The data first: a dataset that fails to load leaves no run folder behind.
  const ds = await loadData(job.data);
  // Recorded as a ModelConfig: the genotype as DARTS JSON text, which any genotype option accepts.
  const modelConfig: ModelConfig = { ...job.model, genotype: job.model.genotype && JSON.stringify(genotypeToJSON(job.model.genotype)) };
  writeJsonAtomic(paths.config, { kind: 'train', ...job, model: modelConfig });
  const layout = layoutOf(job.runtime.memoryFormat);
  const b = makeBatchers(ds, job.data, { layout, seed: job.optim.seed });
  const model = buildModel(job.model, job.model.genotype, ds.train.channels, ds.train.classes);
  if (layout === 'nhwc') model.toMemoryFormat('channelsLast');
  const optimizer = makeOptimizer(model.parameters(), job.optim);
  // Variant 1: constructed right after initialisation, so θ0 is the initial weights.
  const lottery = job.prune.sparsity > 0
    ? new LotteryTicketHooks({ model, optimizer, schedule: pruningSchedule(job), scope: job.prune.scope, rewind: job.prune.rewind === 0 ? 'init' : { epoch: job.prune.rewind } })
    : null;
  const epochs = lottery ? lottery.epochs : job.optim.epochs;
  o.progress.log(`train: ${job.model.model} (${model.parameterCount()} parameters) on ${ds.name}, ${b.trainSize} training images, ${threads} threads -> ${paths.dir}`);
  try {
    const history = fit({
      stage: 'train', model, optimizer, schedule: makeSchedule({ ...job.optim, epochs }), epochs, train: b.train,
      geometry: geometryOf(ds.train), layout, evals: [...(b.val ? [{ name: 'val', batcher: b.val }] : []), { name: 'test', batcher: b.test }],
      clip: job.optim.clip, labelSmoothing: job.optim.labelSmoothing, auxWeight: job.model.auxWeight, emaDecay: job.optim.ema, paths,
      hooks: {
        epochState: (epoch) => { if (model instanceof GenotypeNetwork) model.dropPath = (job.model.dropPath * epoch) / epochs; },
        ...(lottery ? { beforeEpoch: lottery.beforeEpoch } : {}),
        ...(lottery ? { afterStep: lottery.afterStep, afterEpoch: lottery.afterEpoch, state: lottery.state, restore: lottery.restore } : {}),
      },
      ...(lottery ? { extraTensors: lottery.extraTensors() } : {}),
      checkpointEvery: job.runtime.checkpointEvery, progress: o.progress,
      divergenceHint: `a lower learning rate (--lr, now ${job.optim.lr}) or gradient clipping (--clip, now ${job.optim.clip || 'off'})`,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const last = history[history.length - 1] as EpochMetrics;
    saveSafetensors(paths.final, model.stateDict(), { format: 'lnas-model', config: JSON.stringify(modelConfig) });
    if (lottery) lottery.mask.save(paths.stage('mask.safetensors'));
    const macs = macsOf(model, geometryOf(ds.train), layout === 'nhwc');
    const nonzero = scope(() => model.parameters().reduce((n, p) => n + p.ne(0).sum().item(), 0));
    const summary: TrainSummary = {
      run_dir: paths.dir, dataset: ds.name, model: job.model.model, epochs: history.length, parameters: model.parameterCount(),
      test_acc: Number(last.test_acc), test_top5: Number(last.test_top5), val_acc: last.val_acc === undefined ? null : Number(last.val_acc),
      train_seconds: history.reduce((s, m) => s + m.epoch_time_s, 0), wall_seconds: (performance.now() - started) / 1000, threads,
      dense_macs: macs.dense, effective_macs: macs.effective, nonzero_parameters: nonzero, sparsity: lottery ? lottery.mask.sparsity() : 0, history,
    };
    writeJsonAtomic(paths.summary, summary);
    return summary;
  } finally {
    lottery?.dispose();
    optimizer.disposeState();
    model.dispose();
  }
}

function pruningSchedule(job: TrainJob): PruningSchedule {
  const p = job.prune;
  return p.schedule === 'one-shot'
    ? { kind: 'one-shot', sparsity: p.sparsity, epochs: job.optim.epochs, pruneAt: p.pruneAt || Math.floor(job.optim.epochs / 2) }
    : { kind: 'iterative', sparsity: p.sparsity, rounds: p.rounds, epochsPerRound: p.epochsPerRound };
}

