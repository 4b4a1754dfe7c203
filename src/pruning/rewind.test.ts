import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Linear } from '../nn/layers.js';
import { SGD } from '../optim/sgd.js';
import { randn, tensor } from '../tensor/creation.js';
import * as F from '../tensor/functional.js';
import { liveTensors, manualSeed, setNumThreads } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { magnitudePrune } from './magnitude.js';
import { Mask } from './mask.js';
import { WeightSnapshot } from './rewind.js';
import { bits, param, tinyNet } from './testing.js';

setNumThreads(1);

function train(m: ReturnType<typeof tinyNet>, opt: SGD, steps: number, after?: () => void): void {
  for (let i = 0; i < steps; i++) {
    scope(() => {
      const loss = F.crossEntropy(m.forward(randn([8, 3, 6, 6])), tensor([0, 1, 2, 0, 1, 2, 0, 1]).to('int64'));
      opt.zeroGrad();
      loss.backward();
      opt.step();
      after?.();
    });
  }
}

test('rewinding restores surviving weights to θ0 bit for bit; pruned ones are exactly zero', () => {
  const base = liveTensors().tensors;
  manualSeed(20);
  const m = tinyNet();
  const theta0 = WeightSnapshot.capture(m);
  const reference = new Map(m.namedParameters().map(([n, p]) => [n, bits(p)]));
  const opt = new SGD(m.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
  train(m, opt, 5);
  assert.notDeepEqual(bits(param(m, '0.weight')), reference.get('0.weight'), 'training moved the weights');
  const dense = Mask.ones(m);
  const mask = magnitudePrune(m, dense, { density: 0.3 });
  theta0.rewind(m, mask);
  for (const [name, p] of m.namedParameters()) {
    const got = bits(p);
    const want = reference.get(name)!;
    const mk = mask.get(name)?.toNumbers();
    const values = p.toNumbers();
    for (let i = 0; i < values.length; i++) {
      if (mk && mk[i] === 0) assert.ok(Object.is(values[i], 0), `${name}[${i}] pruned but ${values[i]}`);
      else assert.deepEqual(got.subarray(4 * i, 4 * i + 4), want.subarray(4 * i, 4 * i + 4), `${name}[${i}]`);
    }
  }
  opt.disposeState(); mask.dispose(); dense.dispose(); theta0.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});

test('recapture stores θk in the same tensors; rewinding loads it, never re-initialises', () => {
  const base = liveTensors().tensors;
  manualSeed(21);
  const m = tinyNet();
  const snap = WeightSnapshot.capture(m);
  const held = [...snap.tensors().values()];
  const opt = new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
  train(m, opt, 3);
  snap.recapture(m);
  assert.deepEqual([...snap.tensors().values()], held, 'same tensor objects');
  const thetaK = new Map(m.namedParameters().map(([n, p]) => [n, bits(p)]));
  train(m, opt, 3);
  manualSeed(21); // a re-initialisation would reproduce θ0, not θk
  snap.rewind(m);
  for (const [name, p] of m.namedParameters()) assert.deepEqual(bits(p), thetaK.get(name), name);
  const other = tinyNet();
  const wrong = WeightSnapshot.capture(other, (n) => n === '5.weight');
  const lin = new Linear(2, 2);
  assert.throws(() => wrong.rewind(lin), { code: 'LNAS_STATE_MISMATCH' });
  lin.dispose(); wrong.dispose(); other.dispose();
  opt.disposeState(); snap.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});
