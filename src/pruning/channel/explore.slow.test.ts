// The measurement of bench.ts on synthetic data (5000 training images, K = 20): exploring
// tickets must work end to end on a trained candidate; the timings are reported as diagnostics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveTensors } from '../../tensor/runtime.js';
import { benchExploration } from './bench.js';

test('exploring 20 tickets vs one 5000-image training epoch (synthetic CIFAR-sized data)', (t) => {
  const before = liveTensors().tensors;
  const r = benchExploration({ seed: 1, trainImages: 5000, proposals: 20, recalImages: 256, valImages: 512 });
  assert.equal(r.proposals, 20);
  assert.equal(r.recalImages, 256);
  assert.equal(r.valImages, 512);
  assert.ok(r.bestTop1 >= 0 && r.bestTop1 <= 1 && r.bestMMacs <= r.mmacs);
  assert.ok(r.trainEpochSeconds > 0 && r.exploreSeconds > 0);
  assert.equal(liveTensors().tensors, before);
  t.diagnostic(`candidate ${r.mmacs.toFixed(1)} MMACs, ${r.params} params; train epoch (${r.trainImages} images) ${r.trainEpochSeconds.toFixed(1)} s, ` +
    `unpruned top1 ${r.unprunedTop1.toFixed(3)}; explore ${r.proposals} proposals ${r.exploreSeconds.toFixed(1)} s ` +
    `(per proposal: slice ${r.perProposal.slice.toFixed(3)} s, recalibrate ${r.perProposal.recalibrate.toFixed(3)} s, ` +
    `evaluate ${r.perProposal.evaluate.toFixed(3)} s), best top1 ${r.bestTop1.toFixed(3)} at ${r.bestMMacs.toFixed(1)} MMACs`);
});
