// The report of an NB201 search folder: report.md and curve.svg (the derived cell's true test
// accuracy per epoch), redrawn from metrics.jsonl, so it works mid-run.
import { existsSync, readFileSync } from 'node:fs';
import { DataError } from '../../errors.js';
import { readRunJson, runPaths } from '../../runs/paths.js';
import { type Nb201Lookup, type Nb201SearchJob, nb201Report } from '../../search/nb201/search-job.js';
import { writeFileAtomic } from '../../util/fs.js';
import { lineChart } from '../svg/line-chart.js';

/** (Re)writes report.md and curve.svg of an NB201 search folder from metrics.jsonl; works mid-run. */
export function writeNb201Report(dir: string): { markdown: string; files: string[] } {
  const p = runPaths(dir);
  const job = readRunJson<Nb201SearchJob>(p.config, 'the config of a search');
  const history = existsSync(p.metrics)
    ? readFileSync(p.metrics, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
  const last = history[history.length - 1];
  if (!last) throw new DataError('LNAS_NO_EPOCHS', `${dir} has no finished search epoch yet (metrics.jsonl is empty); run the report again later`, { path: p.metrics });
  const look = Object.fromEntries(Object.keys(EMPTY_LOOKUP).map((k) => [k, last[k]])) as unknown as Nb201Lookup;
  const markdown = nb201Report({ ...job.search }, look, history);
  writeFileAtomic(p.stage('curve.svg'), curveSvg(history));
  writeFileAtomic(p.report, markdown);
  return { markdown, files: [p.report, p.stage('curve.svg')] };
}

export const EMPTY_LOOKUP: Record<keyof Nb201Lookup, null> = {
  arch: null, cifar10_test: null, cifar100_test: null, imagenet16_test: null, cifar10_valid: null, params_mb: null, flops_m: null,
  skip_count: null, none_count: null, connected: null,
};

/** The true (table) test accuracy of the derived cell, epoch by epoch, on the three datasets. */
export function curveSvg(history: readonly Record<string, unknown>[]): string {
  const series = ([['CIFAR-10', 'cifar10_test'], ['CIFAR-100', 'cifar100_test'], ['ImageNet16-120', 'imagenet16_test']] as const).map(([name, key]) => ({
    name, markers: true, points: history.map((m) => [Number(m.epoch), Number(m[key])] as [number, number]),
  }));
  return lineChart({ title: 'Derived cell: NAS-Bench-201 test accuracy (table) per search epoch', series,
    xAxis: { label: 'search epoch' }, yAxis: { label: 'test accuracy (%)' } });
}

