// `lnas train`: train a model on a dataset in a resumable, hash-named run folder.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { normalize } from '../config/schema.js';
import { configHash } from '../experiments/identity.js';
import { runDirFor, runPaths } from '../experiments/paths.js';
import { buildModel } from '../models/registry.js';
import { GenotypeNetwork } from '../spaces/darts/network.js';
import { genotypeToJSON } from '../spaces/darts/genotype.js';
import { resolveGenotype } from '../spaces/darts/genotypes.js';
import { saveSafetensors } from '../nn/safetensors.js';
import { manualSeed, setNumThreads } from '../tensor/runtime.js';
import { writeJsonAtomic } from '../util/fs.js';
import { type DataConfig, DataSchema, type ModelConfig, ModelSchema, type OptimConfig, OptimSchema, type RuntimeConfig } from './config.js';
import { geometryOf, loadData, makeBatchers } from './data-setup.js';
import { type EpochMetrics, fit } from './fit.js';
import { makeOptimizer, makeSchedule } from './optim-setup.js';
import type { Progress } from './progress.js';

export interface TrainJob { data: DataConfig; model: ModelConfig; optim: OptimConfig; runtime: RuntimeConfig }

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
  threads: number;
  history: EpochMetrics[];
}

/** The part of the config that defines the result (runtime settings excluded). */
export function trainIdentity(job: TrainJob): Record<string, unknown> {
  const model = normalize(ModelSchema, job.model);
  // A genotype is identified by its content, not by how it was written (name, file, text).
  if (job.model.genotype !== null) model.genotype = genotypeToJSON(resolveGenotype(job.model.genotype));
  return { data: { ...normalize(DataSchema, job.data), dataDir: undefined }, model, optim: normalize(OptimSchema, job.optim) };
}

export function applyRuntime(r: RuntimeConfig, seed: number): number {
  const threads = r.threads || availableParallelism();
  setNumThreads(threads);
  manualSeed(seed);
  return threads;
}

export async function runTrain(job: TrainJob, o: { runsDir: string; runDir?: string; progress: Progress; stopAfterSteps?: number }): Promise<TrainSummary> {
  const started = performance.now();
  const identity = trainIdentity(job);
  const paths = runPaths(o.runDir ?? runDirFor(o.runsDir, 'train', configHash(identity)));
  if (existsSync(paths.summary)) {
    o.progress.log(`train: ${paths.dir} is already complete; delete it to run again`);
    return JSON.parse(readFileSync(paths.summary, 'utf8')) as TrainSummary;
  }
  writeJsonAtomic(paths.config, { kind: 'train', ...job });
  const threads = applyRuntime(job.runtime, job.optim.seed);
  const ds = await loadData(job.data);
  const layout = job.runtime.memoryFormat === 'channels-last' ? 'nhwc' : 'nchw';
  const b = makeBatchers(ds, job.data, layout, job.optim.seed);
  const model = buildModel(job.model, ds.train.channels, ds.train.classes);
  if (layout === 'nhwc') model.toMemoryFormat('channelsLast');
  const optimizer = makeOptimizer(model.parameters(), job.optim);
  o.progress.log(`train: ${job.model.model} (${model.parameterCount()} parameters) on ${ds.name}, ${b.trainSize} training images, ${threads} threads -> ${paths.dir}`);
  try {
    const history = fit({
      stage: 'train', model, optimizer, schedule: makeSchedule(job.optim), epochs: job.optim.epochs, train: b.train,
      geometry: geometryOf(ds.train), layout, evals: [...(b.val ? [{ name: 'val', batcher: b.val }] : []), { name: 'test', batcher: b.test }],
      clip: job.optim.clip, labelSmoothing: job.optim.labelSmoothing, auxWeight: job.model.auxWeight, emaDecay: job.optim.ema, paths,
      hooks: { beforeEpoch: (epoch) => { if (model instanceof GenotypeNetwork) model.dropPath = (job.model.dropPath * epoch) / job.optim.epochs; } },
      checkpointEvery: job.runtime.checkpointEvery, progress: o.progress,
      ...(o.stopAfterSteps === undefined ? {} : { stopAfterSteps: o.stopAfterSteps }),
    });
    const last = history[history.length - 1];
    if (!last || history.length < job.optim.epochs) return partialSummary(paths.dir, history);
    saveSafetensors(paths.final, model.stateDict(), { format: 'lnas-model', config: JSON.stringify(job.model) });
    const summary: TrainSummary = {
      run_dir: paths.dir, dataset: ds.name, model: job.model.model, epochs: history.length, parameters: model.parameterCount(),
      test_acc: Number(last.test_acc), test_top5: Number(last.test_top5), val_acc: last.val_acc === undefined ? null : Number(last.val_acc),
      train_seconds: history.reduce((s, m) => s + m.epoch_time_s, 0), wall_seconds: (performance.now() - started) / 1000, threads, history,
    };
    writeJsonAtomic(paths.summary, summary);
    return summary;
  } finally {
    optimizer.disposeState();
    model.dispose();
  }
}

function partialSummary(dir: string, history: EpochMetrics[]): TrainSummary {
  return { run_dir: dir, dataset: '', model: '', epochs: history.length, parameters: 0, test_acc: NaN, test_top5: NaN, val_acc: null,
    train_seconds: 0, wall_seconds: 0, threads: 0, history };
}
