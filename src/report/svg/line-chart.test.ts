import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSvg, attrValues, texts } from '../testing.js';
import { lineChart } from './line-chart.js';
import { categoricalColor } from './palette.js';

const base = {
  title: 'Accuracy <vs> epochs & "sparsity"',
  xAxis: { label: 'epoch' },
  yAxis: { label: 'accuracy' },
};

test('renders a well-formed chart with title, axis labels, ticks and legend', () => {
  const svg = lineChart({
    ...base,
    series: [
      { name: 'dense', points: [[0, 0.5], [10, 0.8], [20, 0.9]], dashed: true },
      { name: 'p = 0.5', points: [{ x: 0, y: 0.4 }, { x: 10, y: 0.75 }, { x: 20, y: 0.88 }], markers: true },
    ],
  });
  assertCleanSvg(svg);
  const t = texts(svg);
  assert.ok(t.includes('Accuracy <vs> epochs & "sparsity"'), 'title is escaped, not dropped');
  assert.ok(svg.includes('&lt;vs&gt; epochs &amp; &quot;sparsity&quot;'));
  for (const want of ['epoch', 'accuracy', 'dense', 'p = 0.5', '0', '10', '20', '0.4', '0.9']) {
    assert.ok(t.includes(want), `missing text ${want}`);
  }
  assert.ok(attrValues(svg, 'stroke-dasharray').includes('6 4'), 'baseline is dashed');
  assert.ok(svg.includes(`stroke="${categoricalColor(0)}"`));
  assert.ok(svg.includes(`stroke="${categoricalColor(1)}"`));
  assert.equal((svg.match(/<circle/g) ?? []).length, 3 + 1, 'markers on the marked series (+1 in legend)');
});

test('NaN points become gaps, never "NaN" in the output', () => {
  const svg = lineChart({ series: [{ name: 'gappy', points: [[0, 1], [1, NaN], [2, 3], [3, 4], [NaN, 5], [5, Infinity]] }] });
  assertCleanSvg(svg);
  const d = attrValues(svg, 'd').find((v) => v.startsWith('M') && v.includes('L') && !v.includes('H') && !v.includes('V'));
  assert.ok(d);
  // (0,1) is alone between gaps -> drawn as a marker; (2,3)-(3,4) is one segment.
  assert.equal((d.match(/M/g) ?? []).length, 1);
  assert.equal((d.match(/L/g) ?? []).length, 1);
  assert.equal((svg.match(/<circle/g) ?? []).length, 1);
});

test('empty or all-NaN series say "no data"', () => {
  for (const series of [[], [{ name: 'a', points: [] }], [{ name: 'b', points: [[NaN, NaN]] as [number, number][] }]]) {
    const svg = lineChart({ title: 'Empty', series });
    assertCleanSvg(svg);
    assert.ok(texts(svg).includes('no data'));
    assert.ok(texts(svg).includes('Empty'));
  }
});

test('a series name keeps its colour; explicit colours win; unnamed series have no legend entry', () => {
  const svg = lineChart({ series: [
    { name: '', points: [[0, 1], [1, 2]] },
    { name: 'red', points: [[0, 2], [1, 1]], color: '#ff0000' },
  ] });
  assertCleanSvg(svg);
  assert.ok(svg.includes('stroke="#ff0000"'));
  assert.deepEqual(texts(svg).filter((s) => /[a-z]/.test(s)), ['red']);
});

test('log x axis drops non-positive x and labels decades', () => {
  const svg = lineChart({ xAxis: { log: true }, series: [{ name: 's', points: [[-1, 1], [0, 1], [10, 2], [1000, 3]] }] });
  assertCleanSvg(svg);
  const t = texts(svg);
  assert.ok(t.includes('10') && t.includes('100') && t.includes('1k'));
});

test('fixed axis limits are respected and data is clipped, not the axis stretched', () => {
  const svg = lineChart({ yAxis: { min: 0, max: 1 }, series: [{ name: 's', points: [[0, 0.5], [1, 7]] }] });
  assertCleanSvg(svg);
  assert.ok(!texts(svg).includes('7'));
  assert.match(svg, /clip-path="url\(#lc-[a-z0-9]+\)"/);
});

test('output is deterministic', () => {
  const o = { series: [{ name: 'a', points: [[0, 1], [1, 2]] as [number, number][] }] };
  assert.equal(lineChart(o), lineChart(o));
});
