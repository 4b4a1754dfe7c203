// `lnas bench supernet`: throughput of one DARTS search step and of evaluation on the search
// network, random 32×32 inputs, 10 classes (the contract PyTorch is compared against).
import type { MemoryFormat } from '../train/config.js';
import { Adam } from '../optim/adam.js';
import { SGD } from '../optim/sgd.js';
import { searchStep } from '../search/darts/architect.js';
import { Supernet } from '../spaces/darts/supernet.js';
import { randint, randn } from '../tensor/creation.js';
import { deviceMemory, useDevice } from '../tensor/device.js';
import { manualSeed, noGrad, setNumThreads } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { peakRssMb, timeIt } from './measure.js';

export interface SupernetBenchOptions {
  channels: number;
  layers: number;
  batch: number;
  threads: number;
  /** cpu, cuda, cuda:N or auto. */
  device: string;
  order: 1 | 2;
  memoryFormat: MemoryFormat;
  /** Fraction of α entries masked out (path-level pruning), lowest first by a fixed random draw. */
  alphaSparsity: number;
  warmup: number;
  repeats: number;
  seed: number;
}

export function benchSupernet(o: SupernetBenchOptions) {
  setNumThreads(o.threads);
  const device = useDevice(o.device);
  manualSeed(o.seed);
  const net = new Supernet({ channels: o.channels, layers: o.layers, classes: 10 });
  const cl = o.memoryFormat === 'channels-last';
  if (cl) net.toMemoryFormat('channelsLast');
  if (o.alphaSparsity > 0) applyRandomSparsity(net, o.alphaSparsity, o.seed);
  const wOpt = new SGD(net.parameters(), { lr: 0.025, momentum: 0.9, weightDecay: 3e-4 });
  const aOpt = new Adam(net.archParameters(), { lr: 3e-4, beta1: 0.5, beta2: 0.999, weightDecay: 1e-3 });
  const batch = () => {
    const x = randn([o.batch, 3, 32, 32]);
    return { x: cl ? x.contiguous('channelsLast') : x, y: randint(0, 10, [o.batch]) };
  };
  const [train, val] = [batch(), batch()].map((b) => ({ x: b.x.keep(), y: b.y.keep() })) as [ReturnType<typeof batch>, ReturnType<typeof batch>];
  const search = timeIt(() => scope(() => {
    searchStep(net, train, val, aOpt, wOpt, { order: o.order, xi: 0.025, momentum: 0.9, weightDecay: 3e-4, clip: 5 });
  }), o.warmup, o.repeats);
  const searchRss = peakRssMb();
  net.eval();
  const evaluation = timeIt(() => noGrad(() => scope(() => { net.forward(val.x); })), o.warmup, o.repeats);
  const result = {
    impl: 'lnas', model: 'supernet', C: o.channels, layers: o.layers, batch: o.batch, threads: o.threads, order: o.order,
    memory_format: o.memoryFormat, alpha_sparsity: o.alphaSparsity, params: net.parameterCount(),
    search_img_s: o.batch / search.median_s, eval_img_s: o.batch / evaluation.median_s,
    search_step_s: search.runs_s, eval_step_s: evaluation.runs_s, peak_rss_mb: searchRss, device,
    ...(device === 'cpu' ? {} : deviceFigures(device)),
  };
  for (const t of [train.x, train.y, val.x, val.y]) t.dispose();
  aOpt.disposeState(); wOpt.disposeState(); net.dispose();
  return result;
}

/** Device memory after the run: lnas's live tensors, and the CUDA allocator's peak where this build reports it. */
function deviceFigures(device: string): Record<string, number | null> {
  const m = deviceMemory(device);
  return { device_live_mb: m.live / 2 ** 20, peak_device_mb: m.peakAllocated === null ? null : m.peakAllocated / 2 ** 20 };
}

/** Masks a fraction of α entries chosen at random (the bench measures cost, not search quality). */
function applyRandomSparsity(net: Supernet, sparsity: number, seed: number): void {
  let state = seed + 1;
  const rand = () => ((state = (state * 1103515245 + 12345) >>> 0) / 4294967296);
  for (const kind of ['normal', 'reduce'] as const) {
    const mask = net.mask[kind].map((row) => Array.from(row));
    const entries = mask.flatMap((row, e) => row.map((_, i) => [e, i] as const)).sort(() => rand() - 0.5);
    let toPrune = Math.round(sparsity * entries.length);
    for (const [e, i] of entries) {
      if (toPrune === 0) break;
      const row = mask[e] as number[];
      if (row.reduce((a, b) => a + b, 0) > 1) { row[i] = 0; toPrune--; }
    }
    net.setMask(kind, mask);
  }
}
