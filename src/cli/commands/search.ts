// `lnas search`: a DARTS search (LNAS Variant 2 with --alpha-sparsity).
import { stopOnSignals } from '../../train/stop.js';
import { defaults } from '../../config/schema.js';
import { SearchSchema } from '../../search/darts/config.js';
import { SEARCH_PRESETS } from '../../search/darts/presets.js';
import { SEARCH_UNUSED_DATA, runSearch } from '../../search/darts/search-job.js';
import { DataSchema } from '../../data/config.js';
import { RuntimeSchema } from '../../train/config.js';
import { createProgress } from '../../train/progress.js';
import { helpText, parseArgs } from '../args.js';
import { type Command, presetHelp, printJson as json, runsDir } from '../command.js';

type Unused = (typeof SEARCH_UNUSED_DATA)[number];
/** Only the data options a search reads: the others would be accepted and ignored. */
const SearchDataSchema = Object.fromEntries(Object.entries(DataSchema).filter(([k]) => !(SEARCH_UNUSED_DATA as readonly string[]).includes(k))) as
  Omit<typeof DataSchema, Unused>;
const searchSections = { data: SearchDataSchema, search: SearchSchema, runtime: RuntimeSchema } as const;

const SUMMARY = 'Search a DARTS cell. Re-running the same config resumes it. The search batches with --batch-size, augments as DARTS does ' +
  '(pad-4 crop, flip) and splits its validation half from the training images (--train-portion), so the retraining\'s data options ' +
  `(--crop, --flip, --cutout, --val-size, ...) belong to \`lnas darts\` or \`lnas train\`. ${presetHelp(Object.keys(SEARCH_PRESETS))}`;

export const searchCommand: Command = {
  sections: searchSections,
  summary: 'DARTS search (first or second order; --alpha-sparsity for LNAS Variant 2); writes the genotype',
  async run(argv) {
    const { config, help } = parseArgs(argv, searchSections, 'search', SEARCH_PRESETS);
    if (help) { console.log(helpText('search', SUMMARY, searchSections)); return 0; }
    const job = { ...config, data: { ...defaults(DataSchema), ...config.data } };
    const { history, ...summary } = await runSearch(job, { runsDir: runsDir(), progress: createProgress(), signal: stopOnSignals() });
    json({ ...summary, epochs_run: history.length });
    return 0;
  },
};
