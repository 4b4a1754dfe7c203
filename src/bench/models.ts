// `lnas bench` (default): training throughput of the small CNN and of one DARTS mixed edge,
// random inputs, the same models and steps as scripts/bench/torch_reference.py.
import type { MemoryFormat } from '../train/config.js';
import { smallCnn } from '../models/small-cnn.js';
import { Module } from '../nn/module.js';
import { SGD } from '../optim/sgd.js';
import { MixedOp } from '../spaces/darts/mixed-op.js';
import { randint, randn } from '../tensor/creation.js';
import * as F from '../tensor/functional.js';
import { useDevice } from '../tensor/device.js';
import { manualSeed, setNumThreads } from '../tensor/runtime.js';
import { call, type Tensor } from '../tensor/tensor.js';
import { scope } from '../tensor/scope.js';
import { peakRssMb, timeIt } from './measure.js';

export interface ModelBenchOptions { device: string; threads: number; batch: number; memoryFormat: MemoryFormat; warmup: number; repeats: number; seed: number }

export function benchSmallCnn(o: ModelBenchOptions & { width: number }) {
  setNumThreads(o.threads);
  useDevice(o.device);
  manualSeed(o.seed);
  const cl = o.memoryFormat === 'channels-last';
  const model = smallCnn(3, 10, o.width);
  if (cl) model.toMemoryFormat('channelsLast');
  const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 });
  const x0 = randn([o.batch, 3, 32, 32]);
  const x = (cl ? x0.contiguous('channelsLast') : x0).keep();
  const y = randint(0, 10, [o.batch]).keep();
  const t = timeIt(() => scope(() => {
    const loss = F.crossEntropy(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }), o.warmup, o.repeats);
  const r = { impl: 'lnas', model: 'small-cnn', width: o.width, batch: o.batch, threads: o.threads, memory_format: o.memoryFormat,
    train_img_s: o.batch / t.median_s, step_s: t.runs_s, peak_rss_mb: peakRssMb() };
  x0.dispose(); x.dispose(); y.dispose(); opt.disposeState(); model.dispose();
  return r;
}

class EdgeBench extends Module {
  readonly op: MixedOp;
  constructor(c: number) { super(); this.op = this.child('op', new MixedOp(c, 1)); }
}

export function benchMixedEdge(o: ModelBenchOptions & { channels: number }) {
  setNumThreads(o.threads);
  useDevice(o.device);
  manualSeed(o.seed);
  const cl = o.memoryFormat === 'channels-last';
  const edge = new EdgeBench(o.channels);
  if (cl) edge.toMemoryFormat('channelsLast');
  const alpha = randn([8]).mul(1e-3).keep().requiresGrad_();
  const opt = new SGD(edge.parameters(), { lr: 0.025, momentum: 0.9 });
  const x0 = randn([o.batch, o.channels, 32, 32]);
  const x = (cl ? x0.contiguous('channelsLast') : x0).keep();
  const active = new Uint8Array(8).fill(1);
  const t = timeIt(() => scope(() => {
    const w = call('aten::unbind.int', [alpha.softmax(0), 0]) as Tensor[];
    const out = edge.op.accumulate(null, x, w, active) as Tensor;
    const loss = out.mul(out).mean();
    opt.zeroGrad();
    alpha.grad = null;
    loss.backward();
    opt.step();
  }), o.warmup, o.repeats);
  const r = { impl: 'lnas', model: 'mixed-edge', C: o.channels, batch: o.batch, threads: o.threads, memory_format: o.memoryFormat,
    train_img_s: o.batch / t.median_s, step_s: t.runs_s, peak_rss_mb: peakRssMb() };
  x0.dispose(); x.dispose(); alpha.dispose(); opt.disposeState(); edge.dispose();
  return r;
}
