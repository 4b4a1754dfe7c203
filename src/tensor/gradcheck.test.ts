// Every differentiable op (op-cases.ts) checked against central finite differences in float64.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randn } from './creation.js';
import { gradCheck } from './gradcheck.js';
import { opCases } from './op-cases.js';
import { manualSeed } from './runtime.js';
import { scope } from './scope.js';

const cases = opCases('float64');
const r = (...shape: number[]) => randn(shape, { dtype: 'float64' });

for (const [name, fn, make] of cases) {
  test(`gradcheck: ${name}`, () => {
    manualSeed(7);
    scope(() => {
      const result = gradCheck(fn, make());
      assert.ok(result.checked > 0);
      assert.ok(result.maxRelError < 1e-5, `${name}: max relative error ${result.maxRelError} (abs ${result.maxAbsError})`);
    });
  });
}

test('gradcheck detects a wrong gradient', () => {
  // detach() cuts the graph for half of the expression: the check must notice.
  scope(() => {
    const result = gradCheck((a) => a.mul(a.detach()), [r(3)]);
    assert.ok(result.maxRelError > 0.1);
  });
});
