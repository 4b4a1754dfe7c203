import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantileSorted, quartiles } from './stats.js';

test('quartiles match hand-computed type-7 values, with Tukey whiskers', () => {
  // sorted: 1..9, 100; n = 10
  // Q1: h = 9 * 0.25 = 2.25 -> 3 + 0.25 * (4 - 3) = 3.25
  // median: h = 4.5 -> 5.5;  Q3: h = 6.75 -> 7 + 0.75 * (8 - 7) = 7.75
  // IQR 4.5, fences -3.5 and 14.5 -> whiskers 1 and 9, outlier 100
  const q = quartiles([9, 100, 1, 5, 3, 7, 2, 8, 4, 6]);
  assert.ok(q);
  assert.equal(q.n, 10);
  assert.equal(q.q1, 3.25);
  assert.equal(q.median, 5.5);
  assert.equal(q.q3, 7.75);
  assert.equal(q.iqr, 4.5);
  assert.equal(q.lowerWhisker, 1);
  assert.equal(q.upperWhisker, 9);
  assert.deepEqual(q.outliers, [100]);
  assert.equal(q.min, 1);
  assert.equal(q.max, 100);
  assert.equal(q.mean, 14.5);
});

test('odd count and low outliers', () => {
  // sorted: -50, 10, 11, 12, 13; Q1 = 10, median 11, Q3 = 12, IQR 2, fences 7 and 15
  const q = quartiles([12, 10, -50, 13, 11]);
  assert.ok(q);
  assert.deepEqual([q.q1, q.median, q.q3], [10, 11, 12]);
  assert.equal(q.lowerWhisker, 10);
  assert.equal(q.upperWhisker, 13);
  assert.deepEqual(q.outliers, [-50]);
});

test('non-finite samples are ignored; none left gives null', () => {
  const q = quartiles([NaN, 4, Infinity, 2]);
  assert.ok(q);
  assert.equal(q.n, 2);
  assert.equal(q.median, 3);
  assert.equal(quartiles([]), null);
  assert.equal(quartiles([NaN]), null);
  const one = quartiles([7]);
  assert.deepEqual([one?.q1, one?.median, one?.q3, one?.lowerWhisker, one?.upperWhisker], [7, 7, 7, 7, 7]);
});

test('quantileSorted interpolates and clamps p', () => {
  assert.equal(quantileSorted([0, 10], 0.3), 3);
  assert.equal(quantileSorted([0, 10], 2), 10);
  assert.ok(Number.isNaN(quantileSorted([], 0.5)));
});
