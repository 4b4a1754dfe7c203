import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATEGORICAL, categoricalColor, colorMap, sequentialColor, sequentialColors } from './palette.js';

const HEX = /^#[0-9a-fA-F]{6}$/;

test('categorical colours are distinct, valid and cycle deterministically', () => {
  assert.equal(new Set(CATEGORICAL).size, CATEGORICAL.length);
  assert.ok(CATEGORICAL.every((c) => HEX.test(c)));
  assert.equal(categoricalColor(0), '#0072B2');
  assert.equal(categoricalColor(CATEGORICAL.length), categoricalColor(0));
  assert.equal(categoricalColor(-1), categoricalColor(1));
});

test('sequential colours run dark to light and never reach the near-white end', () => {
  const cs = sequentialColors(5);
  assert.equal(cs.length, 5);
  assert.ok(cs.every((c) => HEX.test(c)));
  assert.equal(cs[0], '#440154');
  const luminance = (c: string): number => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  for (let i = 1; i < cs.length; i++) assert.ok(luminance(cs[i] ?? '') > luminance(cs[i - 1] ?? ''));
  assert.notEqual(sequentialColor(1).toLowerCase(), '#fde725');
  assert.equal(sequentialColor(NaN), sequentialColor(0));
  assert.deepEqual(sequentialColors(1), ['#440154']);
});

test('colorMap is stable per key', () => {
  const m = colorMap(['b', 'a', 'b', 'c']);
  assert.deepEqual([...m.keys()], ['b', 'a', 'c']);
  assert.equal(m.get('b'), categoricalColor(0));
  assert.equal(m.get('c'), categoricalColor(2));
  assert.deepEqual(colorMap(['x', 'y'], 'sequential').get('x'), '#440154');
});
