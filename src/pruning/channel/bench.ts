// How expensive is exploring lottery tickets next to training? One quick-training epoch of a
// small random CIFAR-sized candidate, then K proposals (slice + BN re-calibration + validation)
// on the network it produced. Plain measurements; nothing here is tuned.

import { performance } from 'node:perf_hooks';
import { CIFAR_AUGMENT, type Layout } from '../../data/augment.js';
import { Batcher } from '../../data/batcher.js';
import { SyntheticDataset } from '../../data/synthetic.js';
import type { LoadedDataset } from '../../data/types.js';
import { SGD } from '../../optim/sgd.js';
import { manualSeed, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { batchTensors, trainStep } from '../../train/loop.js';
import { Rng } from '../../util/rng.js';
import { mobilenetConfig } from '../../spaces/mobilenet/config.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import { mobilenetSpace } from '../../spaces/mobilenet/space.js';
import { evaluateBatches } from './evaluate.js';
import { exploreTickets } from './explore.js';
import { imagesIn, takeBatches } from './recalibrate.js';

export interface ExplorationBenchOptions {
  /** Defaults to a synthetic 32x32 10-class set of trainImages + valImages images. */
  data?: LoadedDataset;
  threads?: number;
  seed?: number;
  /** The candidate is sampled below this many MMACs (a "small" network). */
  maxMmacs?: number;
  trainImages?: number;
  batchSize?: number;
  proposals?: number;
  recalImages?: number;
  valImages?: number;
  layout?: Layout;
}

export interface ExplorationBench {
  genome: MobileNetGenome;
  architecture: string;
  mmacs: number;
  params: number;
  threads: number;
  trainImages: number;
  trainEpochSeconds: number;
  unprunedTop1: number;
  proposals: number;
  recalImages: number;
  valImages: number;
  exploreSeconds: number;
  /** Mean seconds per proposal for each phase. */
  perProposal: { slice: number; recalibrate: number; evaluate: number };
  bestTop1: number;
  bestMMacs: number;
}

export function benchExploration(o: ExplorationBenchOptions = {}): ExplorationBench {
  const threads = o.threads ?? 1;
  const seed = o.seed ?? 0;
  const trainImages = o.trainImages ?? 5000;
  const batchSize = o.batchSize ?? 64;
  const recalImages = o.recalImages ?? 256;
  const valImages = o.valImages ?? 512;
  const layout = o.layout ?? 'nhwc';
  setNumThreads(threads);
  manualSeed(seed);
  const data = o.data ?? new SyntheticDataset({ trainSize: trainImages, testSize: valImages, seed });
  const space = mobilenetSpace(mobilenetConfig('cifar', { classes: data.train.classes, resolution: data.train.height }));
  const rng = new Rng(seed);
  let genome = space.sample(rng);
  while (space.mmacs(genome) > (o.maxMmacs ?? 40)) genome = space.sample(rng);
  const geometry = { channels: data.train.channels, height: data.train.height, width: data.train.width };
  const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
  const nTrain = Math.min(trainImages, data.train.n);
  const nVal = Math.min(valImages, data.test.n);
  const norm = { mean: data.mean, std: data.std, layout };
  const train = new Batcher(data.train, { ...norm, batchSize, indices: first(nTrain), augment: CIFAR_AUGMENT, seed, reuseBuffers: true });
  const recal = new Batcher(data.train, { ...norm, batchSize: 64, indices: first(nTrain), seed: seed + 1 });
  const recalSet = { batches: takeBatches(recal, recalImages), geometry, layout };
  const valSet = { batches: takeBatches(new Batcher(data.test, { ...norm, batchSize: 128, shuffle: false, indices: first(nVal) }), nVal), geometry, layout };
  const net = space.build(genome);
  // In a scope: Module.toMemoryFormat leaves its detach() handles to the enclosing one.
  if (layout === 'nhwc') scope(() => { net.toMemoryFormat('channelsLast'); });
  const opt = new SGD(net.parameters(), { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 4e-5 });
  try {
    net.train();
    const t0 = performance.now();
    for (const b of train.batches()) {
      scope(() => {
        const { x, y } = batchTensors(b, geometry, layout);
        trainStep(net, opt, x, y, { clip: 0, labelSmoothing: 0 });
      });
    }
    const trainEpochSeconds = (performance.now() - t0) / 1000;
    const unpruned = evaluateBatches(net, valSet);
    const r = exploreTickets(net, {
      count: o.proposals ?? 20, rng: new Rng(seed + 2),
      recalibration: recalSet, validation: valSet,
    });
    r.ticket.dispose();
    const mean = (k: 'slice' | 'recalibrate' | 'evaluate') => r.results.reduce((s, p) => s + p.seconds[k], 0) / r.results.length;
    return {
      genome, architecture: space.describe(genome), mmacs: space.mmacs(genome), params: space.params(genome), threads,
      trainImages: nTrain, trainEpochSeconds, unprunedTop1: unpruned.top1,
      proposals: r.results.length, recalImages: imagesIn(recalSet), valImages: imagesIn(valSet),
      exploreSeconds: r.seconds, perProposal: { slice: mean('slice'), recalibrate: mean('recalibrate'), evaluate: mean('evaluate') },
      bestTop1: r.best.top1, bestMMacs: r.best.macs / 1e6,
    };
  } finally {
    opt.disposeState();
    net.dispose();
  }
}
