// `lnas search`: a DARTS search (LNAS Variant 2 with --alpha-sparsity); --space nb201 searches
// the NAS-Bench-201 cell and judges each epoch's derived cell by table lookup.
import { stopOnSignals } from '../../train/stop.js';
import { defaults } from '../../config/schema.js';
import { SearchSchema } from '../../search/darts/config.js';
import { SEARCH_PRESETS } from '../../search/darts/presets.js';
import { SEARCH_UNUSED_DATA, runSearch } from '../../search/darts/search-job.js';
import { NB201_SEARCH_PRESETS } from '../../search/nb201/presets.js';
import { runNb201Search } from '../../search/nb201/search-job.js';
import { writeNb201Report } from '../../report/nb201/search.js';
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
const PRESETS = { ...SEARCH_PRESETS, ...NB201_SEARCH_PRESETS };

const SUMMARY = 'Search a DARTS cell. Re-running the same config resumes it. The search batches with --batch-size, augments as DARTS does ' +
  '(pad-4 crop, flip) and splits its validation half from the training images (--train-portion), so the retraining\'s data options ' +
  '(--crop, --flip, --cutout, --val-size, ...) belong to `lnas darts` or `lnas train`. With --space nb201 it searches the NAS-Bench-201 cell ' +
  '(3 stages of --cells-per-stage cells) and looks each epoch\'s derived cell up in <data dir>/nasbench201/nb201_full.csv. ' +
  `${presetHelp(Object.keys(PRESETS))}`;

export const searchCommand: Command = {
  sections: searchSections,
  summary: 'DARTS search (first or second order; --alpha-sparsity for LNAS Variant 2; --space nb201 judged by table lookup)',
  async run(argv) {
    const { config, help } = parseArgs(argv, searchSections, 'search', PRESETS);
    if (help) { console.log(helpText('search', SUMMARY, searchSections)); return 0; }
    const job = { ...config, data: { ...defaults(DataSchema), ...config.data } };
    const o = { runsDir: runsDir(), progress: createProgress(), signal: stopOnSignals() };
    const { history, ...summary } = job.search.space === 'nb201' ? await runNb201Search(job, o) : await runSearch(job, o);
    if (job.search.space === 'nb201') writeNb201Report(summary.run_dir);
    json({ ...summary, epochs_run: history.length });
    return 0;
  },
};
