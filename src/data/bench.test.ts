// Loader throughput; also a script: `node dist/data/bench.test.js` prints the numbers.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { benchLoader, randomImageSet } from './bench.js';
import { readCifar10 } from './cifar.js';

const REAL = '/work/shared/data/cifar-10-jpegq75-batches-bin';

test('loader throughput, batch 64 CIFAR-10, crop+flip+cutout+normalise', () => {
  const set = existsSync(REAL) ? readCifar10(REAL).train : randomImageSet(5000);
  for (const layout of ['nchw', 'nhwc'] as const) {
    const r = benchLoader({ set, layout, images: 30000 });
    console.log(`loader ${layout}: ${Math.round(r.imagesPerSec).toLocaleString('en-US')} images/s on one core ` +
      `(${r.images} images in ${r.seconds.toFixed(3)} s, batch ${r.batchSize})`);
    assert.ok(r.images >= 30000);
    // "Thousands per core" with a wide margin for busy CI machines.
    assert.ok(r.imagesPerSec > 1000, `only ${r.imagesPerSec} images/s`);
  }
});
