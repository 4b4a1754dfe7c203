import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataError } from '../errors.js';
import { Linear } from '../nn/layers.js';
import { saveSafetensors } from '../nn/safetensors.js';
import { randn, tensor } from '../tensor/creation.js';
import { liveTensors, manualSeed, noGrad, setNumThreads } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { MASK_FORMAT, Mask } from './mask.js';
import { bits, param, tinyNet } from './testing.js';

setNumThreads(1);
const tmp = () => mkdtempSync(join(tmpdir(), 'lnas-mask-'));

test('Mask.ones covers conv and linear weights only; counts and sparsity', () => {
  const base = liveTensors().tensors;
  manualSeed(1);
  const m = tinyNet();
  const mask = Mask.ones(m);
  assert.deepEqual(mask.names(), ['0.weight', '5.weight']);
  assert.equal(mask.total(), 108 + 12);
  assert.equal(mask.kept(), 120);
  assert.equal(mask.sparsity(), 0);
  const custom = Mask.ones(m, (name) => name.endsWith('bias'));
  assert.deepEqual(custom.names(), ['1.bias', '5.bias']);
  custom.dispose(); mask.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});

test('a mask refuses any value other than 0 and 1, naming the tensor', () => {
  const base = liveTensors().tensors;
  for (const bad of [0.5, -1, 2, Number.NaN, Number.POSITIVE_INFINITY, 1e-30]) {
    scope(() => {
      const t = tensor([1, 0, bad, 1], [2, 2]);
      assert.throws(() => Mask.fromTensors([['ok', tensor([1, 0])], ['conv.weight', t]]), (e: unknown) => {
        assert.ok(e instanceof DataError);
        assert.equal(e.code, 'LNAS_MASK_VALUE');
        assert.equal(e.path, 'conv.weight');
        assert.match(e.message, /conv\.weight.*neither 0 nor 1.*flat index 2/);
        return true;
      }, `value ${bad}`);
    });
  }
  assert.equal(liveTensors().tensors, base, 'a refused mask leaves no tensor behind');
});

test('apply zeroes pruned weights to exactly +0 and leaves kept ones bit-identical', () => {
  const base = liveTensors().tensors;
  manualSeed(2);
  const m = new Linear(4, 2);
  const w = param(m, 'weight');
  noGrad(() => scope(() => w.copy_(tensor([-1, 2, -3, 4, -5, 6, -7, 8], [2, 4]))));
  const before = bits(w);
  const mask = scope(() => Mask.fromTensors([['weight', tensor([1, 0, 0, 1, 1, 1, 0, 0], [2, 4])]]));
  mask.apply(m);
  const after = w.toNumbers();
  assert.deepEqual(after, [-1, 0, 0, 4, -5, 6, 0, 0]);
  for (const i of [1, 2, 6, 7]) assert.ok(Object.is(after[i], 0), `index ${i} is +0, not -0`);
  assert.deepEqual(bits(w).subarray(0, 4), before.subarray(0, 4));
  assert.equal(mask.kept(), 4);
  assert.equal(mask.sparsity(), 0.5);
  assert.deepEqual([...mask.layerSparsity()], [['weight', 0.5]]);
  assert.deepEqual(param(m, 'bias').toNumbers().every((v) => v !== 0), true, 'biases are not covered');
  mask.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});

test('save/load round-trips bit for bit and validates against the model', () => {
  const base = liveTensors().tensors;
  manualSeed(3);
  const m = tinyNet();
  const dense = Mask.ones(m);
  const pattern = scope(() => new Map(dense.names().map((n) => {
    const t = dense.get(n)!;
    return [n, randn(t.shape).gt(0).to('float32')] as const;
  })));
  const mask = Mask.fromTensors(pattern);
  for (const t of pattern.values()) t.dispose();
  const path = join(tmp(), 'mask.safetensors');
  mask.save(path, { note: 'test' });
  const back = Mask.load(path, m);
  assert.deepEqual(back.names(), mask.names());
  for (const n of mask.names()) assert.deepEqual(bits(back.get(n)!), bits(mask.get(n)!), n);
  assert.equal(back.kept(), mask.kept());
  back.dispose();

  const wrong = new Linear(5, 3);
  assert.throws(() => Mask.load(path, wrong), (e: unknown) => e instanceof DataError && e.code === 'LNAS_MASK_MISMATCH' && e.path === '0.weight');
  mask.dispose(); dense.dispose(); wrong.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});

test('loading a bad mask file is a typed error naming the tensor', () => {
  const base = liveTensors().tensors;
  manualSeed(4);
  const m = tinyNet();
  const dir = tmp();
  const write = (name: string, tensors: [string, number[], number[]][], format = MASK_FORMAT) => {
    const path = join(dir, name);
    scope(() => saveSafetensors(path, new Map(tensors.map(([k, v, s]) => [k, tensor(v, s)])), { format }));
    return path;
  };
  const conv = new Array(108).fill(1);
  const lin = new Array(12).fill(1);
  const expect = (path: string, code: string, tensorName?: string) => assert.throws(() => Mask.load(path, m), (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.code, code);
    if (tensorName) { assert.equal(e.path, tensorName); assert.ok(e.message.includes(`'${tensorName}'`), e.message); }
    return true;
  });
  expect(write('value.safetensors', [['0.weight', conv, [4, 3, 3, 3]], ['5.weight', [...lin.slice(1), 0.25], [3, 4]]]), 'LNAS_MASK_VALUE', '5.weight');
  expect(write('shape.safetensors', [['0.weight', conv, [4, 3, 9]], ['5.weight', lin, [3, 4]]]), 'LNAS_MASK_MISMATCH', '0.weight');
  expect(write('extra.safetensors', [['0.weight', conv, [4, 3, 3, 3]], ['5.weight', lin, [3, 4]], ['9.weight', [1], [1, 1]]]), 'LNAS_MASK_MISMATCH', '9.weight');
  expect(write('missing.safetensors', [['0.weight', conv, [4, 3, 3, 3]]]), 'LNAS_MASK_MISMATCH', '5.weight');
  expect(write('format.safetensors', [['0.weight', conv, [4, 3, 3, 3]], ['5.weight', lin, [3, 4]]], 'lnas-model'), 'LNAS_MASK_CORRUPT');
  expect(join(dir, 'nope.safetensors'), 'LNAS_CHECKPOINT_MISSING');
  const ok = Mask.load(write('ok.safetensors', [['0.weight', conv, [4, 3, 3, 3]], ['5.weight', lin, [3, 4]]]), m);
  assert.equal(ok.kept(), 120);
  ok.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});

test('assign copies in place, keeping tensor identity (checkpoint extraTensors rely on it)', () => {
  const base = liveTensors().tensors;
  const a = scope(() => Mask.fromTensors([['w', tensor([1, 1, 1])]]));
  const b = scope(() => Mask.fromTensors([['w', tensor([0, 1, 0])]]));
  const before = a.get('w');
  a.assign(b);
  assert.equal(a.get('w'), before);
  assert.deepEqual(a.get('w')!.toNumbers(), [0, 1, 0]);
  const c = scope(() => Mask.fromTensors([['w', tensor([1, 1])]]));
  assert.throws(() => a.assign(c), { code: 'LNAS_MASK_MISMATCH' });
  a.dispose(); b.dispose(); c.dispose();
  assert.equal(liveTensors().tensors, base);
});
