// The weight-sharing search loop both cell spaces run (DARTS' and NAS-Bench-201's): the DARTS
// split of the training images into weight and α halves, SGD on the weights with a cosine
// schedule, Adam on α (first or second order, after an optional weight-only warm-up, every
// --alpha-every steps), α pruning rounds after epochs (LNAS Variant 2), checkpoints within and
// at the end of epochs, bit-identical resume, divergence checks and clean stops. A space brings its
// supernet, its pruner, what it records per epoch, and what it writes when the search ends.
import { Batcher, type BatcherState } from '../data/batcher.js';
import type { DataConfig } from '../data/config.js';
import { augmentOf, geometryOf } from '../data/setup.js';
import { dartsSplit } from '../data/splits.js';
import type { LoadedDataset } from '../data/types.js';
import { Interrupted } from '../errors.js';
import type { Layer } from '../nn/module.js';
import { Adam } from '../optim/adam.js';
import { lrAt } from '../optim/schedule.js';
import { SGD } from '../optim/sgd.js';
import type { RunPaths } from '../runs/paths.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { type StateCheck, loadCheckpoint, saveCheckpoint } from '../train/checkpoint.js';
import { type RuntimeConfig, layoutOf } from '../train/config.js';
import { checkFiniteWeights, checkLoss } from '../train/divergence.js';
import { batchTensors, evaluate } from '../train/loop.js';
import type { Progress } from '../train/progress.js';
import type { StopRequest } from '../train/stop.js';
import { appendLine, writeFileAtomic } from '../util/fs.js';
import { type ArchNet, searchStep } from './darts/architect.js';
import type { SearchConfig } from './darts/config.js';

export interface SearchLoopState {
  epoch: number;
  step: number;
  train: BatcherState;
  val: BatcherState;
  partial: { loss: number; valLoss: number; valN?: number; correct: number; n: number; seconds: number };
  history: Record<string, unknown>[];
  pruner: unknown;
}

/** What a space brings to the loop. */
export interface CellSearch<N extends ArchNet & Layer> {
  net: N;
  pruner: { afterEpoch(net: N, epoch: number): number; state(net: N): unknown; restore(net: N, s: unknown): void };
  /** The α tensors a checkpoint holds beside the weights, by name. */
  alphaTensors: readonly (readonly [string, Tensor])[];
  /** Checks the state of a checkpoint before it is trusted. */
  checkState: StateCheck;
  /** The line logged when a search starts afresh (the run folder is appended). */
  startLine: string;
  /** Extra progress fields from the last finished epoch's metrics (none before the first). */
  progressFields(last: Record<string, unknown> | undefined): Record<string, string | number>;
  /** The space's own metrics after an epoch (α entropy, the derived cell, ...). */
  epochMetrics(): Record<string, unknown>;
  /** The line logged after an epoch. */
  epochLine(m: Record<string, unknown>): string;
}

export interface SearchLoopOptions { progress: Progress; signal?: StopRequest }

