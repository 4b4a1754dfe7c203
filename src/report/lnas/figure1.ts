// Figure 1 of the LNAS paper: retraining accuracy per epoch, one panel per variant, one line per
// sparsity level, the baseline dashed in every panel so each panel compares against it. Over
// repeated sweeps (`lnas sweep --repeats N`) each line is the mean over the seeds, with a band of
// ± one sample standard deviation around it.
import { smallMultiples, type Panel } from '../svg/small-multiples.js';
import type { LineSeries } from '../svg/series.js';
import { NEUTRAL } from '../svg/palette.js';
import { summarize } from '../welch.js';
import type { RunData } from './load.js';
import { VARIANT_LABEL } from './table1.js';

export interface Figure1Options { metric: 'val' | 'test'; half: number; epochs: number }

function curve(r: RunData, metric: 'val' | 'test'): [number, number][] {
  const key = metric === 'val' ? 'val_acc' : 'test_acc';
  return (r.train?.history ?? []).map((m): [number, number] => {
    const v = m[key];
    return [m.epoch, typeof v === 'number' ? 100 * v : NaN];
  });
}

type Line = Pick<LineSeries, 'points' | 'band'>;

function draw(runs: readonly RunData[], line: (r: RunData) => Line, o: Figure1Options, seeds: number | null): string {
  const base = runs.find((r) => r.variant === 'baseline');
  const baseline: LineSeries[] = base?.train ? [{ name: 'baseline', ...line(base), dashed: true, color: NEUTRAL }] : [];
  const variants = (['v1', 'v2', 'alg3'] as const).filter((v) => runs.some((r) => r.variant === v));
  const panels: Panel[] = variants.map((v) => ({
    title: `Variant ${VARIANT_LABEL[v]}`,
    series: [
      ...runs.filter((r) => r.variant === v).sort((a, b) => (a.sparsity ?? 0) - (b.sparsity ?? 0))
        .map((r) => ({ name: `p = ${r.sparsity}`, ...line(r), markers: true })),
      ...baseline,
    ],
  }));
  if (panels.length === 0 && base) panels.push({ title: 'baseline', series: baseline });
  const split = o.metric === 'val' ? 'validation' : 'test';
  return smallMultiples({
    // Over seeds the x axis says "epoch": a title naming both would not fit the figure's width.
    title: `Figure 1. ${split[0]?.toUpperCase()}${split.slice(1)} accuracy${seeds === null ? ' per retraining epoch' : `, mean ± std of ${seeds} seeds`}`,
    panels,
    columns: Math.min(3, Math.max(1, panels.length)),
    panelWidth: 260,
    panelHeight: 180,
    // Epochs are whole numbers: no 1.2, 1.4 ticks on a short retraining.
    xAxis: { label: 'epoch', ticks: Math.max(1, Math.min(10, o.epochs - 1)), format: (v) => (Number.isInteger(v) ? String(v) : '') },
    yAxis: { label: `${split} accuracy (%)` },
  });
}

export function figure1(runs: readonly RunData[], o: Figure1Options): string {
  return draw(runs, (r) => ({ points: curve(r, o.metric) }), o, null);
}

/**
 * `seeds[k]` holds the runs of the k-th repeat. A run (variant and sparsity) is matched across the
 * repeats by name; an epoch's mean and std use the seeds that have a number there.
 */
export function figure1Repeats(seeds: readonly (readonly RunData[])[], o: Figure1Options): string {
  const line = (r: RunData): Line => {
    const curves = seeds.map((runs) => runs.find((x) => x.name === r.name)).filter((x): x is RunData => x !== undefined).map((x) => curve(x, o.metric));
    const epochs = [...new Set(curves.flatMap((c) => c.map((p) => p[0])))].sort((a, b) => a - b);
    const stats = epochs.map((e) => [e, summarize(curves.map((c) => c.find((p) => p[0] === e)?.[1]).filter((v): v is number => Number.isFinite(v)))] as const);
    return {
      points: stats.map(([e, s]) => [e, s ? s.mean : NaN]),
      band: stats.map(([e, s]) => (s && s.n > 1 ? [e, s.mean - s.std, s.mean + s.std] : [e, NaN, NaN])),
    };
  };
  return draw(seeds[0] ?? [], line, o, seeds.length);
}
