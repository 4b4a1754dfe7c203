import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../errors.js';
import { randn } from '../../tensor/creation.js';
import { liveTensors, manualSeed, noGrad, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { Rng } from '../../util/rng.js';
import { mobilenetConfig } from './config.js';
import { MobileNetNetwork } from './network.js';
import { mobilenetSpace } from './space.js';

setNumThreads(1);
const space = mobilenetSpace(mobilenetConfig('cifar', { resolution: 16 }));

test('forward: logits per image, module names the pruner relies on, residual blocks', () => {
  manualSeed(1);
  const before = liveTensors().tensors;
  const g = space.validate({ ...space.sample(new Rng(2)), s3_depth: 3, s3_i2_se: true });
  const net = space.build(g);
  const names = net.namedParameters().map(([n]) => n);
  for (const n of ['stem.conv.weight', 'stages.2.1.expand.conv.weight', 'stages.2.1.depthwise.bn.bias', 'stages.2.1.se.reduce.weight',
    'stages.2.1.project.conv.weight', 'head.conv.weight', 'classifier.weight']) assert.ok(names.includes(n), n);
  assert.equal(net.blocks.length, net.arch.layers.length);
  assert.ok(net.blocks.filter((b) => b.spec.index > 1).every((b) => b.spec.residual));
  const y = scope(() => net.forward(randn([2, 3, 16, 16])).shape);
  assert.deepEqual(y, [2, 10]);
  net.dispose();
  assert.equal(liveTensors().tensors, before);
});

test('channels_last gives the same outputs', () => {
  manualSeed(2);
  const net = space.build(space.sample(new Rng(3))).eval();
  noGrad(() => scope(() => {
    const x = randn([2, 3, 16, 16]);
    const a = net.forward(x).toNumbers();
    net.toMemoryFormat('channelsLast');
    assert.ok(net.stem.conv.weight.isContiguous('channelsLast'));
    const b = net.forward(x.contiguous('channelsLast')).toNumbers();
    a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) < 1e-4, `${v} vs ${b[i]}`));
  }));
  net.dispose();
});

test('an invalid genome is a ConfigError naming the gene', () => {
  assert.throws(() => new MobileNetNetwork({ ...space.sample(new Rng(1)), s1_i1_k: 9 }, space.config),
    (e: unknown) => e instanceof ConfigError && e.path === 's1_i1_k');
});
