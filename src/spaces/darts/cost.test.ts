import assert from 'node:assert/strict';
import { test } from 'node:test';
import { macsOf } from '../../nn/macs.js';
import { manualSeed, setNumThreads } from '../../tensor/runtime.js';
import { Rng } from '../../util/rng.js';
import { genotypeCost } from './cost.js';
import { DARTS_V1, DARTS_V2 } from './genotypes.js';
import { deriveGenotype } from './derive.js';
import { GenotypeNetwork } from './network.js';

setNumThreads(1);

test('analytic MACs and parameters equal the count on the built model (named and random genotypes)', () => {
  manualSeed(0);
  const rng = new Rng(11);
  const random = () => Array.from({ length: 14 }, () => Array.from({ length: 8 }, () => rng.normal()));
  const genotypes = [DARTS_V1, DARTS_V2, ...Array.from({ length: 4 }, () => deriveGenotype({ alphaNormal: random(), alphaReduce: random() }))];
  for (const g of genotypes) {
    for (const o of [{ channels: 4, layers: 5, classes: 10, auxiliary: false }, { channels: 6, layers: 8, classes: 7, auxiliary: true }]) {
      const net = new GenotypeNetwork(g, o);
      const counted = macsOf(net, { channels: 3, height: 32, width: 32 }, false);
      const analytic = genotypeCost(g, o);
      assert.equal(analytic.macs, counted.dense);
      assert.equal(counted.effective, counted.dense, 'a dense network has no zero weights');
      assert.equal(analytic.params, net.parameterCount());
      net.dispose();
    }
  }
});
