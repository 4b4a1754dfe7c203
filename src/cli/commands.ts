// The command table. Each command parses its flags and calls library code.
import { join } from 'node:path';
import { DataSchema, ModelSchema, OptimSchema, RuntimeSchema } from '../train/config.js';
import { runTrain } from '../train/job.js';
import { createProgress } from '../train/progress.js';
import { helpText, parseArgs } from './args.js';
import { benchCommand } from './bench.js';

export interface Command { summary: string; run(argv: string[]): Promise<number> }

export const runsDir = () => process.env.LNAS_RUNS_DIR ?? join(process.cwd(), 'runs');

const trainSections = { data: DataSchema, model: ModelSchema, optim: OptimSchema, runtime: RuntimeSchema } as const;

export const COMMANDS: Record<string, Command> = {
  train: {
    summary: 'train a model (small-cnn) on a dataset; resumable; prints a JSON summary',
    async run(argv) {
      const { config, help } = parseArgs(argv, trainSections, 'train');
      if (help) { console.log(helpText('train', 'Train a model and report test accuracy. Re-running the same config resumes it.', trainSections)); return 0; }
      const summary = await runTrain(config, { runsDir: runsDir(), progress: createProgress() });
      const { history, ...rest } = summary;
      console.log(JSON.stringify({ ...rest, last_epoch: history[history.length - 1] ?? null }));
      return 0;
    },
  },
  bench: benchCommand,
};
