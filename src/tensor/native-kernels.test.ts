// The kernels of native/kernels.cc. lnas::pool3x3, the search spaces' 3×3 pools: its direct channels_last
// kernel (no gradient wanted) against aten's max_pool2d / avg_pool2d on odd sizes, both strides,
// NaN and ±inf, and the fallback to aten where a gradient is wanted or the layout is NCHW; and
// lnas::batch_norm_eval (batch norm with running statistics) against aten's batch_norm.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randn, tensor } from './creation.js';
import * as F from './functional.js';
import { noGrad } from './runtime.js';
import { scope } from './scope.js';
import { callT, type Tensor } from './tensor.js';

const aten = (x: Tensor, max: boolean, stride: number, countIncludePad: boolean): Tensor => max
  ? callT('aten::max_pool2d', [x, [3, 3], [stride, stride], [1, 1], [1, 1], false])
  : callT('aten::avg_pool2d', [x, [3, 3], [stride, stride], [1, 1], false, countIncludePad, null]);

const SHAPES: [number, number, number, number][] = [[1, 1, 1, 1], [2, 3, 5, 7], [1, 5, 2, 9], [3, 16, 16, 16], [2, 8, 32, 32], [2, 64, 8, 8], [1, 7, 3, 2]];

test('pool3x3: max equals aten exactly, avg within float rounding, every shape and stride (channels_last, no grad)', () => noGrad(() => scope(() => {
  for (const [n, c, h, w] of SHAPES) {
    for (const stride of [1, 2]) {
      const x = randn([n, c, h, w]).contiguous('channelsLast');
      for (const [max, cip] of [[true, false], [false, false], [false, true]] as const) {
        const got = max ? F.maxPool2d(x, 3, { stride, padding: 1 }) : F.avgPool2d(x, 3, { stride, padding: 1, countIncludePad: cip });
        const want = aten(x, max, stride, cip);
        assert.deepEqual(got.shape, want.shape);
        assert.ok(got.isContiguous('channelsLast'), 'the output keeps channels_last');
        const [a, b] = [got.toArray(), want.toArray()];
        for (let i = 0; i < a.length; i++) {
          const tol = max ? 0 : 1e-6 * (1 + Math.abs(Number(b[i])));
          assert.ok(Math.abs(Number(a[i]) - Number(b[i])) <= tol, `${max ? 'max' : `avg(cip=${cip})`} [${n},${c},${h},${w}] s${stride} at ${i}: ${a[i]} vs ${b[i]}`);
        }
      }
    }
  }
})));

test('pool3x3: NaN wins and ±inf pass through, as in aten', () => noGrad(() => scope(() => {
  const v = [1, NaN, -3, Infinity, 5, -Infinity, 0, 2, NaN, -1, 4, 6, -Infinity, 8, 9, -2];
  const x = tensor(v, [1, 1, 4, 4]);
  for (const stride of [1, 2]) {
    const want = aten(x, true, stride, false).toNumbers();
    const got = F.maxPool2d(x.contiguous('channelsLast'), 3, { stride, padding: 1 }).toNumbers();
    assert.deepEqual(got, want);
    assert.ok(got.some(Number.isNaN));
  }
  const allInf = tensor([-Infinity, -Infinity, -Infinity, -Infinity], [1, 1, 2, 2]).contiguous('channelsLast');
  assert.deepEqual(F.maxPool2d(allInf, 3, { stride: 1, padding: 1 }).toNumbers(), [-Infinity, -Infinity, -Infinity, -Infinity]);
})));

test('pool3x3: with a gradient wanted it is aten\'s op, gradient included; NCHW input goes to aten too', () => scope(() => {
  for (const max of [true, false]) {
    const x0 = randn([2, 4, 6, 6]).contiguous('channelsLast');
    const x1 = x0.detach().requiresGrad_();
    const x2 = x0.detach().requiresGrad_();
    const y1 = max ? F.maxPool2d(x1, 3, { stride: 1, padding: 1 }) : F.avgPool2d(x1, 3, { stride: 1, padding: 1, countIncludePad: false });
    assert.ok(y1.requiresGrad, 'the output carries a gradient');
    y1.sum().backward();
    aten(x2, max, 1, false).sum().backward();
    assert.deepEqual((x1.grad as Tensor).toNumbers(), (x2.grad as Tensor).toNumbers());
  }
  noGrad(() => {
    const x = randn([2, 3, 5, 5]);
    assert.deepEqual(F.avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false }).toNumbers(), aten(x, false, 1, false).toNumbers());
  });
}));

test('batch_norm_eval: running statistics, with and without affine parameters, equal to aten within float rounding', () => noGrad(() => scope(() => {
  for (const [n, c, h, w] of [[2, 3, 5, 7], [4, 8, 32, 32], [1, 64, 3, 3], [3, 5, 1, 1]] as const) {
    const x = randn([n, c, h, w]).contiguous('channelsLast');
    const mean = randn([c]);
    const vr = randn([c]).abs().add(0.1);
    for (const affine of [false, true]) {
      const weight = affine ? randn([c]) : null;
      const bias = affine ? randn([c]) : null;
      const got = F.batchNorm(x, { weight, bias, runningMean: mean, runningVar: vr, training: false, eps: 1e-3 });
      const want = callT('aten::batch_norm', [x, weight, bias, mean, vr, false, 0.1, 1e-3, true]);
      assert.ok(got.isContiguous('channelsLast'));
      const [a, b] = [got.contiguous().toNumbers(), want.contiguous().toNumbers()];
      a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) <= 1e-6 * (1 + Math.abs(b[i] as number)), `[${n},${c},${h},${w}] affine=${affine} at ${i}: ${v} vs ${b[i]}`));
    }
  }
})));

test('batch_norm_eval: with a gradient wanted it is aten\'s op (gradients for x, weight and bias)', () => scope(() => {
  const x0 = randn([2, 4, 3, 3]).contiguous('channelsLast');
  const mean = randn([4]);
  const vr = randn([4]).abs().add(0.1);
  const grads = [0, 1].map(() => {
    const x = x0.detach().requiresGrad_();
    const weight = randn([4]).mul(0).add(1.5).requiresGrad_();
    const bias = randn([4]).mul(0).requiresGrad_();
    F.batchNorm(x, { weight, bias, runningMean: mean, runningVar: vr, training: false }).pow(2).sum().backward();
    return [x, weight, bias].map((t) => (t.grad as Tensor).toNumbers());
  });
  const x = x0.detach().requiresGrad_();
  const weight = randn([4]).mul(0).add(1.5).requiresGrad_();
  const bias = randn([4]).mul(0).requiresGrad_();
  callT('aten::batch_norm', [x, weight, bias, mean, vr, false, 0.1, 1e-5, true]).pow(2).sum().backward();
  const want = [x, weight, bias].map((t) => (t.grad as Tensor).toNumbers());
  assert.deepEqual(grads[0], want);
  assert.deepEqual(grads[1], want);
}));
