import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveTensors, manualSeed, noGrad, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { batchTensors } from '../../train/loop.js';
import { batchNorms, recalibrateBatchNorm } from './recalibrate.js';
import { scrambleBatchNorm, syntheticBatches, testGenome, tinySpace } from './testing.js';

setNumThreads(1);

test('re-calibration replaces running statistics only, as a cumulative average over the batches', () => {
  manualSeed(1);
  const data = syntheticBatches({ images: 96, batchSize: 32, seed: 1 });
  const before = liveTensors().tensors;
  const net = tinySpace().build(testGenome(1));
  scrambleBatchNorm(net);
  net.train();
  const params = net.namedParameters().map(([n, p]) => [n, p.toNumbers()] as const);
  const stats = net.namedBuffers().filter(([n]) => !n.endsWith('num_batches_tracked')).map(([n, b]) => [n, b.toNumbers()] as const);
  const momenta = batchNorms(net).map((bn) => bn.options.momentum);

  assert.equal(recalibrateBatchNorm(net, data), 96);

  for (const [n, v] of params) assert.deepEqual(net.stateDict().get(n)?.toNumbers(), v, `${n} changed`);
  for (const [n, v] of stats) assert.notDeepEqual(net.stateDict().get(n)?.toNumbers(), v, `${n} unchanged`);
  for (const bn of batchNorms(net)) assert.equal(bn.numBatchesTracked?.item(), 3);
  assert.deepEqual(batchNorms(net).map((bn) => bn.options.momentum), momenta);
  assert.ok([...net.modules()].every(([, m]) => m.training), 'modes restored');

  // The stem BN sees the stem conv's output directly: its running mean must be the mean of the
  // three batch means.
  noGrad(() => scope(() => {
    const perBatch = data.batches.map((b) => net.stem.conv.forward(batchTensors(b, data.geometry, data.layout).x).mean([0, 2, 3]).toNumbers());
    const want = (perBatch[0] ?? []).map((_, c) => perBatch.reduce((s, m) => s + (m[c] as number), 0) / perBatch.length);
    const got = net.stem.bn.runningMean?.toNumbers() ?? [];
    want.forEach((v, c) => assert.ok(Math.abs(v - (got[c] as number)) < 1e-5, `channel ${c}: ${v} vs ${got[c]}`));
  }));
  net.dispose();
  assert.equal(liveTensors().tensors, before);
});
