import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../util/rng.js';
import { keptChannels, makeDivisible, resolveArch } from './arch.js';
import { mobilenetConfig } from './config.js';
import { geneLabels, type MobileNetGenome } from './genome.js';
import { mobilenetSpace } from './space.js';

test('makeDivisible follows timm: nearest multiple of 8, at least 8, never 10% below', () => {
  const cases: [number, number][] = [[18, 24], [12, 16], [20, 24], [50, 48], [84, 88], [30, 32], [4, 8], [10, 16], [13, 16], [0.75 * 40, 32], [1200, 1200]];
  for (const [v, want] of cases) assert.equal(makeDivisible(v), want, `makeDivisible(${v})`);
  assert.equal(keptChannels(64, 0.375), 40);
  assert.equal(keptChannels(8, 0.5), 4);
});

/** All stages depth 1 unless overridden; layer genes from `layer`. */
function genome(over: Record<string, number | boolean>, layer = { exp: 4, k: 3, se: false, prune: 0 }): MobileNetGenome {
  const g: Record<string, number | boolean> = {};
  for (const l of geneLabels()) {
    const suffix = l.slice(l.lastIndexOf('_') + 1);
    g[l] = l === 'width_mult' ? 1 : suffix === 'depth' ? 1 : suffix === 'down' ? false : layer[suffix as keyof typeof layer];
  }
  return { ...g, ...over } as unknown as MobileNetGenome;
}

test('resolveArch: widths, strides, sizes, SE from the unpruned width, residual only when shapes match', () => {
  const config = mobilenetConfig('imagenet');
  const a = resolveArch(genome({ s1_down: true, s2_depth: 2, s2_down: true, s2_i2_se: true, s2_i2_prune: 0.25, s3_down: true, s5_down: true }), config);
  assert.deepEqual(a.stem, { channels: 16, stride: 2, outSize: 112 });
  assert.deepEqual(a.layers.map((l) => [l.label, l.inChannels, l.midFull, l.mid, l.seChannels, l.outChannels, l.stride, l.outSize, l.residual]), [
    ['s1_i1', 16, 64, 64, 0, 24, 2, 56, false],
    ['s2_i1', 24, 96, 96, 0, 40, 2, 28, false],
    ['s2_i2', 40, 160, 120, 40, 40, 1, 28, true],
    ['s3_i1', 40, 160, 160, 0, 80, 2, 14, false],
    ['s4_i1', 80, 320, 320, 0, 112, 1, 14, false],
    ['s5_i1', 112, 448, 448, 0, 160, 2, 7, false],
  ]);
  assert.deepEqual(a.layers.map((l) => l.activation), ['relu', 'relu', 'relu', 'hardswish', 'hardswish', 'hardswish']);
  assert.deepEqual(a.head, { inChannels: 160, channels: 960, size: 7 });
  const narrow = resolveArch(genome({ width_mult: 0.75 }), config);
  assert.deepEqual([narrow.stem.channels, ...narrow.layers.map((l) => l.outChannels), narrow.head.channels], [16, 24, 32, 64, 88, 120, 720]);
});

test('CIFAR preset: stride-1 stem and at most 3 downsamples keep 32px inputs at 4x4 or more', () => {
  const space = mobilenetSpace(mobilenetConfig('cifar'));
  const rng = new Rng(3);
  let smallest = Infinity;
  for (let i = 0; i < 300; i++) smallest = Math.min(smallest, space.arch(space.sample(rng)).head.size);
  assert.equal(smallest, 4);
  assert.equal(space.arch(space.sample(rng)).stem.outSize, 32);
});

test('config errors name the field', () => {
  const bad: [Parameters<typeof mobilenetConfig>[1], string][] = [
    [{ stageChannels: [24, 40, 80] }, 'stageChannels'],
    [{ choices: { depths: [1, 7] } }, 'choices.depths[1]'],
    [{ choices: { kernels: [4] } }, 'choices.kernels[0]'],
    [{ choices: { pruneRates: [] } }, 'choices.pruneRates'],
    [{ stemStride: 3 as 1 }, 'stemStride'],
  ];
  assert.doesNotThrow(() => mobilenetConfig('cifar', { maxDownsamples: 4 })); // 32px ends at 2x2
  assert.throws(() => mobilenetConfig('cifar', { maxDownsamples: 4, stemStride: 2 }), (e: unknown) => e instanceof ConfigError && e.path === 'maxDownsamples');
  for (const [over, path] of bad) {
    assert.throws(() => mobilenetConfig('cifar', over), (e: unknown) => e instanceof ConfigError && e.path === path, path);
  }
});
