// Number formatting shared by chart tick labels and table cells. The aim is labels a reader
// can compare at a glance: no float noise (0.30000000000000004), no "-0", SI suffixes for
// parameter / FLOP counts, and an empty string instead of "NaN" for missing values.

/** Smallest number of decimals (0..12) that shows `step` exactly, so ticks 0.25 apart keep 2. */
export function decimalsFor(step: number): number {
  const s = Math.abs(step);
  if (!Number.isFinite(s) || s === 0) return 0;
  for (let d = 0; d <= 12; d++) {
    const scaled = s * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/** toFixed without the "-0.00" that rounding a tiny negative value produces. */
export function formatFixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return '';
  const s = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

const SI: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** The SI prefix a value of this magnitude reads best with (k, M, G, T or none). */
export function siPrefixFor(magnitude: number): readonly [number, string] {
  const m = Math.abs(magnitude);
  for (const p of SI) if (m >= p[0]) return p;
  return [1, ''];
}

/** 1234567 -> "1.23M" with `digits` significant digits, trailing zeros dropped. */
export function formatSi(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '';
  const [scale, suffix] = siPrefixFor(v);
  const scaled = v / scale;
  const text = Number(scaled.toPrecision(digits)).toString();
  return text === '-0' ? '0' + suffix : text + suffix;
}

/** Default for a number with no formatter: integers as-is, others to 6 significant digits. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Number.isInteger(v)) return String(v);
  const s = String(Number(v.toPrecision(6)));
  return s === '-0' ? '0' : s;
}

/** A table cell formatter: receives the raw cell value and the whole row. */
export type CellFormatter = (value: unknown, row: Readonly<Record<string, unknown>>) => string;

function numeric(fn: (v: number) => string): CellFormatter {
  return (value) => {
    if (typeof value === 'number') return Number.isFinite(value) ? fn(value) : formatNumber(value);
    return value === undefined || value === null ? '' : String(value);
  };
}

function meanAndStd(value: unknown): { mean: number; std: number | undefined } | undefined {
  if (Array.isArray(value)) {
    const xs = value.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    if (xs.length === 0) return undefined;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    // Sample (n-1) std: these summarise a few seeds, the usual convention in NAS papers.
    const std = xs.length < 2 ? undefined
      : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    return { mean, std };
  }
  if (typeof value === 'object' && value !== null && 'mean' in value) {
    const { mean, std } = value as { mean: unknown; std?: unknown };
    if (typeof mean !== 'number' || !Number.isFinite(mean)) return undefined;
    return { mean, std: typeof std === 'number' && Number.isFinite(std) ? std : undefined };
  }
  if (typeof value === 'number' && Number.isFinite(value)) return { mean: value, std: undefined };
  return undefined;
}

/** Ready-made column formatters. */
export const fmt = {
  /** Fixed decimals: fixed(2)(3.14159) -> "3.14". */
  fixed: (digits: number): CellFormatter => numeric((v) => formatFixed(v, digits)),
  /** Percentage; `scale` 100 turns a fraction into percent, use 1 if values already are. */
  percent: (digits: number, scale = 100): CellFormatter =>
    numeric((v) => `${formatFixed(v * scale, digits)}%`),
  /** SI suffix for counts: si()(3_300_000) -> "3.3M". */
  si: (digits = 3): CellFormatter => numeric((v) => formatSi(v, digits)),
  /** Integer with thousands separators: 1234567 -> "1,234,567". */
  int: (): CellFormatter =>
    numeric((v) => formatFixed(Math.round(v), 0).replace(/\B(?=(\d{3})+(?!\d))/g, ',')),
  /** "97.12 ± 0.08" from `{mean, std}` or an array of per-seed values. */
  meanStd: (digits: number): CellFormatter => (value) => {
    const ms = meanAndStd(value);
    if (ms === undefined) return '';
    const mean = formatFixed(ms.mean, digits);
    return ms.std === undefined ? mean : `${mean} ± ${formatFixed(ms.std, digits)}`;
  },
} as const;
