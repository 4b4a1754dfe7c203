import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyntheticDataset } from '../data/synthetic.js';
import { Batcher } from '../data/batcher.js';
import { smallCnn } from '../models/small-cnn.js';
import { SGD } from '../optim/sgd.js';
import { heapStats, liveTensors, manualSeed, setNumThreads } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { batchTensors, trainStep } from './loop.js';

setNumThreads(1);
const ds = new SyntheticDataset({ trainSize: 256, testSize: 16, height: 16, width: 16, seed: 1 });
const geometry = { channels: 3, height: 16, width: 16 };

function losses(seed: number, steps: number, layout: 'nchw' | 'nhwc' = 'nhwc'): number[] {
  manualSeed(seed);
  const model = smallCnn(3, 10, 8);
  if (layout === 'nhwc') model.toMemoryFormat('channelsLast');
  const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 });
  const b = new Batcher(ds.train, { batchSize: 16, mean: ds.mean, std: ds.std, layout, seed, augment: { padding: 2, flip: true, cutout: 0 } });
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    out.push(scope(() => { const { x, y } = batchTensors(b.next(), geometry, layout); return trainStep(model, opt, x, y, { clip: 5, labelSmoothing: 0 }).loss; }));
  }
  opt.disposeState(); model.dispose();
  return out;
}

test('determinism: same seed, threads=1 -> bit-identical losses; another seed differs', () => {
  const a = losses(3, 20);
  const b = losses(3, 20);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, losses(4, 20));
});

test('no leak: 1,000 training steps keep live tensors and C heap constant and RSS within 10% after warm-up', () => {
  manualSeed(0);
  const model = smallCnn(3, 10, 8).toMemoryFormat('channelsLast');
  const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 });
  const b = new Batcher(ds.train, { batchSize: 8, mean: ds.mean, std: ds.std, layout: 'nhwc', seed: 0, augment: { padding: 2, flip: true, cutout: 0 } });
  const step = () => scope(() => { const { x, y } = batchTensors(b.next(), geometry, 'nhwc'); trainStep(model, opt, x, y, { clip: 5, labelSmoothing: 0 }); });
  for (let i = 0; i < 100; i++) step();
  const live = liveTensors().tensors;
  const rss = process.memoryUsage().rss;
  const heap = heapStats().inUse;
  for (let i = 0; i < 1000; i++) {
    step();
    if (i % 100 === 0) assert.equal(liveTensors().tensors, live, `live tensors changed at step ${i}`);
  }
  assert.equal(liveTensors().tensors, live);
  const growth = process.memoryUsage().rss / rss - 1;
  assert.ok(growth < 0.1, `RSS grew ${(growth * 100).toFixed(1)}%`);
  const heapMb = (heapStats().inUse - heap) / 1e6;
  assert.ok(heapMb < 4, `C heap in use grew by ${heapMb.toFixed(1)} MB`);
  opt.disposeState(); model.dispose();
});
