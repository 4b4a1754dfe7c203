// Hand-computed values for the ops whose semantics matter most: conv (dilation, groups),
// batch norm (train and eval, running stats), pooling and cross entropy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, ones, tensor, zeros } from './creation.js';
import * as F from './functional.js';
import { scope } from './scope.js';

const close = (actual: ArrayLike<number | bigint>, expected: number[], tol = 1e-5) => {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(Number(actual[i]) - e) < tol, `index ${i}: ${actual[i]} vs ${e}`));
};

test('conv2d: plain 2x2 kernel', () => scope(() => {
  const x = arange(1, 10, 1, { dtype: 'float32' }).reshape([1, 1, 3, 3]);
  const w = tensor([1, 0, 0, -1], [1, 1, 2, 2]);
  close(F.conv2d(x, w).toArray(), [-4, -4, -4, -4]);
}));

test('conv2d: dilation 2 samples every other pixel', () => scope(() => {
  const x = arange(0, 25, 1, { dtype: 'float32' }).reshape([1, 1, 5, 5]);
  const y = F.conv2d(x, ones([1, 1, 3, 3]), null, { dilation: 2 });
  assert.deepEqual(y.shape, [1, 1, 1, 1]);
  close(y.toArray(), [0 + 2 + 4 + 10 + 12 + 14 + 20 + 22 + 24]);
}));

test('conv2d: groups keep channels apart', () => scope(() => {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
  const w = tensor([2, 3], [2, 1, 1, 1]);
  close(F.conv2d(x, w, null, { groups: 2 }).toArray(), [2, 4, 6, 8, 15, 18, 21, 24]);
}));

test('conv2d: channels_last input gives the same values', () => scope(() => {
  const x = arange(0, 2 * 3 * 4 * 4, 1, { dtype: 'float32' }).reshape([2, 3, 4, 4]).div(10);
  const w = arange(0, 5 * 3 * 3 * 3, 1, { dtype: 'float32' }).reshape([5, 3, 3, 3]).div(50);
  const a = F.conv2d(x, w, null, { padding: 1 });
  const b = F.conv2d(x.contiguous('channelsLast'), w.contiguous('channelsLast'), null, { padding: 1 });
  assert.ok(b.isContiguous('channelsLast'));
  close(b.contiguous().toArray(), Array.from(a.toArray(), Number), 1e-4);
}));

test('batch norm (train): batch statistics and running-stat update', () => scope(() => {
  const x = tensor([1, 2, 3, 4], [4, 1, 1, 1]);
  const mean = zeros([1]);
  const v = ones([1]);
  const y = F.batchNorm(x, { runningMean: mean, runningVar: v, training: true, momentum: 0.1 });
  const sd = Math.sqrt(1.25 + 1e-5);
  close(y.toArray(), [-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd]);
  close(mean.toArray(), [0.25]);
  close(v.toArray(), [0.9 + 0.1 * (5 / 3)]); // running variance uses the unbiased estimate
}));

test('batch norm (eval): running statistics, affine', () => scope(() => {
  const x = tensor([3, -1], [2, 1, 1, 1]);
  const y = F.batchNorm(x, { runningMean: tensor([1]), runningVar: tensor([4]), weight: tensor([2]), bias: tensor([0.5]), training: false });
  close(y.toArray(), [(2 / Math.sqrt(4 + 1e-5)) * 2 + 0.5, (-2 / Math.sqrt(4 + 1e-5)) * 2 + 0.5]);
}));

test('pooling: max, avg with and without padded zeros, adaptive', () => scope(() => {
  const x = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
  close(F.maxPool2d(x, 2).toArray(), [4]);
  close(F.avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false }).toArray(), [2.5, 2.5, 2.5, 2.5]);
  close(F.avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: true }).toArray(), [10 / 9, 10 / 9, 10 / 9, 10 / 9]);
  close(F.maxPool2d(x, 3, { stride: 1, padding: 1 }).toArray(), [4, 4, 4, 4]);
  close(F.adaptiveAvgPool2d(x, 1).toArray(), [2.5]);
}));

test('cross entropy: plain and with label smoothing', () => scope(() => {
  const logits = tensor([0, Math.log(2), 0], [1, 3]);
  const target = tensor([1], [1], { dtype: 'int64' });
  close(F.crossEntropy(logits, target).toArray(), [Math.log(2)]);
  const smoothed = 0.7 * Math.log(2) + 0.1 * (2 * Math.log(4) + Math.log(2));
  close(F.crossEntropy(logits, target, { labelSmoothing: 0.3 }).toArray(), [smoothed]);
}));

test('top-k accuracy counts', () => scope(() => {
  const logits = tensor([0.1, 0.5, 0.4, 0.9, 0.05, 0.05], [2, 3]);
  const target = tensor([2, 1], [2], { dtype: 'int64' });
  assert.deepEqual(F.correctTopK(logits, target, [1, 2]), [0, 2]);
}));