/** Runs (or resumes) the search in `paths`; calls `finish` with the trained net and the per-epoch metrics before the net is disposed. */
export function runSearchLoop<N extends ArchNet & Layer, R>(
  job: { data: DataConfig; search: SearchConfig; runtime: RuntimeConfig }, data: { ds: LoadedDataset; augmentFrom: DataConfig }, paths: RunPaths,
  o: SearchLoopOptions, space: CellSearch<N>, finish: (net: N, history: Record<string, unknown>[]) => R,
): R {
  const s = job.search;
  const { ds } = data;
  const n = s.searchImages > 0 ? Math.min(s.searchImages, ds.train.n) : ds.train.n;
  const split = dartsSplit(n, s.seed, { portion: s.trainPortion });
  const layout = layoutOf(job.runtime.memoryFormat);
  const geometry = geometryOf(ds.train);
  const common = { batchSize: s.batchSize, mean: ds.mean, std: ds.std, layout, augment: augmentOf(data.augmentFrom) } as const;
  const trainB = new Batcher(ds.train, { ...common, indices: split.train, seed: s.seed });
  const valB = new Batcher(ds.train, { ...common, indices: split.val, seed: s.seed + 1 });
  const valEval = new Batcher(ds.train, { batchSize: 256, mean: ds.mean, std: ds.std, layout, indices: split.val, shuffle: false, augment: null });
  const { net, pruner } = space;
  if (layout === 'nhwc') net.toMemoryFormat('channelsLast');
  const wOpt = new SGD(net.parameters(), { lr: s.lr, momentum: s.momentum, weightDecay: s.weightDecay });
  const aOpt = new Adam(net.archParameters(), { lr: s.alphaLr, beta1: s.alphaBeta1, beta2: s.alphaBeta2, weightDecay: s.alphaWeightDecay });
  const target = { model: net, optimizers: { weights: wOpt, alpha: aOpt }, extra: new Map(space.alphaTensors) };
  const schedule = { kind: 'cosine', lr: s.lr, etaMin: s.lrMin, epochs: s.epochs } as const;
  let epoch = 0;
  let partial: SearchLoopState['partial'] = { loss: 0, valLoss: 0, valN: 0, correct: 0, n: 0, seconds: 0 };
  let history: Record<string, unknown>[] = [];
  const resumed = loadCheckpoint<SearchLoopState>(paths.checkpoint, target, space.checkState);
  if (resumed) {
    checkFiniteWeights(net, paths.checkpoint);
    ({ epoch, partial, history } = resumed);
    partial.valN ??= partial.n; // checkpoints from before --alpha-every updated α on every step
    trainB.restore(resumed.train);
    valB.restore(resumed.val);
    pruner.restore(net, resumed.pruner);
    writeFileAtomic(paths.metrics, history.map((m) => JSON.stringify(m)).join('\n') + (history.length ? '\n' : ''));
    o.progress.log(`search: resumed at epoch ${epoch + 1}, step ${resumed.step}`);
  } else {
    o.progress.log(`${space.startLine}, ${split.train.length}+${split.val.length} images -> ${paths.dir}`);
  }
  const save = (epochsDone: number, step: number) => saveCheckpoint(paths.checkpoint, target, {
    epoch: epochsDone, step, train: trainB.state(), val: valB.state(), partial, history, pruner: pruner.state(net),
  } satisfies SearchLoopState);
  try {
    for (; epoch < s.epochs; epoch++) {
      const lr = lrAt(schedule, epoch);
      wOpt.setLr(lr);
      net.train();
      const order = s.order === 2 && !(s.firstOrderWarmup && epoch === s.alphaWarmup) ? 2 : 1;
      const alphaOn = epoch >= s.alphaWarmup;
      let t0 = performance.now();
      for (const tb of trainB.batches()) {
        const updateAlpha = alphaOn && (trainB.position - 1) % s.alphaEvery === 0;
        const r = scope(() => {
          const train = batchTensors(tb, geometry, layout);
          const val = updateAlpha ? batchTensors(valB.next(), geometry, layout) : null;
          return searchStep(net, train, val, aOpt, wOpt, { order, xi: lr, momentum: s.momentum, weightDecay: s.weightDecay, clip: s.clip });
        });
        const site = { stage: 'search', epoch: epoch + 1, step: trainB.position,
          hint: `a lower weight learning rate (--lr, now ${s.lr}) or α learning rate (--alpha-lr, now ${s.alphaLr}), or gradient clipping (--clip, now ${s.clip || 'off'})` };
        checkLoss(r.trainLoss, site);
        if (updateAlpha) {
          checkLoss(r.valLoss, { ...site, what: 'architecture (validation) loss' });
          partial.valLoss += r.valLoss * tb.size; partial.valN = (partial.valN ?? 0) + tb.size;
        }
        partial.loss += r.trainLoss * tb.size; partial.correct += r.trainCorrect; partial.n += tb.size;
        const now = performance.now();
        partial.seconds += (now - t0) / 1000; t0 = now;
        const step = trainB.position;
        const perStep = partial.seconds / step;
        o.progress.update({ stage: 'search', epoch: epoch + 1, epochs: s.epochs, step, steps: trainB.batchesPerEpoch, imagesPerSecond: partial.n / partial.seconds,
          eta: perStep * (trainB.batchesPerEpoch - step) + perStep * trainB.batchesPerEpoch * (s.epochs - epoch - 1),
          fields: { loss: partial.loss / partial.n, ...space.progressFields(history[history.length - 1]) } });
        if (job.runtime.checkpointEvery > 0 && step % job.runtime.checkpointEvery === 0 && step < trainB.batchesPerEpoch) save(epoch, step);
        if (o.signal?.aborted && step < trainB.batchesPerEpoch) { save(epoch, step); throw new Interrupted('search', epoch + 1, step, paths.dir); }
      }
      const evalNow = (epoch + 1) % s.evalEvery === 0 || epoch + 1 === s.epochs;
      const val = evalNow ? evaluate(net, valEval, geometry, layout) : null;
      if (val) checkLoss(val.loss, { stage: 'search', epoch: epoch + 1, step: trainB.batchesPerEpoch, what: 'validation loss (eval mode)', hint: `a lower learning rate (--lr, now ${s.lr}) or gradient clipping` });
      const pruned = alphaOn ? pruner.afterEpoch(net, epoch - s.alphaWarmup) : 0;
      const m = {
        stage: 'search', epoch: epoch + 1, lr, order, alpha_updates: alphaOn, train_loss: partial.loss / partial.n, train_acc: partial.correct / partial.n,
        arch_val_loss: partial.valN ? partial.valLoss / partial.valN : null, val_loss: val?.loss ?? null, val_acc: val?.top1 ?? null,
        epoch_time_s: partial.seconds, images_per_s: partial.n / partial.seconds, alpha_pruned_now: pruned, ...space.epochMetrics(),
      };
      history.push(m);
      partial = { loss: 0, valLoss: 0, valN: 0, correct: 0, n: 0, seconds: 0 };
      save(epoch + 1, 0);
      appendLine(paths.metrics, JSON.stringify(m));
      o.progress.log(`search epoch ${epoch + 1}/${s.epochs}: ${space.epochLine(m)}`);
      if (o.signal?.aborted && epoch + 1 < s.epochs) throw new Interrupted('search', epoch + 1, 0, paths.dir);
    }
    o.progress.done();
    return finish(net, history);
  } finally {
    o.progress.done();
    wOpt.disposeState(); aOpt.disposeState(); net.dispose();
  }
}
