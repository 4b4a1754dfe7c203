// The loader benchmark's own correctness (its speed is measured by `lnas bench loader`, not here).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchLoader, randomImageSet } from './bench.js';

test('loader benchmark: pushes at least the requested images through full batches, both layouts', () => {
  const set = randomImageSet(600);
  for (const layout of ['nchw', 'nhwc'] as const) {
    const r = benchLoader({ set, layout, images: 1000, batchSize: 64 });
    assert.equal(r.layout, layout);
    assert.equal(r.batchSize, 64);
    assert.ok(r.images >= 1000 && r.images % 64 === 0, `${r.images} images`);
    assert.ok(r.seconds > 0 && Number.isFinite(r.imagesPerSec) && r.imagesPerSec > 0);
  }
});
