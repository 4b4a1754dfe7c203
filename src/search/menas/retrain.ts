// Retraining a genome from scratch, in a pool worker: the final architecture with the full
// schedule, and the networks of Figure 4 (a random architecture and two of its tickets under one
// setting). Scored on the test set after every epoch (and on a validation split if one is held
// out). A content-addressed folder: the same genome and settings are trained once.
import { loadData } from '../../data/setup.js';
import { existsSync } from 'node:fs';
import { readRunJson, runPaths } from '../../runs/paths.js';
import type { TrialContext } from '../../workers/trial.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import { mobilenetSpace } from '../../spaces/mobilenet/space.js';
import { manualSeed } from '../../tensor/runtime.js';
import type { DataConfig } from '../../data/config.js';
import { type OptimConfig, type RuntimeConfig, layoutOf } from '../../train/config.js';
import { useDevice } from '../../tensor/device.js';
import type { EpochMetrics } from '../../train/fit.js';
import { writeJsonAtomic } from '../../util/fs.js';
import type { SpaceOptions } from './config.js';
import { spaceConfigFor, trialData } from './data.js';
import { epochTimes, trainNetwork } from './train-genome.js';

export const RETRAIN_HANDLER = { module: 'search/menas/retrain.js', export: 'retrainGenome' } as const;

export interface RetrainPayload {
  dir: string;
  /** What this retraining is, for logs and the report (`final`, `fig4-ticket1`, ...). */
  label: string;
  genome: MobileNetGenome;
  space: SpaceOptions;
  syntheticSize: number;
  data: DataConfig;
  batchSize: number;
  trainLimit: number;
  optim: OptimConfig;
  runtime: RuntimeConfig;
}

export interface RetrainSummary {
  kind: 'menas-retrain';
  run_dir: string;
  label: string;
  genome: MobileNetGenome;
  blocks: string[][];
  mmacs: number;
  params: number;
  epochs: number;
  train_images: number;
  test_acc: number;
  val_acc: number | null;
  epoch_times: number[];
  train_seconds: number;
  history: EpochMetrics[];
}

export async function retrainGenome(p: RetrainPayload, ctx: TrialContext): Promise<RetrainSummary> {
  const paths = runPaths(p.dir);
  if (existsSync(paths.summary)) return readRunJson<RetrainSummary>(paths.summary);
  writeJsonAtomic(paths.config, { kind: 'menas-retrain', ...p, dir: undefined });
  useDevice(p.runtime.device, { deterministic: p.runtime.deterministic });
  manualSeed(p.optim.seed);
  const ds = await loadData(p.data, { syntheticSize: p.syntheticSize });
  const space = mobilenetSpace(spaceConfigFor(ds.train, p.space));
  const genome = space.validate(p.genome);
  const layout = layoutOf(p.runtime.memoryFormat);
  const data = trialData(ds, p.data, { layout, seed: p.optim.seed, recalImages: 1, batchSize: p.batchSize, trainLimit: p.trainLimit });
  const net = space.build(genome);
  try {
    ctx.progress.log(`${p.label}: ${space.mmacs(genome).toFixed(1)} MMACs, ${space.params(genome)} parameters, ${data.trainSize} training images -> ${p.dir}`);
    const history = trainNetwork(net, {
      stage: p.label, dir: p.dir, optim: p.optim, runtime: p.runtime, data, evals: p.data.valSize > 0 ? ['val', 'test'] : ['test'], progress: ctx.progress,
    });
    const last = history[history.length - 1];
    const times = epochTimes(history);
    const summary: RetrainSummary = {
      kind: 'menas-retrain', run_dir: p.dir, label: p.label, genome, blocks: space.blockStrings(genome), mmacs: space.mmacs(genome),
      params: space.params(genome), epochs: history.length, train_images: data.trainSize, test_acc: Number(last?.test_acc ?? NaN),
      val_acc: last?.val_acc === undefined ? null : Number(last.val_acc), epoch_times: times, train_seconds: times.reduce((a, b) => a + b, 0), history,
    };
    writeJsonAtomic(paths.summary, summary);
    return summary;
  } finally {
    net.dispose();
  }
}
