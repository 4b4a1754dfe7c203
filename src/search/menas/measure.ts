// `lnas ticket-bench`: the measurements behind MENAS' claims, on one candidate at a time, with
// the settings a search would use. (a) EagleEye's BatchNorm effect: every proposal scored with
// the statistics it inherited and after re-calibration; (b) exploring K proposals against one
// training epoch; (c) training speed of the ticket against its FLOPs: training steps of the
// candidate and of two pruned networks timed in alternation, so that the load of a shared machine
// hits all of them alike; (d) the wall time of the whole trial, which sizes the presets.
import { loadData } from '../../data/setup.js';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { evaluateBatches } from '../../pruning/channel/evaluate.js';
import { exploreTickets } from '../../pruning/channel/explore.js';
import { sliceNetwork } from '../../pruning/channel/slice.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import type { MobileNetNetwork } from '../../spaces/mobilenet/network.js';
import { manualSeed, setNumThreads } from '../../tensor/runtime.js';
import { useDevice } from '../../tensor/device.js';
import { scope } from '../../tensor/scope.js';
import type { DataConfig } from '../../data/config.js';
import { type OptimConfig, type RuntimeConfig, layoutOf } from '../../train/config.js';
import { batchTensors, trainStep } from '../../train/loop.js';
import { makeOptimizer } from '../../train/optim-setup.js';
import { Rng } from '../../util/rng.js';
import type { SpaceOptions, TicketConfig } from './config.js';
import { imagesIn } from '../../pruning/channel/recalibrate.js';
import { exploreSets, spaceConfigFor, type TrialData, trialData } from './data.js';
import { mobilenetSpace } from '../../spaces/mobilenet/space.js';
import { epochTimes, trainNetwork } from './train-genome.js';
import { silentProgress, type Progress } from '../../train/progress.js';

export interface TicketBenchOptions {
  data: DataConfig;
  syntheticSize: number;
  space: SpaceOptions;
  /** Candidates are drawn below this budget (null: any). */
  maxMmacs: number | null;
  optim: OptimConfig;
  ticket: TicketConfig;
  runtime: RuntimeConfig;
  /** Training steps timed per network and round (two rounds, alternating). */
  timingSteps: number;
  /** Which of the seeded draws under the budget to measure (0 = the first). */
  draw: number;
  genome?: MobileNetGenome;
  progress?: Progress;
}

const stats = (xs: readonly number[]) => ({ mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs) });

/** Spearman rank correlation (average ranks for ties). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const rank = (xs: readonly number[]) => {
    const order = xs.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
      for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const ra = rank(a); const rb = rank(b);
  const m = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  const ma = m(ra); const mb = m(rb);
  let num = 0; let da = 0; let db = 0;
  ra.forEach((v, i) => { const x = v - ma; const y = (rb[i] as number) - mb; num += x * y; da += x * x; db += y * y; });
  return da === 0 || db === 0 ? NaN : num / Math.sqrt(da * db);
}

/** Wall and CPU seconds per training step of each network, measured in alternation over two rounds. */
function stepSeconds(nets: readonly MobileNetNetwork[], data: TrialData, optim: OptimConfig, steps: number): { wall: number; cpu: number }[] {
  const opts = nets.map((n) => makeOptimizer(n.parameters(), optim));
  const total = nets.map(() => 0);
  const cpuTotal = nets.map(() => 0);
  try {
    for (let round = 0; round < 2; round++) {
      nets.forEach((net, i) => {
        net.train();
        for (let s = 0; s <= steps; s++) {
          const b = data.train.next();
          const t0 = performance.now();
          const c0 = process.cpuUsage();
          scope(() => { const { x, y } = batchTensors(b, data.geometry, data.layout); trainStep(net, opts[i]!, x, y, { clip: 0, labelSmoothing: 0 }); });
          // The first step of a round warms caches and oneDNN primitives up: not counted.
          if (s > 0) {
            total[i]! += (performance.now() - t0) / 1000;
            const c = process.cpuUsage(c0);
            cpuTotal[i]! += (c.user + c.system) / 1e6;
          }
        }
      });
    }
  } finally {
    for (const o of opts) o.disposeState();
  }
  return total.map((t, i) => ({ wall: t / (2 * steps), cpu: cpuTotal[i]! / (2 * steps) }));
}

