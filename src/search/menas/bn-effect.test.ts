import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateBatches } from '../../pruning/channel/evaluate.js';
import { scrambleBatchNorm, syntheticBatches, testGenome, tinySpace } from '../../pruning/channel/testing.js';
import { sliceNetwork } from '../../pruning/channel/slice.js';
import { recalibrateBatchNorm } from '../../pruning/channel/recalibrate.js';
import { withPruneRates } from '../../spaces/mobilenet/genome.js';
import { liveTensors, manualSeed, setNumThreads } from '../../tensor/runtime.js';
import { bnEffect } from './bn-effect.js';
import { spearman } from './measure.js';

setNumThreads(1);

test('bnEffect: the same sliced ticket scored with inherited and with re-calibrated statistics; the model is untouched', () => {
  manualSeed(4);
  const space = tinySpace();
  const recalibration = syntheticBatches({ images: 64, batchSize: 32, seed: 1 });
  const validation = syntheticBatches({ images: 64, batchSize: 32, seed: 2 });
  const before = liveTensors().tensors;
  const net = space.build(testGenome(3));
  scrambleBatchNorm(net);
  const state = [...net.stateDict()].map(([n, t]) => [n, t.toNumbers()] as const);
  const pruned = withPruneRates(net.genome, { s2_i2: 0.5, s3_i1: 0.25 });

  const r = bnEffect(net, pruned, { recalibration, validation });

  const ref = sliceNetwork(net, pruned);
  assert.deepEqual(r.inherited, evaluateBatches(ref, validation));
  recalibrateBatchNorm(ref, recalibration);
  assert.deepEqual(r.recalibrated, evaluateBatches(ref, validation));
  ref.dispose();
  // Scrambled statistics are far from the data's: re-estimating them changes the outputs.
  assert.notEqual(r.inherited.loss, r.recalibrated.loss);
  assert.equal(r.inherited.n, 64);
  for (const [n, v] of state) assert.deepEqual(net.stateDict().get(n)?.toNumbers(), v, `${n} changed`);
  net.dispose();
  assert.equal(liveTensors().tensors, before);
});

test('spearman: rank correlation with ties', () => {
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 3, 2, 4]) - 0.9486832980505138) < 1e-12);
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
});
