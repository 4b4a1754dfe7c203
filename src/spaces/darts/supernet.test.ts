import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceMacs } from '../../nn/macs.js';
import { randn } from '../../tensor/creation.js';
import * as F from '../../tensor/functional.js';
import { liveTensors, manualSeed, noGrad, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { GenotypeNetwork } from './network.js';
import { DARTS_V2 } from './genotypes.js';
import { OPS } from './ops.js';
import { PRIMITIVES } from './primitives.js';
import { Supernet } from './supernet.js';

setNumThreads(1);

test('contract: every op, stride 1 and 2, search and eval form, both layouts: forward + backward, right shape, finite', () => {
  manualSeed(0);
  for (const p of PRIMITIVES) {
    for (const stride of [1, 2]) {
      for (const search of [true, false]) {
        for (const cl of [false, true]) {
          const op = OPS[p]({ channels: 4, stride, affine: !search, search });
          if (cl) op.toMemoryFormat('channelsLast');
          scope(() => {
            const x0 = randn([2, 4, 8, 8]).requiresGrad_();
            const x = cl ? x0.contiguous('channelsLast') : x0;
            const y = op.forward(x);
            assert.deepEqual(y.shape, [2, 4, 8 / stride, 8 / stride], `${p} stride ${stride}`);
            assert.ok(Number.isFinite(y.sum().item()), `${p} output finite`);
            if (p !== 'none') {
              y.mul(y).sum().backward();
              assert.ok(Number.isFinite(x0.grad!.sum().item()), `${p} grad finite`);
            }
          });
          op.dispose();
        }
      }
    }
  }
});

function net(layers = 3, channels = 4) {
  return new Supernet({ channels, layers, classes: 10 });
}

test('supernet: logits shape, every α entry (including none) gets a gradient, no leaked tensors', () => {
  manualSeed(1);
  const n = net();
  const before = liveTensors().tensors;
  scope(() => {
    const loss = F.crossEntropy(n.forward(randn([4, 3, 16, 16])), randn([4]).abs().mul(3).to('int64'));
    loss.backward();
    const g = n.alpha.normal.grad!.abs();
    assert.equal(g.eq(0).sum().item(), 0, 'every α entry has a non-zero gradient');
  });
  n.alpha.normal.grad = null; n.alpha.reduce.grad = null;
  for (const p of n.parameters()) p.grad = null;
  assert.equal(liveTensors().tensors, before);
  n.dispose();
});

test('masked ops get exactly zero weight and zero gradient, and are not executed', () => {
  manualSeed(2);
  const n = net();
  const x = randn([2, 3, 16, 16]).keep();
  const convsBefore = noGrad(() => traceMacs(() => scope(() => { n.forward(x); }))).length;
  // Remove every convolution op (columns 4..7) on all edges of both cell types.
  const mask = Array.from({ length: 14 }, () => [1, 1, 1, 1, 0, 0, 0, 0]);
  n.setMask('normal', mask);
  n.setMask('reduce', mask);
  const convsAfter = noGrad(() => traceMacs(() => scope(() => { n.forward(x); }))).length;
  // Left: stem, classifier, preprocessing 1x1 convs, factorized reduces of stride-2 skips.
  assert.ok(convsAfter < convsBefore / 4, `${convsAfter} conv calls left of ${convsBefore}`);
  scope(() => {
    const w = n.edgeWeights('normal').toNumbers();
    for (let e = 0; e < 14; e++) for (let i = 4; i < 8; i++) assert.equal(w[e * 8 + i], 0);
    n.forward(x).sum().backward();
    const g = n.alpha.normal.grad!.toNumbers();
    for (let e = 0; e < 14; e++) for (let i = 4; i < 8; i++) assert.equal(g[e * 8 + i], 0);
    assert.ok(g.some((v) => v !== 0));
  });
  x.dispose();
  n.dispose();
});

test('genotype network: DARTS_V2 forward/backward with auxiliary head and drop path', () => {
  manualSeed(3);
  const m = new GenotypeNetwork(DARTS_V2, { channels: 4, layers: 6, classes: 10, auxiliary: true, dropPath: 0.2 });
  scope(() => {
    const y = m.forward(randn([2, 3, 32, 32]));
    assert.deepEqual(y.shape, [2, 10]);
    assert.deepEqual(m.auxLogits!.shape, [2, 10]);
    y.sum().add(m.auxLogits!.sum()).backward();
    assert.ok(Number.isFinite(m.parameters()[0]!.grad!.sum().item()));
  });
  m.eval();
  scope(() => { m.forward(randn([1, 3, 32, 32])); assert.equal(m.auxLogits, null); });
  m.dispose();
});
