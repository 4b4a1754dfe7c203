// Colours that stay distinguishable under the common colour-vision deficiencies.
// Categorical: the Okabe & Ito (2008) set, reordered so the first few are the most
// distinct on white and the pale yellow comes last. Sequential: viridis, for ordered
// series such as sparsity levels or generations, stopped short of its near-white end.
// Everything is a pure function of the index, so the same data always gets the same colours.

export const CATEGORICAL: readonly string[] = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
];

/** For baselines and reference lines: dark but not pure black, so black series stay distinct. */
export const NEUTRAL = '#555555';
export const AXIS = '#333333';
export const GRID = '#e6e6e6';
export const MUTED_TEXT = '#666666';

export function categoricalColor(index: number): string {
  const i = Math.abs(Math.trunc(index)) % CATEGORICAL.length;
  return CATEGORICAL[i] ?? '#000000';
}

// Viridis sampled at 9 evenly spaced points.
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [0x44, 0x01, 0x54], [0x47, 0x2d, 0x7b], [0x3b, 0x52, 0x8b], [0x2c, 0x72, 0x8e],
  [0x21, 0x91, 0x8c], [0x28, 0xae, 0x80], [0x5e, 0xc9, 0x62], [0xad, 0xdc, 0x30],
  [0xfd, 0xe7, 0x25],
];
const VIRIDIS_END = 0.85;

function hex2(v: number): string {
  return Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0');
}

/** Viridis at t in [0, 1] (clamped; NaN counts as 0). */
export function sequentialColor(t: number): string {
  const u = (Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0) * VIRIDIS_END * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  const a = VIRIDIS[i] ?? [0, 0, 0];
  const b = VIRIDIS[i + 1] ?? a;
  return '#' + [0, 1, 2].map((k) => hex2((a[k] ?? 0) + ((b[k] ?? 0) - (a[k] ?? 0)) * f)).join('');
}

/** `n` evenly spaced sequential colours, darkest first. */
export function sequentialColors(n: number): string[] {
  const count = Math.max(0, Math.trunc(n));
  return Array.from({ length: count }, (_, i) => sequentialColor(count === 1 ? 0 : i / (count - 1)));
}

/** Assigns colours to keys in the order given; repeated keys keep their first colour. */
export function colorMap(keys: Iterable<string>, kind: 'categorical' | 'sequential' = 'categorical'): Map<string, string> {
  const unique = [...new Set(keys)];
  const seq = sequentialColors(unique.length);
  return new Map(unique.map((k, i) => [k, kind === 'sequential' ? seq[i] ?? '#000000' : categoricalColor(i)]));
}
