// `lnas report` for every kind of run folder: an evolve folder (summary.json of kind 'menas')
// gets the MENAS report, optionally compared with a second evolve folder (the random baseline);
// anything else goes to the command it replaces (the sweep report).
import { helpText } from '../../cli/args.js';
import type { Command } from '../../cli/commands.js';
import { ConfigError } from '../../errors.js';
import { isEvolveFolder } from '../../search/menas/files.js';
import { writeMenasReport } from './index.js';

export function reportDispatch(other: Command): Command {
  return {
    summary: `${other.summary}; for an evolve folder: the MENAS figures, report.html and report.md`,
    async run(argv) {
      const positionals = argv.filter((a) => !a.startsWith('-'));
      const first = positionals[0];
      if (first === undefined || !isEvolveFolder(first)) {
        if (argv.includes('--help') || argv.includes('-h')) {
          console.log(helpText('report', 'For an evolve folder written by `lnas evolve`: `lnas report <runs/evolve-HASH> [<random-search evolve folder>]` ' +
            'writes its SVG figures, report.html, report.md and report.json. For a sweep folder:', {}, '<folder> '));
        }
        return other.run(argv);
      }
      if (positionals.length > 2 || positionals.length !== argv.length) {
        throw new ConfigError('usage: lnas report <evolve folder> [<evolve folder to compare with>]', 'report');
      }
      const second = positionals[1];
      if (second !== undefined && !isEvolveFolder(second)) throw new ConfigError(`${second} is not an evolve folder (no summary.json of kind 'menas')`, 'report');
      const out = writeMenasReport(first, second ?? null);
      console.log(out.markdown);
      console.error(`wrote ${out.files.join(', ')}`);
      return 0;
    },
  };
}
