import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../errors.js';
import { countMacs, traceMacs } from '../../nn/macs.js';
import { randn, tensor } from '../../tensor/creation.js';
import { liveTensors, manualSeed, noGrad, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import { withPruneRates } from '../../spaces/mobilenet/genome.js';
import type { MobileNetNetwork } from '../../spaces/mobilenet/network.js';
import { blockPath } from './groups.js';
import { channelImportance, channelL1, keepIndices } from './importance.js';
import { checkPruningOf, keptChannelIndices, sliceNetwork } from './slice.js';
import { RES, scrambleBatchNorm, testGenome, tinySpace } from './testing.js';

setNumThreads(1);
const space = tinySpace();
const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
const outputs = (net: MobileNetNetwork, x: Tensor) => noGrad(() => scope(() => net.forward(x).toNumbers()));

function trained(seed: number): MobileNetNetwork {
  manualSeed(seed);
  const net = space.build(testGenome(seed));
  scrambleBatchNorm(net);
  return net.eval();
}

test('slicing with the same prune rates reproduces the network exactly', () => {
  const before = liveTensors().tensors;
  const net = trained(1);
  const copy = sliceNetwork(net, net.genome);
  assert.equal(copy.training, false);
  scope(() => {
    const x = randn([3, 3, RES, RES]);
    assert.deepEqual(outputs(copy, x), outputs(net, x));
  });
  copy.dispose();
  net.dispose();
  assert.equal(liveTensors().tensors, before);
});

test('a sliced network computes what the original computes with the dropped channels masked', () => {
  const before = liveTensors().tensors;
  const net = trained(2);
  const target = withPruneRates(net.genome, { s1_i1: 0.5, s2_i1: 0.375, s2_i2: 0.25, s2_i3: 0.5, s3_i1: 0.125 });
  const kept = keptChannelIndices(net, target);
  assert.deepEqual([...kept.keys()].sort(), ['s1_i1', 's2_i1', 's2_i2', 's2_i3', 's3_i1']);
  const pruned = sliceNetwork(net, target);
  // The reference: the unpruned network whose dropped channels are zeroed at both BNs of their
  // group, so that they carry exactly nothing to the SE gate or the projection.
  const masked = space.build(net.genome).eval();
  masked.loadStateDict(net.stateDict());
  noGrad(() => scope(() => {
    for (const [label, idx] of kept) {
      const block = masked.blocks.find((b) => b.spec.label === label);
      assert.ok(block);
      assert.equal(idx.length, pruned.blocks.find((b) => b.spec.label === label)?.spec.mid);
      assert.ok(idx.length < block.spec.mid);
      const mask = tensor(Array.from({ length: block.spec.mid }, (_, i) => (idx.includes(i) ? 1 : 0)), [block.spec.mid]);
      for (const bn of [block.expand.bn, block.depthwise.bn]) { bn.weight?.mul_(mask); bn.bias?.mul_(mask); }
    }
    const x = randn([4, 3, RES, RES]);
    const a = outputs(masked, x);
    const b = outputs(pruned, x);
    assert.ok(maxDiff(a, b) < 1e-4, `max diff ${maxDiff(a, b)}`);
    // Block by block too, where it is visible that the dropped channels did matter.
    for (const label of kept.keys()) {
      const find = (n: MobileNetNetwork) => n.blocks.find((blk) => blk.spec.label === label)!;
      const spec = find(net).spec;
      const h = randn([2, spec.inChannels, spec.inSize, spec.inSize]);
      const sliced = find(pruned).forward(h).toNumbers();
      assert.ok(maxDiff(find(masked).forward(h).toNumbers(), sliced) < 1e-4, label);
      assert.ok(maxDiff(find(net).forward(h).toNumbers(), sliced) > 1e-2, label);
    }
  }));
  // The pruned network is exactly the target genome's architecture.
  assert.equal(pruned.parameterCount(), space.params(target));
  const macs = noGrad(() => scope(() => countMacs(traceMacs(() => { pruned.forward(randn([1, 3, RES, RES])); })).dense));
  assert.equal(macs, space.macs(target));
  for (const n of [pruned, masked, net]) n.dispose();
  assert.equal(liveTensors().tensors, before);
});

test('kept channels are those with the largest L1 filter norm, in index order', () => {
  assert.deepEqual(keepIndices([3, 1, 2, 5], 2), [0, 3]);
  assert.deepEqual(keepIndices([1, 1, 1, 1], 2), [0, 1]);
  assert.throws(() => keepIndices([1, 2], 3), { code: 'LNAS_PRUNE_GROUP' });
  const net = trained(3);
  const target = withPruneRates(net.genome, { s2_i2: 0.5 });
  const kept = keptChannelIndices(net, target).get('s2_i2');
  const w = net.namedParameters().find(([n]) => n === `${blockPath(2, 2)}.expand.conv.weight`)?.[1];
  assert.ok(w && kept);
  const norms = channelL1(w, 0);
  const threshold = Math.min(...kept.map((i) => norms[i] as number));
  norms.forEach((v, i) => { if (!kept.includes(i)) assert.ok(v <= threshold, `dropped channel ${i} has a larger norm`); });
  // Group importance adds the depthwise filter and projection column norms.
  const weights = new Map(net.namedParameters());
  const group = { label: 's2_i2', channels: norms.length, root: `${blockPath(2, 2)}.expand.conv`, members: [
    { path: `${blockPath(2, 2)}.expand.conv`, kind: 'conv-out' as const, scored: true },
    { path: `${blockPath(2, 2)}.project.conv`, kind: 'conv-in' as const, scored: true },
  ] };
  const proj = channelL1(weights.get(`${blockPath(2, 2)}.project.conv.weight`) as Tensor, 1);
  const both = channelImportance(weights, group, 'l1-group');
  both.forEach((v, i) => assert.ok(Math.abs(v - (norms[i] as number) - (proj[i] as number)) < 1e-9));
  net.dispose();
});

test('only prune rates may change, and only upwards', () => {
  const g = testGenome(4);
  assert.throws(() => checkPruningOf(space.config, g, withPruneRates(g, { s2_i1: 0 })),
    (e: unknown) => e instanceof ConfigError && e.path === 's2_i1_prune' && /cannot come back/.test(e.message));
  assert.throws(() => checkPruningOf(space.config, g, { ...g, s2_i1_k: g.s2_i1_k === 3 ? 5 : 3 }),
    (e: unknown) => e instanceof ConfigError && e.path === 's2_i1_k');
  assert.doesNotThrow(() => checkPruningOf(space.config, g, withPruneRates(g, { s2_i6: 0 }))); // inactive layer
});

test('a channels_last network gives a channels_last slice with the same outputs', () => {
  const before = liveTensors().tensors;
  const net = trained(5);
  const target = withPruneRates(net.genome, { s2_i2: 0.5, s3_i1: 0.25 });
  const plain = sliceNetwork(net, target);
  scope(() => { net.toMemoryFormat('channelsLast'); });
  const cl = sliceNetwork(net, target);
  assert.ok(cl.blocks[0]?.depthwise.conv.weight.isContiguous('channelsLast'));
  assert.ok(cl.stem.conv.weight.isContiguous('channelsLast') && !cl.stem.conv.weight.isContiguous());
  scope(() => {
    const x = randn([2, 3, RES, RES]);
    assert.ok(maxDiff(outputs(plain, x), outputs(cl, x.contiguous('channelsLast'))) < 1e-4);
  });
  for (const n of [plain, cl, net]) n.dispose();
  assert.equal(liveTensors().tensors, before);
});
