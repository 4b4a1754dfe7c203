// The MENAS figures: Fig. 4(a) epoch time per generation (box plot), Fig. 4(b) search accuracy
// against parameters coloured by generation, the accuracy/FLOPs Pareto front of the tickets, the
// comparison with random search at equal numbers of trained candidates, and Fig. 4(c) training
// curves of a random architecture and two of its tickets retrained under one setting.
import { bestSoFar } from '../../search/menas/records.js';
import { boxPlot } from '../svg/box-plot.js';
import { lineChart, type LineSeries } from '../svg/line-chart.js';
import { NEUTRAL } from '../svg/palette.js';
import { scatterChart } from '../svg/scatter.js';
import { formatSi } from '../format.js';
import type { LoadedEvolve, LoadedRun } from './load.js';

const pct = (v: number) => 100 * v;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
// Random search has no generations: its trials are grouped in population-sized batches, in order.
const groupName = (r: LoadedRun) => (r.summary.strategy === 'random' ? 'batch of trials' : 'generation');

export function epochTimeFigure(r: LoadedRun): string {
  const generations = [...new Set(r.candidates.map((c) => c.generation))].sort((a, b) => a - b);
  return boxPlot({
    title: `Fig. 4(a): epoch time per ${groupName(r)}`,
    xLabel: groupName(r),
    yAxis: { label: 'seconds per training epoch (mean of a candidate)', includeZero: true },
    showMean: true, showPoints: true,
    groups: generations.map((g) => ({ label: String(g), values: r.candidates.filter((c) => c.generation === g).map((c) => mean(c.epoch_times)) })),
  });
}

export function accuracyParamsFigure(r: LoadedRun): string {
  return scatterChart({
    title: 'Fig. 4(b): search accuracy vs. parameters (lottery tickets)',
    xAxis: { label: 'ticket parameters', log: true, format: (v) => formatSi(v) },
    yAxis: { label: 'ticket validation accuracy (%)' },
    groupLabel: (g) => `${groupName(r)} ${g}`,
    points: r.candidates.map((c) => ({ x: c.ticket_params, y: pct(c.ticket_acc), group: c.generation, label: `#${c.id}` })),
  });
}

export function paretoFigure(r: LoadedRun): string {
  return scatterChart({
    title: 'Accuracy vs. FLOPs of every ticket, with the Pareto front',
    xAxis: { label: 'ticket MMACs per image' },
    yAxis: { label: 'ticket validation accuracy (%)' },
    pareto: true,
    groupLabel: (g) => `${groupName(r)} ${g}`,
    points: r.candidates.map((c) => ({ x: c.ticket_mmacs, y: pct(c.ticket_acc), group: c.generation, label: `#${c.id}` })),
  });
}

/** The same front against the tickets' batch-1 ONNX Runtime latency (runs with a latency budget record it). */
export function paretoLatencyFigure(r: LoadedRun): string {
  return scatterChart({
    title: 'Accuracy vs. measured latency of every ticket, with the Pareto front',
    xAxis: { label: 'ticket latency, ONNX Runtime batch 1 (ms)' },
    yAxis: { label: 'ticket validation accuracy (%)' },
    pareto: true,
    groupLabel: (g) => `${groupName(r)} ${g}`,
    points: r.candidates.filter((c) => c.ticket_latency_ms !== undefined)
      .map((c) => ({ x: c.ticket_latency_ms as number, y: pct(c.ticket_acc), group: c.generation, label: `#${c.id}` })),
  });
}

export function comparisonFigure(e: LoadedEvolve): string {
  const series = (run: LoadedRun, dashed: boolean): LineSeries => ({
    name: run.summary.strategy === 'random' ? 'random search' : 'MENAS',
    points: bestSoFar(run.candidates).map(([n, v]) => [n, pct(v)] as [number, number]),
    ...(dashed ? { dashed: true, color: NEUTRAL } : {}),
  });
  return lineChart({
    title: 'Best ticket accuracy vs. trained candidates',
    xAxis: { label: 'candidates trained' },
    yAxis: { label: 'best validation accuracy so far (%)' },
    series: [series(e, false), ...(e.compare ? [series(e.compare, true)] : [])],
  });
}

export function figure4(r: LoadedRun): string {
  return lineChart({
    title: 'Fig. 4(c): a random architecture and its tickets, retrained alike',
    xAxis: { label: 'epoch', format: (v) => (Number.isInteger(v) ? String(v) : '') },
    yAxis: { label: 'test accuracy (%)' },
    series: r.figure4.filter((f) => f.summary).map((f) => ({
      name: `${f.ref.label.replace('fig4-', '')} (${formatSi(f.summary!.params)} params, ${f.summary!.mmacs.toFixed(1)} MMACs)`,
      points: f.summary!.history.map((m) => [m.epoch, pct(Number(m['test_acc']))] as [number, number]),
      markers: true,
      ...(f.ref.label === 'fig4-original' ? { dashed: true, color: NEUTRAL } : {}),
    })),
  });
}
