// The report of `lnas sweep --repeats N` (a runs/sweeps-<hash> folder): Table 1's best
// accuracies up to E/2 and up to E as mean ± std over the seeds, every run against the baseline
// with a two-sided Welch t-test. Written as table1-repeats.md/.csv/.json, with Figure 1 as the
// mean over the seeds and a ± std band (figure1-repeats.svg).
import { readRepeatsFile } from '../../runs/repeats.js';
import { LnasError } from '../../errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import { type RepeatRow, repeatRows, repeatTable, repeatVerdict } from '../repeats.js';
import { toCsv, toJson, toMarkdown } from '../table.js';
import { join } from 'node:path';
import { loadSweep } from './load.js';
import { figure1Repeats } from './figure1.js';
import { table1Rows } from './table1.js';

export interface RepeatsReport { files: string[]; markdown: string; half: RepeatRow[]; full: RepeatRow[] }

export function writeSweepRepeatsReport(dir: string): RepeatsReport {
  const file = readRepeatsFile(dir);
  if (!file || file.kind !== 'lnas-sweep-repeats') throw new LnasError('LNAS_NOT_A_SWEEP', `${dir} is not a sweep repeats folder (no repeats.json)`, { path: dir });
  const sweeps = file.dirs.map((d) => loadSweep(d));
  const first = sweeps[0];
  if (!first) throw new LnasError('LNAS_NOT_A_SWEEP', `${dir} lists no sweeps`, { path: dir });
  const o = { epochs: first.file.epochs, half: first.file.half, metric: first.file.metric, ...(first.file.dense_until === undefined ? {} : { denseUntil: first.file.dense_until }) };
  const tables = sweeps.map((s) => table1Rows(s.runs, o));
  const names = (tables[0] ?? []).map((r) => ({ name: r.run, label: r.run }));
  const group = (key: 'acc_half' | 'acc_full') => names.map((n) => ({ ...n, values: tables.map((t) => t.find((r) => r.run === n.name)?.[key]).filter((v): v is number => typeof v === 'number') }));
  const half = repeatRows(group('acc_half'), 'baseline');
  const full = repeatRows(group('acc_full'), 'baseline');
  const metric = o.metric === 'val' ? 'validation' : 'test';
  const markdown = `Best ${metric} accuracy up to epoch ${o.epochs} over ${file.repeats} seeds (${file.seeds.join(', ')}):\n\n` +
    `${toMarkdown(repeatTable(full, { what: `best ≤ ${o.epochs}`, reference: 'baseline' }))}\n${repeatVerdict(full, 'baseline')}\n\n` +
    `Best ${metric} accuracy up to epoch ${o.half}:\n\n${toMarkdown(repeatTable(half, { what: `best ≤ ${o.half}`, reference: 'baseline' }))}\n${repeatVerdict(half, 'baseline')}\n\n` +
    `![Figure 1, mean ± std over ${file.repeats} seeds](figure1-repeats.svg)\n`;
  const columns = ['name', 'n', 'mean', 'std', 'diff', 'se_diff', 't', 'df', 'p', 'beyond_noise', 'within_one_se'].map((key) => ({ key, title: key }));
  const files = [join(dir, 'table1-repeats.md'), join(dir, 'table1-repeats.csv'), join(dir, 'table1-repeats.json'), join(dir, 'figure1-repeats.svg')];
  writeFileAtomic(files[3] as string, figure1Repeats(sweeps.map((x) => x.runs), o));
  writeFileAtomic(files[0] as string, markdown);
  writeFileAtomic(files[1] as string, toCsv({ columns, rows: [...full.map((r) => ({ ...r, name: `${r.name} (best ≤ ${o.epochs})` })), ...half.map((r) => ({ ...r, name: `${r.name} (best ≤ ${o.half})` }))] }, { raw: true }));
  writeFileAtomic(files[2] as string, `${JSON.stringify({ metric: o.metric, epochs: o.epochs, half_epoch: o.half, seeds: file.seeds, sweeps: file.dirs, test: 'two-sided Welch t-test against the baseline, alpha 0.05', full, half }, null, 2)}\n`);
  return { files, markdown, half, full };
}
