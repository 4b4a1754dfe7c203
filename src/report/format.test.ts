import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimalsFor, fmt, formatFixed, formatNumber, formatSi } from './format.js';

test('decimalsFor finds the decimals a step needs', () => {
  assert.equal(decimalsFor(1), 0);
  assert.equal(decimalsFor(20), 0);
  assert.equal(decimalsFor(0.5), 1);
  assert.equal(decimalsFor(0.25), 2);
  assert.equal(decimalsFor(0.1 + 0.2), 1);
  assert.equal(decimalsFor(0.002), 3);
});

test('no negative zero, no NaN text', () => {
  assert.equal(formatFixed(-0.0001, 2), '0.00');
  assert.equal(formatFixed(NaN, 2), '');
  assert.equal(formatNumber(NaN), '');
  assert.equal(formatNumber(-Infinity), '-inf');
  assert.equal(formatNumber(0.1 + 0.2), '0.3');
  assert.equal(formatNumber(12), '12');
});

test('SI formatting', () => {
  assert.equal(formatSi(3_300_000), '3.3M');
  assert.equal(formatSi(1500), '1.5k');
  assert.equal(formatSi(999), '999');
  assert.equal(formatSi(0.5), '0.5');
  assert.equal(formatSi(-2_000_000_000), '-2G');
});

test('column formatters', () => {
  const row = {};
  assert.equal(fmt.fixed(2)(3.14159, row), '3.14');
  assert.equal(fmt.fixed(2)(null, row), '');
  assert.equal(fmt.fixed(2)('n/a', row), 'n/a');
  assert.equal(fmt.percent(1)(0.9712, row), '97.1%');
  assert.equal(fmt.percent(2, 1)(2.76, row), '2.76%');
  assert.equal(fmt.int()(1234567.4, row), '1,234,567');
  assert.equal(fmt.si()(3_312_000, row), '3.31M');
  assert.equal(fmt.meanStd(2)({ mean: 97.123, std: 0.084 }, row), '97.12 ± 0.08');
  // sample std of [1, 2, 3] is 1
  assert.equal(fmt.meanStd(1)([1, 2, 3], row), '2.0 ± 1.0');
  assert.equal(fmt.meanStd(1)([5], row), '5.0');
  assert.equal(fmt.meanStd(1)([], row), '');
});
