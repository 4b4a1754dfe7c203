import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../errors.js';
import { SyntheticDataset } from './synthetic.js';
import { checkImageSet, classCounts, type ImageSet } from './types.js';

/** Accuracy of nearest class-centroid (fit on train) on test: a proxy for learnability. */
function nearestCentroidAccuracy(train: ImageSet, test: ImageSet): number {
  const d = train.channels * train.height * train.width;
  const sums = Array.from({ length: train.classes }, () => new Float64Array(d));
  const counts = classCounts(train);
  for (let i = 0; i < train.n; i++) {
    const s = sums[train.labels[i] as number] as Float64Array;
    for (let j = 0; j < d; j++) s[j] = (s[j] as number) + (train.images[i * d + j] as number);
  }
  sums.forEach((s, k) => s.forEach((v, j) => (s[j] = v / Math.max(1, counts[k] as number))));
  let correct = 0;
  for (let i = 0; i < test.n; i++) {
    let best = -1;
    let bestDist = Infinity;
    sums.forEach((s, k) => {
      let dist = 0;
      for (let j = 0; j < d; j++) dist += ((test.images[i * d + j] as number) - (s[j] as number)) ** 2;
      if (dist < bestDist) { bestDist = dist; best = k; }
    });
    if (best === test.labels[i]) correct++;
  }
  return correct / test.n;
}

describe('SyntheticDataset', () => {
  test('consistent shapes, balanced classes, plausible stats', () => {
    const ds = new SyntheticDataset({ trainSize: 300, testSize: 100 });
    checkImageSet(ds.train, 'train');
    checkImageSet(ds.test, 'test');
    assert.deepEqual(classCounts(ds.train), new Array(10).fill(30));
    assert.equal(ds.mean.length, 3);
    for (const m of ds.mean) assert.ok(m > 0.2 && m < 0.8, `mean ${m}`);
    for (const s of ds.std) assert.ok(s > 0.05 && s < 0.5, `std ${s}`);
  });

  test('same seed, same data; different seed, different data', () => {
    const a = new SyntheticDataset({ trainSize: 50, testSize: 10, seed: 7 });
    const b = new SyntheticDataset({ trainSize: 50, testSize: 10, seed: 7 });
    const c = new SyntheticDataset({ trainSize: 50, testSize: 10, seed: 8 });
    assert.deepEqual(a.train.images, b.train.images);
    assert.deepEqual(a.test.labels, b.test.labels);
    assert.notDeepEqual(a.train.images, c.train.images);
  });

  test('learnable: nearest-centroid is far above chance, but not perfect with heavy noise', () => {
    const ds = new SyntheticDataset({ trainSize: 500, testSize: 200, seed: 1 });
    const acc = nearestCentroidAccuracy(ds.train, ds.test);
    assert.ok(acc > 0.9, `accuracy ${acc}`);
    const noisy = new SyntheticDataset({ trainSize: 500, testSize: 200, seed: 1, noise: 400, maxShift: 4 });
    const accNoisy = nearestCentroidAccuracy(noisy.train, noisy.test);
    assert.ok(accNoisy < acc, `noisy ${accNoisy} vs ${acc}`);
  });

  test('other shapes, and bad options are ConfigErrors', () => {
    const ds = new SyntheticDataset({ trainSize: 20, testSize: 4, channels: 1, height: 28, width: 28, classes: 4 });
    assert.equal(ds.train.images.length, 20 * 784);
    assert.ok(Math.max(...ds.train.labels) === 3);
    assert.throws(() => new SyntheticDataset({ classes: 0 }), ConfigError);
    assert.throws(() => new SyntheticDataset({ height: 2.5 }), ConfigError);
  });
});
