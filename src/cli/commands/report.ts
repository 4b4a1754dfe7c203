// `lnas report <folder>`: (re)writes the report of a run folder, with the writer its kind needs:
// a sweep folder (sweep.json) gets Table 1, Figure 1 and report.html; an evolve folder
// (summary.json of kind 'menas') gets the MENAS figures, report.html and report.md, optionally
// compared with a second evolve folder (the random baseline). Works mid-run.
import { ConfigError } from '../../errors.js';
import { writeReport } from '../../report/lnas/index.js';
import { writeMenasReport } from '../../report/menas/index.js';
import { writeSweepRepeatsReport } from '../../report/lnas/repeats.js';
import { writeEvolveRepeatsReport } from '../../report/menas/repeats.js';
import { readRepeatsFile } from '../../runs/repeats.js';
import { isEvolveFolder } from '../../search/menas/files.js';
import { writeNb201Report } from '../../report/nb201/search.js';
import { isNb201SearchFolder } from '../../search/nb201/search-job.js';
import { helpText, parseArgs } from '../args.js';
import type { Command } from '../command.js';

const USAGE = 'lnas report <sweep folder> | lnas report <evolve folder> [<evolve folder to compare with>] | lnas report <nb201 search folder>';

export const reportCommand: Command = {
  summary: 'the report of a sweep (Table 1, Figure 1, report.html), an evolution (MENAS figures, report.html/md) or an nb201 search (curve.svg); works mid-run',
  async run(argv) {
    const { help, positionals } = parseArgs(argv, {}, 'report', {}, undefined, [], { positionals: 'any' });
    if (help) {
      console.log(helpText('report', 'For a sweep folder written by `lnas sweep`: writes table1.md/.csv/.json, figure1.svg and report.html into it. ' +
        'For an evolve folder written by `lnas evolve`: writes its SVG figures, report.html, report.md and report.json, compared with a second ' +
        'evolve folder (the random-search baseline) when one is given. For a folder of `lnas search --space nb201`: rewrites report.md and ' +
        'curve.svg (the derived cell\'s table accuracy per epoch) from metrics.jsonl.', {}, '<folder> [<folder>] '));
      return 0;
    }
    const [first, second, ...rest] = positionals;
    if (first === undefined || rest.length > 0) throw new ConfigError(`usage: ${USAGE}`, 'report');
    const repeats = readRepeatsFile(first);
    if (repeats && second === undefined) {
      const out = repeats.kind === 'lnas-sweep-repeats' ? writeSweepRepeatsReport(first) : writeEvolveRepeatsReport(first);
      console.log(out.markdown);
      console.error(`wrote ${out.files.join(', ')}`);
      return 0;
    }
    if (isEvolveFolder(first)) {
      if (second !== undefined && !isEvolveFolder(second)) throw new ConfigError(`${second} is not an evolve folder (no summary.json of kind 'menas')`, 'report');
      const out = writeMenasReport(first, second ?? null);
      console.log(out.markdown);
      console.error(`wrote ${out.files.join(', ')}`);
      return 0;
    }
    if (second === undefined && isNb201SearchFolder(first)) {
      const out = writeNb201Report(first);
      console.log(out.markdown);
      console.error(`wrote ${out.files.join(', ')}`);
      return 0;
    }
    if (second !== undefined) throw new ConfigError(`only an evolve folder is compared with a second one; usage: ${USAGE}`, 'report');
    const out = writeReport(first);
    console.log(out.markdown);
    console.error(`wrote ${out.files.join(', ')}`);
    return 0;
  },
};
