import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../errors.js';
import { Batcher, type Batch, type BatcherOptions, type BatcherState } from './batcher.js';
import { SyntheticDataset } from './synthetic.js';

const ds = new SyntheticDataset({ trainSize: 103, testSize: 10, height: 8, width: 8, seed: 4 });
const per = 3 * 64;
const base: BatcherOptions = { batchSize: 10, mean: ds.mean, std: ds.std, seed: 11, augment: { padding: 2, flip: true, cutout: 4 } };

function take(b: Batcher, k: number): Batch[] {
  return Array.from({ length: k }, () => b.next());
}

describe('Batcher', () => {
  test('an epoch visits every selected image once, with a short last batch', () => {
    const b = new Batcher(ds.train, base);
    assert.equal(b.batchesPerEpoch, 11);
    const batches = [...b];
    assert.equal(batches.length, 11);
    assert.deepEqual(batches.map((x) => x.size), [...new Array(10).fill(10), 3]);
    const seen = batches.flatMap((x) => [...x.indices]).sort((p, q) => p - q);
    assert.deepEqual(seen, Array.from({ length: 103 }, (_, i) => i));
    const last = batches[10]!;
    assert.equal(last.x.length, 3 * per);
    assert.deepEqual([...last.y], [...last.indices].map((i) => ds.train.labels[i]));
  });

  test('index subsets, drop-last, no shuffle', () => {
    const idx = [5, 9, 2, 40, 41, 42, 43];
    const b = new Batcher(ds.train, { ...base, batchSize: 3, indices: idx, dropLast: true, shuffle: false, augment: null });
    assert.equal(b.batchesPerEpoch, 2);
    const e = [...b];
    assert.deepEqual(e.map((x) => [...x.indices]), [[5, 9, 2], [40, 41, 42]]);
    // Without augmentation, pixels are just normalised.
    const v = ds.train.images[9 * per] as number;
    assert.ok(Math.abs((e[0]!.x[per] as number) - (v / 255 - (ds.mean[0] as number)) / (ds.std[0] as number)) < 1e-5);
    assert.throws(() => new Batcher(ds.train, { ...base, batchSize: 8, indices: idx, dropLast: true }), ConfigError);
    assert.throws(() => new Batcher(ds.train, { ...base, indices: [103] }), RangeError);
  });

  test('seeded: same seed same batches, new order each epoch', () => {
    const a = new Batcher(ds.train, base);
    const b = new Batcher(ds.train, base);
    const ea = [...a];
    assert.deepEqual([...b].map((x) => x.x), ea.map((x) => x.x));
    const next = [...a];
    assert.equal(a.epoch, 1);
    assert.notDeepEqual(next[0]!.indices, ea[0]!.indices);
    const c = new Batcher(ds.train, { ...base, seed: 12 });
    assert.notDeepEqual(c.next().indices, ea[0]!.indices);
  });

  test('state/restore mid-epoch continues with exactly the same batches', () => {
    const ref = new Batcher(ds.train, base);
    take(ref, 14); // into epoch 1
    const saved: BatcherState = JSON.parse(JSON.stringify(ref.state()));
    assert.equal(saved.epoch, 1);
    assert.equal(saved.cursor, 3);
    const expected = take(ref, 15); // crosses into epoch 2
    const resumed = new Batcher(ds.train, base);
    resumed.restore(saved);
    assert.equal(resumed.epoch, 1);
    assert.equal(resumed.position, 3);
    const got = take(resumed, 15);
    assert.deepEqual(got.map((x) => [...x.indices]), expected.map((x) => [...x.indices]));
    assert.deepEqual(got.map((x) => x.x), expected.map((x) => x.x));
  });

  test('restore at an epoch boundary and the rest-of-epoch iterator', () => {
    const ref = new Batcher(ds.train, base);
    [...ref];
    const saved = ref.state();
    assert.equal(saved.cursor, 11);
    const expected = [...ref];
    const resumed = new Batcher(ds.train, base);
    resumed.restore(saved);
    assert.deepEqual([...resumed].map((x) => x.x), expected.map((x) => x.x));

    const part = new Batcher(ds.train, base);
    take(part, 4);
    assert.equal([...part].length, 7, 'iterating finishes the current epoch only');
  });

  test('a state from another configuration is refused', () => {
    const s = new Batcher(ds.train, base).state();
    assert.throws(() => new Batcher(ds.train, { ...base, batchSize: 20 }).restore(s), /same data split and batch size/);
    assert.throws(() => new Batcher(ds.train, { ...base, indices: [1, 2, 3] }).restore(s), ConfigError);
  });

  test('NHWC output is the NCHW output transposed', () => {
    const a = new Batcher(ds.train, base).next();
    const b = new Batcher(ds.train, { ...base, layout: 'nhwc' }).next();
    for (let n = 0; n < a.size; n++) {
      for (let c = 0; c < 3; c++) {
        for (let p = 0; p < 64; p++) assert.equal(b.x[n * per + p * 3 + c], a.x[n * per + c * 64 + p]);
      }
    }
  });

  test('reused buffers hold the same values', () => {
    const fresh = take(new Batcher(ds.train, base), 11).map((x) => Array.from(x.x));
    const reuse = new Batcher(ds.train, { ...base, reuseBuffers: true });
    const first = reuse.next();
    assert.deepEqual(Array.from(first.x), fresh[0]);
    for (let i = 1; i < 11; i++) assert.deepEqual(Array.from(reuse.next().x), fresh[i]);
    assert.notDeepEqual(Array.from(first.x.subarray(0, 10)), fresh[0]!.slice(0, 10), 'buffer was overwritten');
  });
});
