// The report of `lnas evolve --repeats N` (a runs/evolves-<hash> folder): the best lottery
// ticket's held-out accuracy (and the final retraining's test accuracy when there is one) as
// mean ± std over the seeds, evolution against its random baseline with a two-sided Welch test.
import { join } from 'node:path';
import { LnasError } from '../../errors.js';
import { readRepeatsFile } from '../../runs/repeats.js';
import { readRunJson } from '../../runs/paths.js';
import type { EvolveSummary } from '../../search/menas/files.js';
import { writeFileAtomic } from '../../util/fs.js';
import { type RepeatRow, repeatRows, repeatTable, repeatVerdict } from '../repeats.js';
import { toMarkdown } from '../table.js';

export interface EvolveRepeatsReport { files: string[]; markdown: string; rows: RepeatRow[] }

export function writeEvolveRepeatsReport(dir: string): EvolveRepeatsReport {
  const file = readRepeatsFile(dir);
  if (!file || file.kind !== 'menas-repeats') throw new LnasError('LNAS_NOT_AN_EVOLVE', `${dir} is not an evolve repeats folder (no repeats.json)`, { path: dir });
  const summaries = (dirs: readonly string[]) => dirs.map((d) => readRunJson<EvolveSummary>(join(d, 'summary.json'), 'the summary of an evolution'));
  const main = summaries(file.dirs);
  const other = summaries(file.compare ?? []);
  const values = (s: EvolveSummary[]) => s.map((x) => x.best?.ticket_acc).filter((v): v is number => typeof v === 'number');
  const strategy = main[0]?.strategy ?? 'evolution';
  const groups = [{ name: strategy, label: `${strategy} (best ticket)`, values: values(main) }];
  if (other.length > 0) groups.push({ name: 'random', label: 'random search (best ticket)', values: values(other) });
  const rows = repeatRows(groups, 'random');
  const markdown = `Best lottery ticket's held-out accuracy over ${file.repeats} seeds (${file.seeds.join(', ')}):\n\n` +
    `${toMarkdown(repeatTable(rows, { what: 'best ticket', reference: 'random search' }))}\n${other.length > 0 ? repeatVerdict(rows, 'random search') : 'No random baseline (use --compare-random).'}\n`;
  const files = [join(dir, 'repeats.md'), join(dir, 'repeats-summary.json')];
  writeFileAtomic(files[0] as string, markdown);
  writeFileAtomic(files[1] as string, `${JSON.stringify({ seeds: file.seeds, runs: file.dirs, compare: file.compare ?? [], test: 'two-sided Welch t-test, evolution against random search, alpha 0.05', rows }, null, 2)}\n`);
  return { files, markdown, rows };
}
