import assert from 'node:assert/strict';
import { test } from 'node:test';
import { incompleteBeta, summarize, tTwoSided, welch } from './welch.js';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('Student t two-sided p-values match the tables', () => {
  // Critical values: t(0.975, df) gives p = 0.05; t(0.995, df) gives p = 0.01.
  close(tTwoSided(12.706, 1), 0.05, 1e-4, 'df 1');
  close(tTwoSided(2.776, 4), 0.05, 1e-4, 'df 4');
  close(tTwoSided(2.228, 10), 0.05, 1e-4, 'df 10');
  close(tTwoSided(3.169, 10), 0.01, 1e-4, 'df 10, 1%');
  close(tTwoSided(1.96, 1e6), 0.05, 1e-4, 'normal limit');
  close(tTwoSided(0, 5), 1, 1e-12, 't = 0');
  close(incompleteBeta(0.5, 2, 2), 0.5, 1e-12, 'symmetric beta');
});

test('Welch test on known samples (values from scipy.stats.ttest_ind(equal_var=False))', () => {
  // a = [1,2,3,4,5], b = [2,4,6,8,10]: t = -1.8974, df = 5.882, p = 0.1075.
  const r = welch([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
  assert.ok(r);
  close(r.t, -1.8973665961, 1e-8, 't');
  close(r.df, 5.8823529412, 1e-8, 'df');
  close(r.p, 0.1075312, 1e-5, 'p');
  assert.equal(welch([1], [2, 3]), null, 'one value has no spread to test against');
  assert.deepEqual(welch([1, 1], [1, 1]), { diff: 0, t: 0, df: 2, p: 1 });
  const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.ok(s);
  close(s.mean, 5, 1e-12, 'mean');
  close(s.std, Math.sqrt(32 / 7), 1e-12, 'sample std');
});
