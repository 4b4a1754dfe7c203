// A DARTS cell drawn from a genotype as it is stored ({normal: [[op, input], ...], normal_concat,
// ...}): the two cell inputs, the intermediate nodes and the output on one row, op edges arcing
// above it with the op's name, the concat edges dashed below. Built through the DOM, so an op
// name is text whatever it holds.
import { h, s } from './dom.js';

type Edge = [string, number];

const isEdges = (v: unknown): v is Edge[] => Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[1] === 'number');

const OP_COLOR: Record<string, string> = {
  skip_connect: '#d62728', max_pool_3x3: '#8c564b', avg_pool_3x3: '#bcbd22', sep_conv_3x3: '#1f77b4', sep_conv_5x5: '#17becf',
  dil_conv_3x3: '#2ca02c', dil_conv_5x5: '#9467bd', none: '#7f7f7f',
};

export function cellView(genotype: unknown, cell: 'normal' | 'reduce', title?: string): HTMLElement {
  const g = (genotype ?? {}) as Record<string, unknown>;
  const edges = g[cell];
  const concat = Array.isArray(g[`${cell}_concat`]) ? (g[`${cell}_concat`] as unknown[]).filter((x): x is number => typeof x === 'number') : [];
  const box = h('figure', { class: 'cell', 'data-cell': cell });
  box.append(h('figcaption', {}, title ?? (cell === 'normal' ? 'normal cell' : 'reduction cell')));
  if (!isEdges(edges) || edges.length === 0) {
    box.append(h('p', { class: 'muted' }, 'no genotype yet'));
    return box;
  }
  const steps = Math.ceil(edges.length / 2);
  const labels = ['c_{k-2}', 'c_{k-1}', ...Array.from({ length: steps }, (_, i) => String(i)), 'c_{k}'];
  const n = labels.length;
  const gap = 92;
  const width = 40 + gap * (n - 1) + 40;
  const baseline = 190;
  const x = (i: number) => 40 + gap * i;
  const svg = s('svg', { class: 'cell-svg', 'data-cell': cell, viewBox: `0 0 ${width} 260`, width, height: 260, role: 'img' });
  svg.append(s('title', {}, `${cell} cell`));
  edges.forEach(([op, input], k) => {
    const to = 2 + Math.floor(k / 2);
    if (input < 0 || input >= to) return;
    const x0 = x(input); const x1 = x(to);
    const lift = 24 + 26 * (to - input);
    const mid = (x0 + x1) / 2;
    const color = OP_COLOR[op] ?? '#444';
    svg.append(s('path', { d: `M ${x0} ${baseline - 16} Q ${mid} ${baseline - 16 - 2 * lift} ${x1} ${baseline - 16}`, fill: 'none', stroke: color, 'stroke-width': 1.6, 'data-op': op }));
    svg.append(s('text', { x: mid, y: baseline - 16 - lift - 3 - (k % 2) * 11, 'text-anchor': 'middle', class: 'op', fill: color }, op));
  });
  for (const c of concat) {
    if (c < 2 || c >= n - 1) continue;
    const x0 = x(c); const x1 = x(n - 1);
    svg.append(s('path', { d: `M ${x0} ${baseline + 16} Q ${(x0 + x1) / 2} ${baseline + 16 + 12 * (n - 1 - c)} ${x1} ${baseline + 16}`, fill: 'none', stroke: '#999', 'stroke-dasharray': '4 3' }));
  }
  labels.forEach((label, i) => {
    svg.append(s('ellipse', { cx: x(i), cy: baseline, rx: 30, ry: 15, fill: i < 2 ? '#e8f0fe' : i === n - 1 ? '#fde8e8' : '#f4f4f4', stroke: '#555' }));
    svg.append(s('text', { x: x(i), y: baseline + 4, 'text-anchor': 'middle', class: 'node' }, label));
  });
  box.append(svg);
  return box;
}
