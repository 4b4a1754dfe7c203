import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paretoFront } from './pareto.js';

// x = parameters (lower better), y = accuracy (higher better)
const pts = [
  { id: 'a', x: 1, y: 0.90 },
  { id: 'b', x: 2, y: 0.95 },
  { id: 'c', x: 3, y: 0.94 }, // dominated by b
  { id: 'd', x: 4, y: 0.97 },
  { id: 'e', x: 2, y: 0.93 }, // same x as b, worse y
  { id: 'f', x: 5, y: 0.97 }, // same y as d, worse x
  { id: 'g', x: 0.5, y: 0.80 },
  { id: 'h', x: NaN, y: 0.99 }, // ignored
];
const ids = (ps: { id: string }[]): string[] => ps.map((p) => p.id);

test('maximise y, minimise x', () => {
  assert.deepEqual(ids(paretoFront(pts, { maximizeY: true, minimizeX: true })), ['g', 'a', 'b', 'd']);
  assert.deepEqual(ids(paretoFront(pts)), ['g', 'a', 'b', 'd']);
});

test('other objective directions', () => {
  // minimise both: only the smallest-x point (which also has the smallest y) survives
  assert.deepEqual(ids(paretoFront(pts, { maximizeY: false })), ['g']);
  // maximise both: f has the largest x among the top-y points
  assert.deepEqual(ids(paretoFront(pts, { minimizeX: false })), ['f']);
  // minimise y, maximise x
  assert.deepEqual(ids(paretoFront(pts, { maximizeY: false, minimizeX: false })),
    ['g', 'a', 'e', 'c', 'f']);
});

test('result is non-dominated and complete (checked against brute force)', () => {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cloud = Array.from({ length: 200 }, (_, i) => ({ id: String(i), x: Math.round(rand() * 20), y: Math.round(rand() * 20) }));
  const dominated = (p: { x: number; y: number }): boolean =>
    cloud.some((q) => q.x <= p.x && q.y >= p.y && (q.x < p.x || q.y > p.y));
  const expected = cloud.filter((p) => !dominated(p)).map((p) => p.id).sort();
  assert.deepEqual(ids(paretoFront(cloud)).sort(), expected);
});

test('duplicates of a front point are all kept; empty input gives empty front', () => {
  const dup = [{ id: 'p', x: 1, y: 1 }, { id: 'q', x: 1, y: 1 }, { id: 'r', x: 2, y: 1 }];
  assert.deepEqual(ids(paretoFront(dup)).sort(), ['p', 'q']);
  assert.deepEqual(paretoFront([]), []);
});
