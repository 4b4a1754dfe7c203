// Analytic MACs and parameters against a count on the built network.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countMacs, traceMacs } from '../../nn/macs.js';
import { randn } from '../../tensor/creation.js';
import { liveTensors, manualSeed, noGrad, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { Rng } from '../../util/rng.js';
import { mobilenetConfig } from './config.js';
import { mobilenetSpace, type MobileNetSpace } from './space.js';

setNumThreads(1);

function check(space: MobileNetSpace, seed: number, n: number): void {
  manualSeed(seed);
  const rng = new Rng(seed);
  const r = space.config.resolution;
  const before = liveTensors().tensors;
  for (let i = 0; i < n; i++) {
    const g = space.sample(rng);
    const net = space.build(g).eval();
    const counted = noGrad(() => scope(() => countMacs(traceMacs(() => { net.forward(randn([1, 3, r, r])); }))));
    assert.equal(space.macs(g), counted.dense, space.describe(g));
    assert.equal(space.params(g), net.parameterCount(), space.describe(g));
    assert.equal(space.mmacs(g), counted.dense / 1e6);
    net.dispose();
  }
  assert.equal(liveTensors().tensors, before);
}

test('CIFAR-style (stride-1 stem, 16px, no feature layer): analytic = counted on random genomes', () => {
  check(mobilenetSpace(mobilenetConfig('cifar', { resolution: 16, classes: 7 })), 1, 12);
});

test('ImageNet-style (stride-2 stem, odd map sizes from 21px, a feature layer): analytic = counted', () => {
  check(mobilenetSpace(mobilenetConfig('imagenet', { resolution: 21, minFeatureSize: 1, classes: 5, featureChannels: 64 })), 2, 12);
});
