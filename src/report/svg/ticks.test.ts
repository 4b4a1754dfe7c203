import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logTicks, niceStep, niceTicks, tickFormatter, ticksWithin } from './ticks.js';

test('nice steps are 1, 2, 2.5 or 5 times a power of ten', () => {
  assert.equal(niceStep(10, 5), 2);
  assert.equal(niceStep(1, 5), 0.2);
  assert.equal(niceStep(0.045, 5), 0.01);
  assert.equal(niceStep(12, 5), 2.5);
  assert.equal(niceStep(100, 5), 20);
  assert.equal(niceStep(300, 5), 100);
});

test('ticks cover the data with nice, exact values', () => {
  assert.deepEqual(niceTicks(0, 10).values, [0, 2, 4, 6, 8, 10]);
  const acc = niceTicks(0.931, 0.974);
  assert.deepEqual(acc.values, [0.93, 0.94, 0.95, 0.96, 0.97, 0.98]);
  assert.equal(acc.min, 0.93);
  assert.equal(acc.max, 0.98);
  // float noise must not leak into tick values (0.1 * 3 = 0.30000000000000004)
  assert.deepEqual(niceTicks(0.1, 0.5, 4).values, [0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.deepEqual(niceTicks(-3, 7).values, [-4, -2, 0, 2, 4, 6, 8]);
});

test('degenerate ranges still give a usable axis', () => {
  const flat = niceTicks(5, 5);
  assert.ok(flat.min < 5 && flat.max > 5);
  assert.ok(flat.values.length >= 2);
  const empty = niceTicks(Infinity, -Infinity);
  assert.deepEqual([empty.min, empty.max], [0, 1]);
  const nan = niceTicks(NaN, NaN);
  assert.ok(nan.values.every(Number.isFinite));
  assert.deepEqual(niceTicks(10, 0).values, niceTicks(0, 10).values);
});

test('fixed limits are kept exactly', () => {
  const t = ticksWithin(0.05, 0.95, 5);
  assert.equal(t.min, 0.05);
  assert.equal(t.max, 0.95);
  assert.deepEqual(t.values, [0.2, 0.4, 0.6, 0.8]);
});

test('log ticks: decades, with 2x and 5x for short ranges, range widened to 1/2/5', () => {
  assert.deepEqual(logTicks(1.5e5, 8e7).values, [1e5, 1e6, 1e7, 1e8]);
  assert.deepEqual(logTicks(1.5e5, 8e6).values, [1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7]);
  assert.deepEqual(logTicks(2, 30).values, [2, 5, 10, 20, 50]);
  // 1e5..1.8e8 is not stretched to 1e9
  const t = logTicks(1.02e5, 1.8e8);
  assert.deepEqual([t.min, t.max], [1e5, 2e8]);
  assert.deepEqual(t.values, [1e5, 1e6, 1e7, 1e8]);
  assert.deepEqual(logTicks(3e4, 4e4).values, [2e4, 5e4]);
  const wide = logTicks(1, 1e20);
  assert.ok(wide.values.length <= 11 && wide.values.length >= 5);
  assert.ok(wide.values.every((v) => Number.isInteger(Math.log10(v))));
  assert.deepEqual(logTicks(-1, 0).values, [1, 2, 5, 10]);
  assert.deepEqual(logTicks(5, 5).values.length > 0, true);
});

test('tick labels share decimals and use SI for large values', () => {
  const f = tickFormatter(niceTicks(0, 1, 4), false);
  assert.deepEqual([0, 0.25, 0.5].map(f), ['0.00', '0.25', '0.50']);
  const big = niceTicks(0, 1e5, 4);
  assert.deepEqual(big.values.map(tickFormatter(big, false)), ['0', '25k', '50k', '75k', '100k']);
  assert.equal(tickFormatter(logTicks(1e5, 1e7), true)(1e6), '1M');
  assert.equal(tickFormatter(niceTicks(0, 0.0004), false)(0.0002), '2.0e-4');
});
