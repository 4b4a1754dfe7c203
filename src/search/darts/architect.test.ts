import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SGD } from '../../optim/sgd.js';
import { Supernet } from '../../spaces/darts/supernet.js';
import { randint, randn } from '../../tensor/creation.js';
import * as F from '../../tensor/functional.js';
import { grad, liveTensors, manualSeed, noGrad, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import { secondOrderAlphaGrad } from './architect.js';

setNumThreads(1);

test('second-order α gradient equals a brute-force derivative of the unrolled objective', () => {
  manualSeed(5);
  const live0 = liveTensors().tensors;
  const net = new Supernet({ channels: 2, layers: 3, classes: 3 }).toDtype('float64');
  // Every tensor this test makes is freed by the end (scopes, dispose): a handle left to the
  // garbage collector would be freed during the next test and upset its count of live handles.
  for (const a of net.archParameters()) noGrad(() => scope(() => { a.setData(a.detach().to('float64').mul(300)); }));
  const batch = () => ({ x: randn([4, 3, 8, 8], { dtype: 'float64' }).keep(), y: randint(0, 3, [4]).keep() });
  const train = batch();
  const val = batch();
  const xi = 0.05;
  const wd = 3e-4;
  const opt = new SGD(net.parameters(), { lr: xi, momentum: 0.9, weightDecay: wd });
  const weights = net.parameters();
  const alphas = net.archParameters();

  // Unrolled objective L_val(w − ξ(∇w L_train(w, α) + wd·w), α), evaluated from scratch.
  const unrolled = (): number => scope(() => {
    const backup = noGrad(() => weights.map((w) => w.detach().clone()));
    const g = grad([F.crossEntropy(net.forward(train.x, true), train.y)], weights, { allowUnused: true });
    noGrad(() => weights.forEach((w, i) => w.sub_((g[i] ?? w.mul(0)).add(w, wd), xi)));
    const loss = noGrad(() => F.crossEntropy(net.forward(val.x), val.y).item());
    noGrad(() => weights.forEach((w, i) => w.copy_(backup[i] as Tensor)));
    return loss;
  });

  // ε is tiny here on purpose: the network is piecewise linear (ReLU, max pool), and any finite-
  // difference step large enough to cross a kink (DARTS' 0.01 does, and so does 1e-5 on this net)
  // measures a different quantity. In float64 at 1e-7 the approximation is exact to ~1e-6.
  secondOrderAlphaGrad(net, train, val, opt, { order: 2, xi, momentum: 0.9, weightDecay: wd, epsilon: 1e-7 });
  const analytic = scope(() => alphas.map((a) => a.grad!.toNumbers()));
  const h = 1e-6;
  let maxErr = 0;
  let maxMag = 0;
  // A spread of entries of both α matrices (every op column, edges of every node).
  alphas.forEach((a, k) => {
    const base = a.toNumbers();
    for (let i = k; i < base.length; i += 9) {
      const at = (v: number) => { noGrad(() => scope(() => { const t = a.detach().flatten(); t.narrow(0, i, 1).fill_(v); })); return unrolled(); };
      const plus = at(base[i]! + h);
      const minus = at(base[i]! - h);
      at(base[i]!);
      const numeric = (plus - minus) / (2 * h);
      maxErr = Math.max(maxErr, Math.abs(numeric - analytic[k]![i]!));
      maxMag = Math.max(maxMag, Math.abs(numeric));
    }
  });
  assert.ok(maxMag > 1e-4, `the gradient is not trivially zero (${maxMag})`);
  assert.ok(maxErr / maxMag < 1e-3, `max error ${maxErr} vs magnitude ${maxMag}`);
  for (const t of [train.x, train.y, val.x, val.y]) t.dispose();
  opt.disposeState();
  net.dispose();
  assert.equal(liveTensors().tensors, live0, 'the test leaves no tensor handle behind');
});

test('second-order step leaves the weights exactly as they were and leaks nothing', () => {
  manualSeed(6);
  const net = new Supernet({ channels: 2, layers: 3, classes: 3 });
  const opt = new SGD(net.parameters(), { lr: 0.025, momentum: 0.9 });
  const train = { x: randn([2, 3, 8, 8]).keep(), y: randint(0, 3, [2]).keep() };
  const before = net.parameters().map((p) => p.toNumbers());
  const live = liveTensors().tensors;
  secondOrderAlphaGrad(net, train, train, opt, { order: 2, xi: 0.025, momentum: 0.9, weightDecay: 3e-4 });
  for (const a of net.archParameters()) a.grad = null;
  assert.equal(liveTensors().tensors, live);
  net.parameters().forEach((p, i) => assert.deepEqual(p.toNumbers(), before[i]));
  train.x.dispose(); train.y.dispose(); opt.disposeState(); net.dispose();
});
