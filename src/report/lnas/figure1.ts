// Figure 1 of the LNAS paper: retraining accuracy per epoch, one panel per variant, one line per
// sparsity level, the baseline dashed in every panel so each panel compares against it.
import { smallMultiples, type Panel } from '../svg/small-multiples.js';
import type { LineSeries } from '../svg/series.js';
import { NEUTRAL } from '../svg/palette.js';
import type { RunData } from './load.js';
import { VARIANT_LABEL } from './table1.js';

function curve(r: RunData, metric: 'val' | 'test'): [number, number][] {
  const key = metric === 'val' ? 'val_acc' : 'test_acc';
  return (r.train?.history ?? []).map((m): [number, number] => {
    const v = m[key];
    return [m.epoch, typeof v === 'number' ? 100 * v : NaN];
  });
}

export function figure1(runs: readonly RunData[], o: { metric: 'val' | 'test'; half: number; epochs: number }): string {
  const base = runs.find((r) => r.variant === 'baseline');
  const baseline: LineSeries[] = base?.train ? [{ name: 'baseline', points: curve(base, o.metric), dashed: true, color: NEUTRAL }] : [];
  const variants = (['v1', 'v2', 'alg3'] as const).filter((v) => runs.some((r) => r.variant === v));
  const panels: Panel[] = variants.map((v) => ({
    title: `Variant ${VARIANT_LABEL[v]}`,
    series: [
      ...runs.filter((r) => r.variant === v).sort((a, b) => (a.sparsity ?? 0) - (b.sparsity ?? 0))
        .map((r) => ({ name: `p = ${r.sparsity}`, points: curve(r, o.metric), markers: true })),
      ...baseline,
    ],
  }));
  if (panels.length === 0 && base) panels.push({ title: 'baseline', series: baseline });
  const split = o.metric === 'val' ? 'validation' : 'test';
  return smallMultiples({
    title: `Figure 1. ${split[0]?.toUpperCase()}${split.slice(1)} accuracy per retraining epoch`,
    panels,
    columns: Math.min(3, Math.max(1, panels.length)),
    panelWidth: 260,
    panelHeight: 180,
    // Epochs are whole numbers: no 1.2, 1.4 ticks on a short retraining.
    xAxis: { label: 'epoch', ticks: Math.max(1, Math.min(10, o.epochs - 1)), format: (v) => (Number.isInteger(v) ? String(v) : '') },
    yAxis: { label: `${split} accuracy (%)` },
  });
}
