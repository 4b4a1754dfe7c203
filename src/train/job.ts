// `lnas train`: train a model on a dataset in a resumable, hash-named run folder.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { normalize } from '../config/schema.js';
import { configHash } from '../experiments/identity.js';
import { withRunLock } from '../experiments/lock.js';
import { type RunPaths, readRunJson, runDirFor, runPaths } from '../experiments/paths.js';
import { buildModel } from '../models/registry.js';
import { GenotypeNetwork } from '../spaces/darts/network.js';
import { genotypeToJSON } from '../spaces/darts/genotype.js';
import { resolveGenotype } from '../spaces/darts/genotypes.js';
import { saveSafetensors } from '../nn/safetensors.js';
import { useDevice } from '../tensor/device.js';
import { manualSeed, setNumThreads } from '../tensor/runtime.js';
import { writeJsonAtomic } from '../util/fs.js';
import { type DataConfig, DataSchema, type ModelConfig, ModelSchema, type OptimConfig, OptimSchema, type PruneConfig, PruneSchema, type RuntimeConfig } from './config.js';
import { LotteryTicketHooks } from '../pruning/lottery.js';
import type { PruningSchedule } from '../pruning/schedule.js';
import { countMacs, traceMacs } from '../nn/macs.js';
import type { Layer } from '../nn/module.js';
import { zeros } from '../tensor/creation.js';
import { noGrad } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { geometryOf, loadData, makeBatchers } from './data-setup.js';
import { type EpochMetrics, fit } from './fit.js';
import { makeOptimizer, makeSchedule } from './optim-setup.js';
import type { Progress } from './progress.js';

export interface TrainJob { data: DataConfig; model: ModelConfig; optim: OptimConfig; prune: PruneConfig; runtime: RuntimeConfig }

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

/** The part of the config that defines the result (runtime settings excluded). */
export function trainIdentity(job: TrainJob): Record<string, unknown> {
  const model = normalize(ModelSchema, job.model);
  // A genotype is identified by its content, not by how it was written (name, file, text).
  if (job.model.genotype !== null) model.genotype = genotypeToJSON(resolveGenotype(job.model.genotype));
  return { data: { ...normalize(DataSchema, job.data), dataDir: undefined }, model, optim: normalize(OptimSchema, job.optim), prune: normalize(PruneSchema, job.prune) };
}

export function applyRuntime(r: RuntimeConfig, seed: number): number {
  const threads = r.threads || availableParallelism();
  setNumThreads(threads);
  useDevice(r.device, { deterministic: r.deterministic });
  manualSeed(seed);
  return threads;
}

export async function runTrain(job: TrainJob, o: { runsDir: string; runDir?: string; progress: Progress; stopAfterSteps?: number }): Promise<TrainSummary> {
  const started = performance.now();
  const identity = trainIdentity(job);
  const paths = runPaths(o.runDir ?? runDirFor(o.runsDir, 'train', configHash(identity)));
  if (existsSync(paths.summary)) {
    o.progress.log(`train: ${paths.dir} is already complete; delete it to run again`);
    return readRunJson<TrainSummary>(paths.summary);
  }
  return withRunLock(paths.dir, () => trainInFolder(job, paths, started, o));
}

async function trainInFolder(job: TrainJob, paths: RunPaths, started: number,
  o: { progress: Progress; stopAfterSteps?: number }): Promise<TrainSummary> {
  if (existsSync(paths.summary)) return readRunJson<TrainSummary>(paths.summary);
  const threads = applyRuntime(job.runtime, job.optim.seed);
  // The data first: a dataset that fails to load leaves no run folder behind.
  const ds = await loadData(job.data);
  writeJsonAtomic(paths.config, { kind: 'train', ...job });
  const layout = job.runtime.memoryFormat === 'channels-last' ? 'nhwc' : 'nchw';
  const b = makeBatchers(ds, job.data, layout, job.optim.seed);
  const model = buildModel(job.model, ds.train.channels, ds.train.classes);
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
      ...(o.stopAfterSteps === undefined ? {} : { stopAfterSteps: o.stopAfterSteps }),
    });
    const last = history[history.length - 1];
    if (!last || history.length < epochs) return partialSummary(paths.dir, history);
    saveSafetensors(paths.final, model.stateDict(), { format: 'lnas-model', config: JSON.stringify(job.model) });
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

/** Dense and effective MACs of one sample through the model, in eval mode. */
export function macsOf(model: Layer, g: { channels: number; height: number; width: number }, channelsLast: boolean): { dense: number; effective: number } {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => scope(() => {
      const x0 = zeros([1, g.channels, g.height, g.width]);
      const x = channelsLast ? x0.contiguous('channelsLast') : x0;
      return countMacs(traceMacs(() => { model.forward(x); }));
    }));
  } finally {
    model.train(wasTraining);
  }
}

function partialSummary(dir: string, history: EpochMetrics[]): TrainSummary {
  return { run_dir: dir, dataset: '', model: '', epochs: history.length, parameters: 0, test_acc: NaN, test_top5: NaN, val_acc: null,
    train_seconds: 0, wall_seconds: 0, threads: 0, dense_macs: 0, effective_macs: 0, nonzero_parameters: 0, sparsity: 0, history };
}
