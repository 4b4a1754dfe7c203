import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSvg, texts } from '../testing.js';
import { smallMultiples } from './small-multiples.js';

const line = (name: string, ys: number[], extra: object = {}) => ({ name, points: ys.map((y, i) => [i * 10, y] as [number, number]), ...extra });

test('panels share one y range, colours follow names, one legend entry per series', () => {
  const svg = smallMultiples({
    title: 'Figure 1',
    xAxis: { label: 'epoch' },
    yAxis: { label: 'test accuracy' },
    panels: [
      { title: 'DARTS', series: [line('baseline', [0.5, 0.9], { dashed: true, color: '#555555' }), line('p=0.5', [0.4, 0.8])] },
      { title: 'LNAS', series: [line('baseline', [0.5, 0.9], { dashed: true, color: '#555555' }), line('p=0.5', [0.3, 0.6])] },
      { title: 'LNAS <global>', series: [line('p=0.5', [0.2, 0.95])] },
    ],
  });
  assertCleanSvg(svg);
  const t = texts(svg);
  for (const want of ['Figure 1', 'DARTS', 'LNAS', 'LNAS <global>', 'epoch', 'test accuracy']) assert.ok(t.includes(want), want);
  assert.equal(t.filter((s) => s === 'baseline').length, 1, 'legend deduplicated');
  assert.equal(t.filter((s) => s === 'p=0.5').length, 1);
  // y tick labels only once (first column), covering the shared range 0.2..0.95
  assert.equal(t.filter((s) => s === '0.2').length, 1);
  assert.equal(t.filter((s) => s === '1.0').length, 1);
  // every p=0.5 line has the same colour
  const strokes = [...svg.matchAll(/<path d="M[^"]*" fill="none" stroke="([^"]+)" stroke-width="2"/g)].map((m) => m[1]);
  assert.equal(strokes.length, 5);
  assert.equal(new Set(strokes).size, 2);
  assert.equal((svg.match(/<clipPath/g) ?? []).length, 3);
  assert.equal(new Set([...svg.matchAll(/clipPath id="([^"]+)"/g)].map((m) => m[1])).size, 3, 'unique clip ids');
});

test('grid layout wraps panels into rows', () => {
  const panels = Array.from({ length: 5 }, (_, i) => ({ title: `v${i}`, series: [line('a', [i, i + 1])] }));
  const svg = smallMultiples({ panels, columns: 2, panelWidth: 100, panelHeight: 80 });
  assertCleanSvg(svg);
  const h = Number(/height="(\d+)"/.exec(svg)?.[1]);
  const wide = smallMultiples({ panels, columns: 5, panelWidth: 100, panelHeight: 80 });
  assert.ok(h > Number(/height="(\d+)"/.exec(wide)?.[1]), '3 rows are taller than 1');
});

test('no panels or no finite data -> "no data"', () => {
  for (const panels of [[], [{ title: 'x', series: [line('a', [NaN, NaN])] }]]) {
    const svg = smallMultiples({ panels });
    assertCleanSvg(svg);
    assert.ok(texts(svg).includes('no data'));
  }
});
