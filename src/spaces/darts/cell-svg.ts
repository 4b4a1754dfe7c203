// Draws one DARTS cell of a genotype as a standalone SVG (no scripts, no external fonts or links)
// so reports can inline it or save it as a file. Layout is fixed and left to right: the two cell
// inputs, intermediate nodes 0..3 and the output c_{k} on one row; op edges arc above the row,
// the dashed concat edges into c_{k} arc below it.

import { cellConcat, cellOps, type CellKind, type Genotype } from './genotype.js';
import { NUM_INPUT_NODES, NUM_NODES, nodeOfSlot, type Primitive } from './primitives.js';
import { escapeXml } from '../../util/escape.js';

export type CellSvgOptions = {
  /** Caption above the drawing; defaults to "normal cell" / "reduction cell". */
  readonly title?: string;
};

type Point = { x: number; y: number };

const SPACING = 145;
const MARGIN_X = 70;
const BASELINE = 262;
const RX = 46;
const RY = 22;
/** Apex height of an arc between neighbours, and what each extra column of span adds. */
const ARC_BASE = 28;
const ARC_STEP = 36;
const OUTPUT = NUM_NODES; // pseudo node index for c_{k}
const WIDTH = 2 * MARGIN_X + OUTPUT * SPACING;
const HEIGHT = 440;

const OP_COLORS: Readonly<Record<Primitive, string>> = {
  none: '#9e9e9e',
  max_pool_3x3: '#6d6d6d',
  avg_pool_3x3: '#8d6e63',
  skip_connect: '#2e7d32',
  sep_conv_3x3: '#1565c0',
  sep_conv_5x5: '#0d47a1',
  dil_conv_3x3: '#6a1b9a',
  dil_conv_5x5: '#4a148c',
};

function label(node: number): string {
  if (node === 0) return 'c_{k-2}';
  if (node === 1) return 'c_{k-1}';
  if (node === OUTPUT) return 'c_{k}';
  return String(node - NUM_INPUT_NODES);
}

// Nodes sit on one row in topological order (an arc diagram): an arc can never pass through a
// node, and arcs with the same midpoint have different spans, hence different heights, so their
// labels cannot collide.
function position(node: number): Point {
  return { x: MARGIN_X + node * SPACING, y: BASELINE };
}

const fmt = (v: number): string => String(Math.round(v * 10) / 10);

/** Where the ray from the ellipse centre towards `toward` leaves the node's ellipse. */
function onBoundary(center: Point, toward: Point): Point {
  const dx = toward.x - center.x;
  const dy = toward.y - center.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const t = 1 / Math.hypot(ux / RX, uy / RY);
  return { x: center.x + ux * t, y: center.y + uy * t };
}

type Arc = { d: string; apex: Point };

/**
 * Arc from `from` to `to`, above the row (direction -1) or below it (+1). `repeat` lifts a second
 * edge between the same pair of nodes so both stay visible.
 */
function arc(from: number, to: number, direction: -1 | 1, repeat: number): Arc {
  const a = position(from);
  const b = position(to);
  // Lifting a repeat by half a step keeps it clear of arcs one span longer or shorter too.
  const height = ARC_BASE + ARC_STEP * (Math.abs(to - from) - 1) + repeat * (ARC_STEP / 2);
  // A quadratic curve peaks halfway between its chord and its control point.
  const control = { x: (a.x + b.x) / 2, y: BASELINE + direction * 2 * height };
  const start = onBoundary(a, control);
  const end = onBoundary(b, control);
  const apex = {
    x: 0.25 * start.x + 0.5 * control.x + 0.25 * end.x,
    y: 0.25 * start.y + 0.5 * control.y + 0.25 * end.y,
  };
  return { d: `M${fmt(start.x)},${fmt(start.y)} Q${fmt(control.x)},${fmt(control.y)} ${fmt(end.x)},${fmt(end.y)}`, apex };
}

function nodeSvg(node: number): string {
  const p = position(node);
  const fill = node < NUM_INPUT_NODES ? '#bbdefb' : node === OUTPUT ? '#c8e6c9' : '#fff9c4';
  return (
    `<g class="node" data-node="${escapeXml(label(node))}">` +
    `<ellipse cx="${fmt(p.x)}" cy="${fmt(p.y)}" rx="${RX}" ry="${RY}" fill="${fill}" stroke="#424242" stroke-width="1.5"/>` +
    `<text x="${fmt(p.x)}" y="${fmt(p.y)}" text-anchor="middle" dominant-baseline="central" font-size="15">${escapeXml(label(node))}</text>` +
    `</g>`
  );
}

/**
 * Renders the normal or reduction cell of `genotype` as a complete SVG document. There is no XML
 * prolog, so the same string can be saved as a .svg file or inlined into HTML.
 */
export function cellToSvg(genotype: Genotype, cell: CellKind, options: CellSvgOptions = {}): string {
  const marker = `arrow-${cell}`;
  const title = options.title ?? (cell === 'normal' ? 'normal cell' : 'reduction cell');
  const seen = new Map<string, number>();
  const opEdges = cellOps(genotype, cell).map(([op, input], slot) => {
    const node = nodeOfSlot(slot);
    const key = `${input}->${node}`;
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    const { d, apex } = arc(input, node, -1, repeat);
    const color = OP_COLORS[op];
    const path =
      `<g class="edge op" data-op="${escapeXml(op)}" data-from="${escapeXml(label(input))}" data-to="${escapeXml(label(node))}">` +
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8" marker-end="url(#${marker})"/></g>`;
    // Labels go in a later layer so no edge is drawn across another edge's label.
    const text =
      `<text class="op-label" x="${fmt(apex.x)}" y="${fmt(apex.y)}" text-anchor="middle" dominant-baseline="central" font-size="12" ` +
      `fill="${color}" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">${escapeXml(op)}</text>`;
    return { path, text };
  });
  const concatEdges = cellConcat(genotype, cell).map((node) => {
    const { d } = arc(node, OUTPUT, 1, 0);
    return (
      `<g class="edge concat" data-from="${escapeXml(label(node))}" data-to="${escapeXml(label(OUTPUT))}">` +
      `<path d="${d}" fill="none" stroke="#9e9e9e" stroke-width="1.5" stroke-dasharray="5 4" marker-end="url(#${marker})"/>` +
      `</g>`
    );
  });
  const nodes = Array.from({ length: OUTPUT + 1 }, (_, node) => nodeSvg(node));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      `font-family="sans-serif" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" ` +
      `orient="auto" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" fill="#424242"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="17" font-weight="bold">${escapeXml(title)}</text>`,
    ...concatEdges,
    ...opEdges.map((e) => e.path),
    ...nodes,
    ...opEdges.map((e) => e.text),
    `</svg>`,
    '',
  ].join('\n');
}
