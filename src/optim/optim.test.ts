import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor } from '../tensor/creation.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { BatchNorm2d } from '../nn/layers.js';
import { noGrad } from '../tensor/runtime.js';
import { Adam } from './adam.js';
import { Ema } from './ema.js';
import { clipGradNorm } from './clip.js';
import { RMSprop } from './rmsprop.js';
import { lrAt } from './schedule.js';
import { SGD } from './sgd.js';

const close = (a: number[], b: number[], tol = 1e-6) => b.forEach((v, i) => assert.ok(Math.abs((a[i] as number) - v) < tol, `${a} vs ${b}`));

// Loss = sum(g * p) gives a constant gradient g, so each update can be computed by hand.
function stepWith(p: Tensor, g: number[], opt: { step(): void; zeroGrad(): void }) {
  scope(() => { opt.zeroGrad(); p.mul(tensor(g, [g.length])).sum().backward(); opt.step(); });
}

test('SGD: momentum, weight decay, nesterov match the PyTorch update rule', () => {
  const p = tensor([1, -2], [2]).keep().requiresGrad_();
  const opt = new SGD([p], { lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
  stepWith(p, [0.5, 1], opt);
  // d = g + wd*p = [0.51, 0.98]; buf = d; p -= 0.1*d
  close(p.toNumbers(), [1 - 0.051, -2 - 0.098]);
  const p1 = p.toNumbers();
  stepWith(p, [0.5, 1], opt);
  const d2 = [0.5 + 0.01 * p1[0]!, 1 + 0.01 * p1[1]!];
  const buf = [0.9 * 0.51 + d2[0]!, 0.9 * 0.98 + d2[1]!];
  close(p.toNumbers(), [p1[0]! - 0.1 * buf[0]!, p1[1]! - 0.1 * buf[1]!]);
  const q = tensor([1], [1]).keep().requiresGrad_();
  const nest = new SGD([q], { lr: 0.1, momentum: 0.9, nesterov: true });
  stepWith(q, [1], nest);
  close(q.toNumbers(), [1 - 0.1 * (1 + 0.9 * 1)]);
  p.dispose(); q.dispose();
});

test('Adam: the first step moves each weight by lr in the gradient sign; weight decay joins the gradient', () => {
  const p = tensor([1, -1, 3], [3]).keep().requiresGrad_();
  const opt = new Adam([p], { lr: 0.01 });
  stepWith(p, [2, -0.5, 1e-3], opt);
  close(p.toNumbers(), [0.99, -0.99, 2.99], 1e-4);
  const q = tensor([2], [1]).keep().requiresGrad_();
  const opt2 = new Adam([q], { lr: 0.1, beta1: 0.5, beta2: 0.999, weightDecay: 1 });
  stepWith(q, [-1], opt2); // g = -1 + 1*2 = 1 -> step -0.1
  close(q.toNumbers(), [1.9], 1e-4);
  stepWith(q, [-1], opt2); // g2 = -1 + 1.9 = 0.9; m1 = 0.5, v1 = 0.001
  const m = (0.5 * 0.5 + 0.5 * 0.9) / (1 - 0.25);
  const v = (0.999 * 0.001 + 0.001 * 0.81) / (1 - 0.999 ** 2);
  close(q.toNumbers(), [1.9 - (0.1 * m) / (Math.sqrt(v) + 1e-8)], 1e-5);
  p.dispose(); q.dispose();
});

test('RMSprop: PyTorch form and TensorFlow form differ as specified', () => {
  const p = tensor([1], [1]).keep().requiresGrad_();
  stepWith(p, [2], new RMSprop([p], { lr: 0.01, alpha: 0.9, eps: 1e-8 }));
  close(p.toNumbers(), [1 - (0.01 * 2) / (Math.sqrt(0.1 * 4) + 1e-8)]);
  const q = tensor([1], [1]).keep().requiresGrad_();
  stepWith(q, [2], new RMSprop([q], { lr: 0.01, alpha: 0.9, eps: 1e-3, momentum: 0.9, tfStyle: true }));
  close(q.toNumbers(), [1 - (0.01 * 2) / Math.sqrt(0.9 + 0.1 * 4 + 1e-3)]);
  p.dispose(); q.dispose();
});

test('clipGradNorm scales to the max norm and reports the norm before', () => scope(() => {
  const a = tensor([3], [1]).requiresGrad_();
  const b = tensor([4], [1]).requiresGrad_();
  a.mul(a).sum().add(b.mul(b).sum()).backward(); // grads 6, 8: norm 10
  assert.ok(Math.abs(clipGradNorm([a, b], 5) - 10) < 1e-5);
  close([a.grad!.item(), b.grad!.item()], [3, 4], 1e-4);
}));

test('schedules: cosine ends at eta_min, fractional step decay, warmup', () => {
  assert.equal(lrAt({ kind: 'cosine', lr: 0.025, etaMin: 0.001, epochs: 10 }, 0), 0.025);
  assert.ok(Math.abs(lrAt({ kind: 'cosine', lr: 0.025, etaMin: 0.001, epochs: 10 }, 10) - 0.001) < 1e-12);
  assert.ok(Math.abs(lrAt({ kind: 'cosine', lr: 1, etaMin: 0, epochs: 10 }, 5) - 0.5) < 1e-12);
  const step = { kind: 'step', lr: 1, gamma: 0.97, every: 2.4 } as const;
  assert.equal(lrAt(step, 2.3), 1);
  assert.equal(lrAt(step, 2.4), 0.97);
  assert.equal(lrAt(step, 4.9), 0.97 ** 2);
  const warm = { kind: 'warmup', epochs: 2, from: 0, then: { kind: 'constant', lr: 0.1 } } as const;
  assert.ok(Math.abs(lrAt(warm, 1) - 0.05) < 1e-12);
  assert.equal(lrAt(warm, 3), 0.1);
});

test('EMA: update n uses decay min(d, (1 + n) / (10 + n)) with warm-up, d without; integer buffers are copied', () => {
  for (const warmup of [true, false]) {
    const bn = new BatchNorm2d(2);
    const w = bn.weight!;
    const ema = new Ema(bn, 0.9, warmup);
    let expected = w.toNumbers();
    for (let n = 0; n < 30; n++) {
      noGrad(() => { w.fill_(n + 1); bn.numBatchesTracked!.fill_(n + 1); });
      const d = warmup ? Math.min(0.9, (1 + n) / (10 + n)) : 0.9;
      assert.equal(ema.currentDecay(), d);
      ema.update(bn);
      expected = expected.map((e) => d * e + (1 - d) * (n + 1));
    }
    assert.equal(ema.updates, 30);
    close(ema.shadow.get('weight')!.toNumbers(), expected, 1e-4);
    assert.deepEqual(ema.shadow.get('num_batches_tracked')!.toNumbers(), [30]);
    ema.dispose();
    bn.dispose();
  }
});
