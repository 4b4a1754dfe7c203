// `lnas report <sweep folder>`: (re)writes Table 1, Figure 1 and the HTML page of a sweep.
import { helpText, parseArgs } from '../../cli/args.js';
import type { Command } from '../../cli/commands.js';
import { ConfigError } from '../../errors.js';
import { writeReport } from './index.js';

export const reportCommand: Command = {
  summary: 'Table 1 (md/csv/json), Figure 1 (svg) and report.html of a sweep folder (works mid-sweep)',
  async run(argv) {
    const { help, positionals } = parseArgs(argv, {}, 'report', {}, undefined, [], { positionals: 'any' });
    if (help) {
      console.log(helpText('report', 'Write table1.md/.csv/.json, figure1.svg and report.html into a sweep folder written by `lnas sweep`.', {}, '<runs/sweep-HASH> '));
      return 0;
    }
    if (positionals.length !== 1) throw new ConfigError('usage: lnas report <sweep folder>, e.g. lnas report runs/sweep-0123456789ab', 'report');
    const out = writeReport(positionals[0] as string);
    console.log(out.markdown);
    console.error(`wrote ${out.files.join(', ')}`);
    return 0;
  },
};
