// `lnas train`: train a model (the small CNN, or a DARTS genotype: LNAS Variant 1 with --sparsity).
import { stopOnSignals } from '../../train/stop.js';
import { RETRAIN_PRESETS } from '../../experiments/retrain-presets.js';
import { DataSchema } from '../../data/config.js';
import { ModelSchema } from '../../experiments/models.js';
import { OptimSchema, RuntimeSchema } from '../../train/config.js';
import { PruneSchema } from '../../pruning/config.js';
import { runTrain } from '../../experiments/train-job.js';
import { createProgress } from '../../train/progress.js';
import { helpText, parseArgs } from '../args.js';
import { type Command, presetHelp, runsDir } from '../command.js';

const trainSections = { data: DataSchema, model: ModelSchema, optim: OptimSchema, prune: PruneSchema, runtime: RuntimeSchema } as const;

export const trainCommand: Command = {
  sections: trainSections,
  summary: 'train a model (small-cnn) on a dataset; resumable; prints a JSON summary',
  async run(argv) {
    const { config, help } = parseArgs(argv, trainSections, 'train', RETRAIN_PRESETS, undefined, ['prune']);
    if (help) { console.log(helpText('train', `Train a model and report test accuracy. Re-running the same config resumes it.\n--genotype selects --model darts. ${presetHelp(Object.keys(RETRAIN_PRESETS))}`, trainSections, '', ['prune'])); return 0; }
    if (config.model.genotype !== null && config.model.model === 'small-cnn') config.model.model = 'darts';
    const summary = await runTrain(config, { runsDir: runsDir(), progress: createProgress(), signal: stopOnSignals() });
    const { history, ...rest } = summary;
    console.log(JSON.stringify({ ...rest, last_epoch: history[history.length - 1] ?? null }));
    return 0;
  },
};
