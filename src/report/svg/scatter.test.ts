import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSvg, texts } from '../testing.js';
import { sequentialColors } from './palette.js';
import { paretoFront, scatterChart } from './scatter.js';

const pts = [
  { x: 2e5, y: 0.90, group: 0, label: 'arch <a>' },
  { x: 1e6, y: 0.95, group: 0 },
  { x: 3e6, y: 0.94, group: 1 },
  { x: 5e6, y: 0.97, group: 2 },
  { x: 4e6, y: 0.93, group: 2 },
];

test('re-exports paretoFront', () => {
  assert.equal(paretoFront(pts).length, 3);
});

test('groups coloured in numeric order with a legend; Pareto front drawn', () => {
  const svg = scatterChart({
    title: 'Accuracy vs parameters',
    points: pts,
    xAxis: { log: true, label: 'parameters' },
    yAxis: { label: 'accuracy' },
    pareto: true,
    groupLabel: (g) => `gen ${g}`,
  });
  assertCleanSvg(svg);
  const t = texts(svg);
  for (const want of ['gen 0', 'gen 1', 'gen 2', 'Pareto front', 'parameters', 'accuracy', '1M']) assert.ok(t.includes(want), want);
  const colors = sequentialColors(3);
  for (const c of colors) assert.ok(svg.includes(`fill="${c}"`), c);
  // 3 front points get a ring; the staircase path visits each of them
  assert.equal((svg.match(/<circle[^>]*fill="none" stroke="#000000"/g) ?? []).length, 3);
  assert.match(svg, /<path d="M[^"]+L[^"]+" fill="none" stroke="#000000"/);
  assert.ok(svg.includes('<title>arch &lt;a&gt;: (200000, 0.9)</title>'));
});

test('points a log axis cannot show are counted, not silently dropped', () => {
  const svg = scatterChart({ points: [...pts, { x: 0, y: 0.5 }, { x: NaN, y: 1 }], xAxis: { log: true } });
  assertCleanSvg(svg);
  assert.ok(texts(svg).some((s) => s.startsWith('2 points not shown')));
});

test('string groups keep first-appearance order and categorical colours', () => {
  const svg = scatterChart({ points: [{ x: 1, y: 1, group: 'b' }, { x: 2, y: 2, group: 'a' }] });
  assertCleanSvg(svg);
  const t = texts(svg);
  assert.ok(t.indexOf('b') < t.indexOf('a'));
  assert.ok(svg.includes('fill="#0072B2"'));
});

test('ungrouped points and no Pareto -> no legend; empty -> "no data"', () => {
  const svg = scatterChart({ points: [{ x: 1, y: 1 }, { x: 2, y: 3 }] });
  assertCleanSvg(svg);
  assert.ok(!texts(svg).includes('Pareto front'));
  const empty = scatterChart({ title: 'none', points: [{ x: NaN, y: 1 }] });
  assertCleanSvg(empty);
  assert.ok(texts(empty).includes('no data'));
});
