// Training one MobileNet3-MT network in a folder, resumably: the fit loop checkpoints into the
// folder (model, optimizer, EMA, data position, RNGs), so a worker killed mid-epoch continues
// where it stopped. Shared by the candidates' short training, ticket fine-tuning and the
// retrainings (final architecture, Figure 4).
import type { StopRequest } from '../../train/stop.js';
import type { Batcher } from '../../data/batcher.js';
import { ConfigError } from '../../errors.js';
import { runPaths } from '../../runs/paths.js';
import type { MobileNetNetwork } from '../../spaces/mobilenet/network.js';
import { scope } from '../../tensor/scope.js';
import type { OptimConfig, RuntimeConfig } from '../../train/config.js';
import { type EpochMetrics, fit } from '../../train/fit.js';
import { makeOptimizer, makeSchedule } from '../../train/optim-setup.js';
import type { Progress } from '../../train/progress.js';
import type { TrialData } from './data.js';

export interface TrainOptions {
  stage: string;
  /** Checkpoints and metrics.jsonl go here; null: in memory only (measurements). */
  dir: string | null;
  optim: OptimConfig;
  runtime: RuntimeConfig;
  data: TrialData;
  /** Which held-out sets to score after every epoch. */
  evals: readonly ('val' | 'test')[];
  progress: Progress;
  /** Tests: EMA decay warm-up off (default on). */
  emaWarmup?: boolean;
  /** Stop cleanly: checkpoint at the current step, then `Interrupted` (see fit). */
  signal?: StopRequest;
}

/** Trains `net` in place for optim.epochs; returns the per-epoch metrics (fewer if stopped). */
export function trainNetwork(net: MobileNetNetwork, o: TrainOptions): EpochMetrics[] {
  // In a scope: Module.toMemoryFormat leaves its detach() handles to the enclosing one.
  if (o.data.layout === 'nhwc') scope(() => { net.toMemoryFormat('channelsLast'); });
  const optimizer = makeOptimizer(net.parameters(), o.optim);
  try {
    return fit({
      stage: o.stage, model: net, optimizer, schedule: makeSchedule(o.optim), epochs: o.optim.epochs, train: o.data.train,
      geometry: o.data.geometry, layout: o.data.layout,
      evals: o.evals.map((name) => ({ name, batcher: name === 'test' ? o.data.test : heldOut(o.data) })),
      clip: o.optim.clip, labelSmoothing: o.optim.labelSmoothing, emaDecay: o.optim.ema, ...(o.emaWarmup === undefined ? {} : { emaWarmup: o.emaWarmup }), paths: o.dir === null ? null : runPaths(o.dir),
      checkpointEvery: o.runtime.checkpointEvery, progress: o.progress,
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } finally {
    optimizer.disposeState();
  }
}

function heldOut(d: TrialData): Batcher {
  if (!d.val) throw new ConfigError('scoring on a validation split needs --val-size > 0', 'data.valSize');
  return d.val;
}

export const epochTimes = (h: readonly EpochMetrics[]): number[] => h.map((m) => m.epoch_time_s);
