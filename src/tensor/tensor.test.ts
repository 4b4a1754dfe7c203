import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LnasError } from '../errors.js';
import { randn, tensor, zeros } from './creation.js';
import * as F from './functional.js';
import { liveTensors, manualSeed, noGrad, isGradEnabled } from './runtime.js';
import { scope } from './scope.js';
import { Tensor, call } from './tensor.js';

test('round trip through typed arrays keeps dtype and values', () => scope(() => {
  const f = tensor(Float32Array.of(1.5, -2, 3), [3]);
  assert.equal(f.dtype, 'float32');
  assert.deepEqual(f.toNumbers(), [1.5, -2, 3]);
  const l = tensor([1, 2, 3, 4], [2, 2], { dtype: 'int64' });
  assert.equal(l.dtype, 'int64');
  assert.deepEqual(l.toNumbers(), [1, 2, 3, 4]);
  const b = tensor([true, false], [2]);
  assert.equal(b.dtype, 'bool');
  assert.equal(tensor([2.5], [1], { dtype: 'float64' }).dtype, 'float64');
}));

test('a bad op call is a typed error naming the op and the shapes, and the process survives', () => scope(() => {
  const x = randn([2, 3, 8, 8]);
  const w = randn([4, 5, 3, 3]);
  assert.throws(() => F.conv2d(x, w), (e: unknown) => {
    assert.ok(e instanceof LnasError);
    assert.equal(e.code, 'LNAS_TORCH');
    assert.match(e.message, /aten::conv2d\(Tensor\[2,3,8,8\] Float, Tensor\[4,5,3,3\] Float/);
    assert.match(e.message, /expected input\[2, 3, 8, 8\] to have 5 channels/);
    return true;
  });
  assert.throws(() => call('aten::no_such_op', []), { code: 'LNAS_UNKNOWN_OP' });
  assert.throws(() => tensor([1, 2, 3], [2, 2]), { code: 'LNAS_SHAPE' });
  assert.equal(F.relu(x).shape.length, 4); // still alive
}));

test('use after dispose is a typed error', () => {
  const t = zeros([2]);
  t.dispose();
  assert.throws(() => t.add(1), { code: 'LNAS_DISPOSED' });
  t.dispose(); // idempotent
});

test('scope frees what it does not return, keeps what is returned or kept', () => {
  const before = liveTensors().tensors;
  let kept: Tensor | undefined;
  const out = scope(() => {
    const a = randn([4]);
    const b = a.mul(2);
    kept = a.add(1).keep();
    return { result: b.sum(), nested: [b] };
  });
  assert.equal(liveTensors().tensors, before + 3);
  assert.ok(!out.result.isDisposed && !out.nested[0]!.isDisposed && !kept!.isDisposed);
  out.result.dispose(); out.nested[0]!.dispose(); kept!.dispose();
  assert.equal(liveTensors().tensors, before);
});

test('scope frees everything when the callback throws', () => {
  const before = liveTensors().tensors;
  assert.throws(() => scope(() => { randn([3]).mul(2); throw new Error('boom'); }), /boom/);
  assert.equal(liveTensors().tensors, before);
});

test('returned tensors move to the enclosing scope', () => {
  const before = liveTensors().tensors;
  scope(() => {
    const inner = scope(() => randn([2]).mul(3));
    assert.ok(!inner.isDisposed);
  });
  assert.equal(liveTensors().tensors, before);
});

test('noGrad disables recording and restores the mode', () => scope(() => {
  const w = randn([3]).requiresGrad_();
  const y = noGrad(() => w.mul(2));
  assert.equal(y.requiresGrad, false);
  assert.equal(isGradEnabled(), true);
  assert.equal(w.mul(2).requiresGrad, true);
}));

test('manualSeed makes libtorch sampling reproducible', () => scope(() => {
  manualSeed(123);
  const a = randn([5]).toNumbers();
  manualSeed(123);
  const b = randn([5]).toNumbers();
  manualSeed(124);
  const c = randn([5]).toNumbers();
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
}));

test('backward accumulates into grad; grad can be cleared', () => scope(() => {
  const w = tensor([1, 2, 3], [3]).requiresGrad_();
  w.mul(w).sum().backward();
  assert.deepEqual(w.grad!.toNumbers(), [2, 4, 6]);
  w.mul(w).sum().backward();
  assert.deepEqual(w.grad!.toNumbers(), [4, 8, 12]);
  w.grad = null;
  assert.equal(w.grad, null);
}));

test('topk, sort, argmax, comparisons', () => scope(() => {
  const t = tensor([3, 1, 2], [3]);
  const [v, i] = t.topk(2);
  assert.deepEqual(v.toNumbers(), [3, 2]);
  assert.deepEqual(i.toNumbers(), [0, 2]);
  assert.deepEqual(t.sort()[0].toNumbers(), [1, 2, 3]);
  assert.equal(t.argmax().item(), 0);
  assert.deepEqual(t.gt(1.5).toNumbers(), [1, 0, 1]);
}));
