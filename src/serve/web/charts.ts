// Charts of the dashboard, drawn by uPlot (canvas). A chart is kept across updates and only
// given new data when its series are unchanged, so a live page does not flicker.
import uPlot from 'uplot';
import { h } from './dom.js';

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export interface SeriesSpec { label: string; values: (number | null)[]; color?: string; points?: boolean; dash?: boolean; width?: number }

export interface ChartSpec {
  id: string;
  title: string;
  x: number[];
  xLabel: string;
  yLabel: string;
  series: SeriesSpec[];
  /** Points only, no lines (scatter plots). */
  scatter?: boolean;
  width?: number;
  height?: number;
  xLog?: boolean;
}

const charts = new Map<string, { plot: uPlot; key: string; box: HTMLElement }>();

/** Forgets charts whose boxes left the page. */
export function pruneCharts(): void {
  for (const [id, c] of charts) if (!c.box.isConnected) { c.plot.destroy(); charts.delete(id); }
}

/** The chart's box (reused when the same chart is drawn again with the same series). */
export function chart(spec: ChartSpec): HTMLElement {
  const key = JSON.stringify([spec.series.map((s) => [s.label, s.color, s.points, s.dash]), spec.scatter, spec.xLabel, spec.yLabel]);
  const data = [spec.x, ...spec.series.map((s) => s.values)] as uPlot.AlignedData;
  const old = charts.get(spec.id);
  if (old && old.key === key) {
    old.plot.setData(data);
    old.box.dataset.points = String(spec.x.length);
    return old.box;
  }
  if (old) { old.plot.destroy(); charts.delete(spec.id); }
  const box = h('div', { class: 'chart', 'data-chart': spec.id, 'data-points': spec.x.length });
  const opts: uPlot.Options = {
    title: spec.title,
    width: spec.width ?? 460,
    height: spec.height ?? 260,
    scales: { x: { time: false, ...(spec.xLog ? { distr: 3 } : {}) } },
    axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 60 }],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    series: [
      { label: spec.xLabel },
      ...spec.series.map((s, i): uPlot.Series => {
        const color = s.color ?? PALETTE[i % PALETTE.length] as string;
        const points = spec.scatter || s.points;
        return {
          label: s.label, stroke: color, width: s.width ?? (points && !s.dash ? 0 : 2), spanGaps: true,
          ...(s.dash ? { dash: [6, 4] } : {}),
          ...(points && !s.dash ? { paths: () => null, points: { show: true, size: 5, stroke: color, fill: color } } : { points: { show: spec.x.length < 60 } }),
        };
      }),
    ],
  };
  const plot = new uPlot(opts, data, box);
  box.dataset.series = String(spec.series.length);
  charts.set(spec.id, { plot, key, box });
  return box;
}

/** A colour for a value in [0, 1] (white to dark blue). */
export function heat(v: number): string {
  const t = Math.max(0, Math.min(1, v));
  const r = Math.round(255 - t * (255 - 8));
  const g = Math.round(255 - t * (255 - 48));
  const b = Math.round(255 - t * (255 - 107));
  return `rgb(${r}, ${g}, ${b})`;
}
