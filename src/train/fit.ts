// The training loop with checkpoints and resume. A run killed at any point restarts from its
// last checkpoint; with threads=1 it ends bit-identical to an uninterrupted run, because the
// checkpoint holds the model, optimizer, data-loader position, both RNGs and partial epoch sums.
import type { StopRequest } from './stop.js';
import type { Layout } from '../data/augment.js';
import type { Batcher, BatcherState } from '../data/batcher.js';
import type { Layer } from '../nn/module.js';
import { Ema } from '../optim/ema.js';
import type { Optimizer } from '../optim/optimizer.js';
import { type Schedule, lrAt } from '../optim/schedule.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { Interrupted } from '../errors.js';
import { appendLine, writeFileAtomic } from '../util/fs.js';
import type { RunPaths } from '../runs/paths.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { checkFiniteWeights, checkLoss } from './divergence.js';
import { type EvalResult, type Geometry, batchTensors, evaluate, trainStep } from './loop.js';
import type { Progress } from './progress.js';

export interface EpochMetrics {
  stage: string;
  epoch: number;
  lr: number;
  train_loss: number;
  train_acc: number;
  epoch_time_s: number;
  images_per_s: number;
  [key: string]: number | string | unknown;
}

export interface FitHooks {
  /** After every optimizer step (mask enforcement). */
  afterStep?: () => void;
  /** Before an epoch starts (0-based epoch about to run); not called again when a run resumes mid-epoch. */
  beforeEpoch?: (epoch: number) => void;
  /**
   * Sets state that is a function of the epoch alone (the drop-path ramp). Called at the start of
   * every epoch, including one resumed mid-way, so a resumed run trains under the same schedule.
   */
  epochState?: (epoch: number) => void;
  /** After an epoch's evaluation; may add fields to the metrics line. */
  afterEpoch?: (epoch: number, metrics: EpochMetrics) => void;
  /** Extra JSON state for checkpoints, and its restore. */
  state?: () => unknown;
  restore?: (s: unknown) => void;
}

export interface FitOptions {
  stage: string;
  model: Layer;
  optimizer: Optimizer<{ lr: number }>;
  schedule: Schedule;
  epochs: number;
  train: Batcher;
  geometry: Geometry;
  layout: Layout;
  evals: { name: string; batcher: Batcher }[];
  clip: number;
  labelSmoothing: number;
  auxWeight?: number;
  emaDecay: number;
  /** EMA decay warm-up min(d, (1 + n) / (10 + n)) (default true; tests turn it off). */
  emaWarmup?: boolean;
  paths: RunPaths | null;
  checkpointEvery: number;
  progress: Progress;
  hooks?: FitHooks;
  extraTensors?: ReadonlyMap<string, Tensor>;
  /** What a diverged run should try, with the flags' current values (e.g. `--lr 0.1 lower, or --clip 5`). */
  divergenceHint?: string;
  /**
   * Stop cleanly when aborted (the CLI aborts on SIGINT/SIGTERM): a checkpoint is written at the
   * current step, then fit throws `Interrupted`; the same call with the same paths resumes there.
   */
  signal?: StopRequest;
}

interface FitState {
  epoch: number;
  stepInEpoch: number;
  batcher: BatcherState;
  partial: { loss: number; c1: number; n: number; seconds: number };
  history: EpochMetrics[];
  hooks: unknown;
  /** EMA updates so far (absent in checkpoints written before the warm-up). */
  emaUpdates?: number;
}

