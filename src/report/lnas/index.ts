// `lnas report <sweep folder>`: Table 1 (Markdown, CSV, JSON), Figure 1 (SVG) and one HTML page,
// written into the sweep folder. Works on a sweep that is still running (missing runs are blank).
import { sweepPaths } from '../../experiments/sweep-file.js';
import { writeFileAtomic } from '../../util/fs.js';
import { toCsv, toJson, toMarkdown } from '../table.js';
import { figure1 } from './figure1.js';
import { loadSweep } from './load.js';
import { reportPage } from './page.js';
import { type Table1Row, table1, table1Caption, table1Raw, table1Rows } from './table1.js';

export { bestUpTo, table1Rows, type Table1Row } from './table1.js';
export { loadSweep, type RunData } from './load.js';

export interface ReportOutput { files: string[]; rows: Table1Row[]; markdown: string }

export function writeReport(dir: string): ReportOutput {
  const s = loadSweep(dir);
  const o = { epochs: s.file.epochs, half: s.file.half, metric: s.file.metric, ...(s.file.dense_until === undefined ? {} : { denseUntil: s.file.dense_until }) };
  const rows = table1Rows(s.runs, o);
  const paths = sweepPaths(dir);
  const markdown = `${toMarkdown(table1(rows, o, 'bold'))}\n${table1Caption(o, 'bold')}\n`;
  const figure = figure1(s.runs, o);
  writeFileAtomic(paths.table('md'), markdown);
  writeFileAtomic(paths.table('csv'), toCsv(table1Raw(rows), { raw: true }));
  writeFileAtomic(paths.table('json'), toJson(table1Raw(rows)));
  writeFileAtomic(paths.figure, figure);
  writeFileAtomic(paths.html, reportPage(s, { table: table1(rows, o, 'star'), caption: table1Caption(o, 'star'), figure }));
  return { files: [paths.table('md'), paths.table('csv'), paths.table('json'), paths.figure, paths.html], rows, markdown };
}
