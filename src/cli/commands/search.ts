// `lnas search`: a DARTS search (LNAS Variant 2 with --alpha-sparsity).
import { SearchSchema } from '../../search/darts/config.js';
import { SEARCH_PRESETS } from '../../search/darts/presets.js';
import { runSearch } from '../../search/darts/search-job.js';
import { DataSchema, RuntimeSchema } from '../../train/config.js';
import { createProgress } from '../../train/progress.js';
import { helpText, parseArgs } from '../args.js';
import { type Command, presetHelp, printJson as json, runsDir } from '../command.js';

const searchSections = { data: DataSchema, search: SearchSchema, runtime: RuntimeSchema } as const;

export const searchCommand: Command = {
  summary: 'DARTS search (first or second order; --alpha-sparsity for LNAS Variant 2); writes the genotype',
  async run(argv) {
    const { config, help } = parseArgs(argv, searchSections, 'search', SEARCH_PRESETS, undefined, ['data']);
    if (help) { console.log(helpText('search', `Search a DARTS cell. Re-running the same config resumes it. ${presetHelp(Object.keys(SEARCH_PRESETS))}`, searchSections, '', ['data'])); return 0; }
    const { history, ...summary } = await runSearch(config, { runsDir: runsDir(), progress: createProgress() });
    json({ ...summary, epochs_run: history.length });
    return 0;
  },
};