export function fit(o: FitOptions): EpochMetrics[] {
  const ema = o.emaDecay > 0 ? new Ema(o.model, o.emaDecay, o.emaWarmup ?? true) : null;
  const target = { model: o.model, optimizers: { weights: o.optimizer }, extra: new Map([...(o.extraTensors ?? []), ...(ema ? [...ema.shadow].map(([k, t]) => [`ema.${k}`, t] as const) : [])]) };
  let epoch = 0;
  let partial = { loss: 0, c1: 0, n: 0, seconds: 0 };
  let history: EpochMetrics[] = [];
  const resumed = o.paths ? loadCheckpoint<FitState>(o.paths.checkpoint, target) : null;
  if (resumed) {
    checkFiniteWeights(o.model, o.paths!.checkpoint);
    epoch = resumed.epoch;
    partial = resumed.partial;
    history = resumed.history;
    o.train.restore(resumed.batcher);
    o.hooks?.restore?.(resumed.hooks);
    if (ema) ema.updates = resumed.emaUpdates ?? 0;
    // metrics.jsonl is rewritten from the checkpoint so a crash between the two writes leaves no gap or duplicate.
    writeFileAtomic(o.paths!.metrics, history.map((m) => JSON.stringify(m)).join('\n') + (history.length ? '\n' : ''));
    o.progress.log(`${o.stage}: resumed at epoch ${epoch + 1}, step ${resumed.stepInEpoch}`);
  }
  const stepOptions = { clip: o.clip, labelSmoothing: o.labelSmoothing, auxWeight: o.auxWeight ?? 0, ...(o.hooks?.afterStep ? { afterStep: o.hooks.afterStep } : {}) };
  const save = (epochsDone: number, stepInEpoch: number) => {
    if (!o.paths) return;
    const state: FitState = { epoch: epochsDone, stepInEpoch, batcher: o.train.state(), partial, history, hooks: o.hooks?.state?.(), ...(ema ? { emaUpdates: ema.updates } : {}) };
    saveCheckpoint(o.paths.checkpoint, target, state);
  };
  const stopIfAborted = (epochsDone: number, stepInEpoch: number) => {
    if (!o.signal?.aborted) return;
    save(epochsDone, stepInEpoch);
    throw new Interrupted(o.stage, epochsDone + (stepInEpoch > 0 ? 1 : 0), stepInEpoch, o.paths?.dir ?? null);
  };
  try {
    for (; epoch < o.epochs; epoch++) {
      if (o.train.position === 0 || o.train.position >= o.train.batchesPerEpoch) o.hooks?.beforeEpoch?.(epoch);
      o.hooks?.epochState?.(epoch);
      const lr = lrAt(o.schedule, epoch);
      o.optimizer.setLr(lr);
      o.model.train();
      const steps = o.train.batchesPerEpoch;
      let t0 = performance.now();
      for (const batch of o.train.batches()) {
        // The schedule is evaluated per step (fractional epoch), so short runs anneal too.
        o.optimizer.setLr(lrAt(o.schedule, epoch + o.train.position / steps));
        const s = scope(() => {
          const { x, y } = batchTensors(batch, o.geometry, o.layout);
          return trainStep(o.model, o.optimizer, x, y, stepOptions);
        });
        checkLoss(s.loss, { stage: o.stage, epoch: epoch + 1, step: o.train.position, hint: o.divergenceHint ?? 'a lower learning rate or gradient clipping' });
        ema?.update(o.model);
        partial.loss += s.loss * s.n; partial.c1 += s.correct1; partial.n += s.n;
        const now = performance.now();
        partial.seconds += (now - t0) / 1000; t0 = now;
        const step = o.train.position;
        const ips = partial.n / Math.max(1e-9, partial.seconds);
        const perEpoch = partial.seconds / Math.max(1, step);
        o.progress.update({ stage: o.stage, epoch: epoch + 1, epochs: o.epochs, step, steps, imagesPerSecond: ips,
          eta: perEpoch * (steps - step) + perEpoch * steps * (o.epochs - epoch - 1), fields: { loss: partial.loss / partial.n, lr: o.optimizer.lr } });
        if (o.checkpointEvery > 0 && step % o.checkpointEvery === 0 && step < steps) save(epoch, step);
        if (step < steps) stopIfAborted(epoch, step);
      }
      const evals: Record<string, EvalResult> = {};
      const runEvals = () => { for (const e of o.evals) evals[e.name] = evaluate(o.model, e.batcher, o.geometry, o.layout); };
      if (ema) ema.withAveraged(o.model, runEvals); else runEvals();
      for (const [name, r] of Object.entries(evals)) {
        checkLoss(r.loss, { stage: o.stage, epoch: epoch + 1, step: steps, what: `${name} loss (eval mode)`, hint: o.divergenceHint ?? 'a lower learning rate or gradient clipping' });
      }
      const m: EpochMetrics = { stage: o.stage, epoch: epoch + 1, lr, train_loss: partial.loss / partial.n, train_acc: partial.c1 / partial.n,
        epoch_time_s: partial.seconds, images_per_s: partial.n / partial.seconds };
      for (const [name, r] of Object.entries(evals)) { m[`${name}_loss`] = r.loss; m[`${name}_acc`] = r.top1; m[`${name}_top5`] = r.top5; }
      o.hooks?.afterEpoch?.(epoch, m);
      history.push(m);
      partial = { loss: 0, c1: 0, n: 0, seconds: 0 };
      const done = epoch + 1;
      save(done, 0);
      if (o.paths) appendLine(o.paths.metrics, JSON.stringify(m));
      o.progress.log(`${o.stage} epoch ${done}/${o.epochs}: ` + Object.entries(m).filter(([k]) => /loss|acc|time/.test(k))
        .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(4) : String(v)}`).join(', '));
      if (done < o.epochs) stopIfAborted(done, 0);
    }
  } finally {
    o.progress.done();
    ema?.dispose();
  }
  return history;
}