export async function measureTickets(o: TicketBenchOptions) {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  // With one libtorch thread, CPU seconds are what the wall time would be on an idle core:
  // the measure that survives a shared, loaded machine.
  const cpu = () => { const c = process.cpuUsage(cpu0); return (c.user + c.system) / 1e6; };
  const progress = o.progress ?? silentProgress;
  setNumThreads(o.runtime.threads || 1);
  useDevice(o.runtime.device, { deterministic: o.runtime.deterministic });
  manualSeed(o.optim.seed);
  const ds = await loadData(o.data, { syntheticSize: o.syntheticSize });
  const loadSeconds = (performance.now() - wall0) / 1000;
  const space = mobilenetSpace(spaceConfigFor(ds.train, o.space));
  const rng = new Rng(o.optim.seed);
  let genome = o.genome ? space.validate(o.genome) : undefined;
  for (let found = -1; genome === undefined || found < o.draw;) {
    const g = space.sample(rng);
    if (o.maxMmacs === null || space.mmacs(g) <= o.maxMmacs) { found++; if (found === o.draw) genome = g; }
  }
  const layout = layoutOf(o.runtime.memoryFormat);
  const data = trialData(ds, o.data, { layout, seed: o.optim.seed, recalImages: o.ticket.recalImages, screenImages: o.ticket.screenImages });
  const net = space.build(genome);
  const pruned: MobileNetNetwork[] = [];
  try {
    progress.log(`ticket-bench: ${space.mmacs(genome).toFixed(1)} MMACs, ${space.params(genome)} parameters, ${data.trainSize} training images`);
    const t0 = performance.now();
    const cpuTrain0 = cpu();
    const history = trainNetwork(net, { stage: 'candidate', dir: null, optim: o.optim, runtime: { ...o.runtime, checkpointEvery: 0 }, data, evals: ['val'], progress });
    const trainWall = (performance.now() - t0) / 1000;
    const trainCpu = cpu() - cpuTrain0;
    const unpruned = evaluateBatches(net, data.valSet);
    const cpuExplore0 = cpu();
    const ex = exploreTickets(net, { ...exploreSets(data, o.ticket.screenKeep), count: o.ticket.proposals, rng: new Rng(o.optim.seed + 1), minRate: o.ticket.minRate, maxRate: o.ticket.maxRate });
    pruned.push(ex.ticket);
    const exploreCpu = cpu() - cpuExplore0;
    // (a) over every proposal: the same sliced weights with inherited statistics.
    // What a search trial costs: loading, training, exploring (the measurements below are extra).
    const trialSeconds = (performance.now() - wall0) / 1000;
    const trialCpu = cpu();
    // Each on the images it was scored on (screened-out proposals: the screening images only).
    const inherited = ex.results.map((r) => {
      const n = sliceNetwork(net, r.genome);
      try { return evaluateBatches(n, data.screen && r.n < imagesIn(data.valSet) ? data.screen.first : data.valSet).top1; } finally { n.dispose(); }
    });
    const recal = ex.results.map((r) => r.top1);
    const bestInherited = inherited[ex.results.indexOf(ex.best)] as number;
    // (c) the smallest proposal as a second, more pruned point.
    const smallest = ex.results.reduce((a, b) => (b.macs < a.macs ? b : a));
    pruned.push(sliceNetwork(net, smallest.genome));
    const nets = [net, ...pruned];
    const perStep = stepSeconds(nets, data, o.optim, o.timingSteps);
    const steps = data.train.batchesPerEpoch;
    const genomes: MobileNetGenome[] = nets.map((n) => n.genome);
    const epochs = epochTimes(history);
    return {
      dataset: ds.name, threads: o.runtime.threads || 1, genome, blocks: space.blockStrings(genome), mmacs: space.mmacs(genome), params: space.params(genome),
      train_images: data.trainSize, val_images: imagesIn(data.valSet), recal_images: o.ticket.recalImages,
      screen: data.screen ? { images: imagesIn(data.screen.first), keep: o.ticket.screenKeep } : null,
      epochs: epochs.length, epoch_seconds: epochs, val_acc_per_epoch: history.map((m) => m.val_acc), val_acc: unpruned.top1,
      explore: {
        proposals: ex.results.length, seconds: ex.seconds, seconds_per_epoch_ratio: ex.seconds / (epochs[epochs.length - 1] ?? NaN),
        per_proposal: { slice: stats(ex.results.map((r) => r.seconds.slice)).mean, recalibrate: stats(ex.results.map((r) => r.seconds.recalibrate)).mean, evaluate: stats(ex.results.map((r) => r.seconds.evaluate)).mean },
      },
      bn_effect: {
        best_ticket: { index: ex.best.index, mmacs: ex.best.macs / 1e6, params: ex.best.params, recalibrated: ex.best.top1, inherited: bestInherited },
        all_proposals: { recalibrated: stats(recal), inherited: stats(inherited), spearman: spearman(recal, inherited) },
      },
      speed: nets.map((n, i) => ({
        net: i === 0 ? 'candidate' : i === 1 ? 'best ticket' : 'smallest proposal', mmacs: space.mmacs(genomes[i]!), params: space.params(genomes[i]!),
        step_seconds: perStep[i]!.wall, step_cpu_seconds: perStep[i]!.cpu, epoch_cpu_seconds_estimate: perStep[i]!.cpu * steps,
        mmacs_ratio: space.mmacs(genomes[i]!) / space.mmacs(genome), time_ratio: perStep[i]!.wall / perStep[0]!.wall, cpu_time_ratio: perStep[i]!.cpu / perStep[0]!.cpu,
      })),
      seconds: { data_load: loadSeconds, train_wall: trainWall, explore: ex.seconds, trial: trialSeconds, total_wall: (performance.now() - wall0) / 1000 },
      cpu_seconds: { train: trainCpu, explore: exploreCpu, trial: trialCpu, total: cpu() },
      load_average: loadavg(),
    };
  } finally {
    for (const n of pruned) n.dispose();
    net.dispose();
  }
}

export type TicketBench = Awaited<ReturnType<typeof measureTickets>>;
