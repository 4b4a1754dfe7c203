// `lnas darts`: the LNAS baseline, a DARTS search and the retraining of the genotype it finds.
import { stopOnSignals } from '../../train/stop.js';
import { SearchSchema } from '../../search/darts/config.js';
import { runDarts } from '../../experiments/darts-job.js';
import { RETRAIN_PRESETS } from '../../experiments/retrain-presets.js';
import { SEARCH_PRESETS } from '../../search/darts/presets.js';
import { DataSchema } from '../../data/config.js';
import { ModelSchema } from '../../experiments/models.js';
import { OptimSchema, RuntimeSchema } from '../../train/config.js';
import { PruneSchema } from '../../pruning/config.js';
import { createProgress } from '../../train/progress.js';
import { helpText, parseArgs } from '../args.js';
import { type Command, presetHelp, printJson as json, runsDir } from '../command.js';

const dartsSections = { data: DataSchema, search: SearchSchema, model: ModelSchema, optim: OptimSchema, prune: PruneSchema, runtime: RuntimeSchema } as const;
const DARTS_PRESETS = Object.fromEntries(Object.keys(SEARCH_PRESETS).map((k) => [k, { ...RETRAIN_PRESETS[k], ...SEARCH_PRESETS[k], data: { ...RETRAIN_PRESETS[k]?.data, ...SEARCH_PRESETS[k]?.data } }]));

export const dartsCommand: Command = {
  sections: dartsSections,
  summary: 'the LNAS baseline: DARTS search, then retrain the found genotype, with a report',
  async run(argv) {
    const { config, help } = parseArgs(argv, dartsSections, 'darts', DARTS_PRESETS, undefined, ['search', 'prune']);
    if (help) { console.log(helpText('darts', `Search, then retrain the derived genotype. ${presetHelp(Object.keys(DARTS_PRESETS))}`, dartsSections, '', ['search', 'prune'])); return 0; }
    json(await runDarts(config, { runsDir: runsDir(), progress: createProgress(), signal: stopOnSignals() }));
    return 0;
  },
};
