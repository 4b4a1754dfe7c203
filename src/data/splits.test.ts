import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../errors.js';
import { dartsSplit, holdoutSplit, subset } from './splits.js';
import { SyntheticDataset } from './synthetic.js';

function assertPartition(a: Int32Array, b: Int32Array, n: number): void {
  const seen = new Uint8Array(n);
  for (const i of [...a, ...b]) seen[i] = (seen[i] as number) + 1;
  assert.ok(seen.every((v) => v === 1), 'every index exactly once');
}

describe('splits', () => {
  test('DARTS split: halves of a seeded permutation, deterministic', () => {
    const s = dartsSplit(1000, 2);
    assert.equal(s.train.length, 500);
    assert.equal(s.val.length, 500);
    assertPartition(s.train, s.val, 1000);
    assert.deepEqual(dartsSplit(1000, 2), s);
    assert.notDeepEqual(dartsSplit(1000, 3).train, s.train);
    // Shuffled, not the first half.
    assert.ok(s.train.some((i) => i >= 500));
  });

  test('DARTS split: ordered mode and portion', () => {
    const s = dartsSplit(10, 0, { mode: 'ordered', portion: 0.7 });
    assert.deepEqual([...s.train], [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...s.val], [7, 8, 9]);
    assert.throws(() => dartsSplit(10, 0, { portion: 1 }), ConfigError);
    assert.throws(() => dartsSplit(1, 0), ConfigError);
  });

  test('held-out validation split', () => {
    const s = holdoutSplit(1000, 100, 5);
    assert.equal(s.val.length, 100);
    assert.equal(s.train.length, 900);
    assertPartition(s.train, s.val, 1000);
    assert.deepEqual(holdoutSplit(1000, 100, 5), s);
    assert.ok(s.val.some((i) => i > 500), 'random, not a prefix');
    assert.equal(holdoutSplit(10, 0, 1).val.length, 0);
    assert.throws(() => holdoutSplit(10, 10, 1), ConfigError);
    assert.throws(() => holdoutSplit(10, -1, 1), ConfigError);
  });

  test('subset copies the selected images', () => {
    const ds = new SyntheticDataset({ trainSize: 10, testSize: 1, height: 4, width: 4 });
    const sub = subset(ds.train, [7, 2]);
    assert.equal(sub.n, 2);
    assert.deepEqual(sub.images.subarray(0, 48), ds.train.images.subarray(7 * 48, 8 * 48));
    assert.equal(sub.labels[1], ds.train.labels[2]);
    assert.throws(() => subset(ds.train, [10]), RangeError);
  });
});
