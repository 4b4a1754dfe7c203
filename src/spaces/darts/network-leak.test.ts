import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SGD } from '../../optim/sgd.js';
import { randint, randn } from '../../tensor/creation.js';
import { heapStats, liveTensors, manualSeed, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { trainStep } from '../../train/loop.js';
import { DARTS_V2 } from './genotypes.js';
import { GenotypeNetwork } from './network.js';

setNumThreads(1);

// Regression: every tensor handle used to stay allocated until the event loop turned (Node-API
// deferred finalizers), so a synchronous epoch grew the C heap by ~0.14 MB per DARTS step and
// fragmented it into gigabytes. The check is on glibc's bytes in use, not RSS, so it is exact.
test('no leak: a GenotypeNetwork training loop (drop-path, auxiliary head, clip) keeps tensors and C heap flat', () => {
  manualSeed(0);
  const net = new GenotypeNetwork(DARTS_V2, { channels: 4, layers: 3, classes: 10, auxiliary: true, dropPath: 0.2 }).toMemoryFormat('channelsLast');
  const opt = new SGD(net.parameters(), { lr: 0.01, momentum: 0.9, weightDecay: 3e-4 });
  net.train();
  const step = () => scope(() => {
    const x = randn([4, 3, 32, 32]).contiguous('channelsLast');
    trainStep(net, opt, x, randint(0, 10, [4]), { clip: 5, labelSmoothing: 0, auxWeight: 0.4 });
  });
  for (let i = 0; i < 50; i++) step();
  const live = liveTensors().tensors;
  const before = heapStats().inUse;
  for (let i = 0; i < 300; i++) step();
  assert.equal(liveTensors().tensors, live);
  const grownMb = (heapStats().inUse - before) / 1e6;
  assert.ok(grownMb < 2, `C heap in use grew by ${grownMb.toFixed(1)} MB over 300 steps`);
  opt.disposeState(); net.dispose();
});
