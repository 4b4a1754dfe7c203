import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSvg, texts } from '../testing.js';
import { boxPlot, quartiles } from './box-plot.js';

test('re-exports quartiles', () => {
  assert.equal(quartiles([1, 2, 3])?.median, 2);
});

test('one box per group with median line, whiskers, outliers and counts', () => {
  const svg = boxPlot({
    title: 'Fitness by generation',
    xLabel: 'generation',
    yAxis: { label: 'val. accuracy' },
    groups: [
      { label: '0', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 100] },
      { label: '1', values: [5, 6, 7, 8] },
      { label: '2 <best>', values: [] },
    ],
    showMean: true,
  });
  assertCleanSvg(svg);
  const t = texts(svg);
  for (const want of ['Fitness by generation', 'generation', 'val. accuracy', '0', '1', '2 <best>', 'n=10', 'n=4', 'n=0', 'median', 'outlier', 'mean']) {
    assert.ok(t.includes(want), `missing ${want}`);
  }
  // Two non-empty groups -> two boxes (with tooltips), one outlier circle (100)
  assert.equal((svg.match(/<rect[^>]*fill-opacity="0.25"[^>]*>/g) ?? []).length, 2);
  assert.equal((svg.match(/<circle[^>]*fill="#ffffff"[^>]*><title>/g) ?? []).length, 1);
  assert.match(svg, /<title>0: n=10, median 5.5, Q1 3.25, Q3 7.75, whiskers 1..9, mean 14.5<\/title>/);
});

test('the median line sits between the box edges', () => {
  const svg = boxPlot({ groups: [{ label: 'g', values: [0, 10, 20, 30, 100] }], legend: false });
  const box = /<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="[^"]+" fill-opacity="0.25"/.exec(svg);
  const median = /<line x1="[^"]+" y1="([^"]+)"[^>]*stroke-width="2.5"/.exec(svg);
  assert.ok(box && median);
  const top = Number(box[1]);
  const bottom = top + Number(box[2]);
  const my = Number(median[1]);
  assert.ok(my > top && my < bottom, `${top} < ${my} < ${bottom}`);
});

test('points overlay is deterministic and skips NaN', () => {
  const o = { groups: [{ label: 'a', values: [1, NaN, 2, 3, Infinity] }], showPoints: true, legend: false };
  const svg = boxPlot(o);
  assertCleanSvg(svg);
  assert.equal(svg, boxPlot(o));
  assert.equal((svg.match(/<circle[^>]*fill-opacity="0.55"/g) ?? []).length, 3);
});

test('no finite samples anywhere -> "no data"', () => {
  for (const groups of [[], [{ label: 'x', values: [NaN] }]]) {
    const svg = boxPlot({ groups });
    assertCleanSvg(svg);
    assert.ok(texts(svg).includes('no data'));
  }
});
