// The command table. Each command parses its flags and calls library code.
import { join } from 'node:path';
import { SearchSchema } from '../search/darts/config.js';
import { runDarts } from '../search/darts/darts-job.js';
import { RETRAIN_PRESETS, SEARCH_PRESETS } from '../search/darts/presets.js';
import { runSearch } from '../search/darts/search-job.js';
import { DataSchema, ModelSchema, OptimSchema, PruneSchema, RuntimeSchema } from '../train/config.js';
import { runTrain } from '../train/job.js';
import { createProgress } from '../train/progress.js';
import { helpText, parseArgs } from './args.js';
import { benchCommand } from './bench.js';
import { sweepCommand, trialCommand } from '../experiments/sweep-command.js';
import { reportCommand } from '../report/lnas/command.js';
import { evolveCommand, ticketBenchCommand } from '../search/menas/command.js';
import { reportDispatch } from '../report/menas/command.js';

export interface Command { summary: string; run(argv: string[]): Promise<number> }

export const runsDir = () => process.env.LNAS_RUNS_DIR ?? join(process.cwd(), 'runs');

const trainSections = { data: DataSchema, model: ModelSchema, optim: OptimSchema, prune: PruneSchema, runtime: RuntimeSchema } as const;
const searchSections = { data: DataSchema, search: SearchSchema, runtime: RuntimeSchema } as const;
const dartsSections = { data: DataSchema, search: SearchSchema, model: ModelSchema, optim: OptimSchema, prune: PruneSchema, runtime: RuntimeSchema } as const;
const DARTS_PRESETS = Object.fromEntries(Object.keys(SEARCH_PRESETS).map((k) => [k, { ...RETRAIN_PRESETS[k], ...SEARCH_PRESETS[k], data: { ...RETRAIN_PRESETS[k]?.data, ...SEARCH_PRESETS[k]?.data } }]));
const presetHelp = (names: string[]) => `Presets: ${names.join(', ')} (quick: minutes on a CPU with real data; paper: the LNAS seed's settings, for a GPU).`;
const json = (v: unknown) => console.log(JSON.stringify(v));

export const COMMANDS: Record<string, Command> = {
  train: {
    summary: 'train a model (small-cnn) on a dataset; resumable; prints a JSON summary',
    async run(argv) {
      const { config, help } = parseArgs(argv, trainSections, 'train', RETRAIN_PRESETS, undefined, ['prune']);
      if (help) { console.log(helpText('train', `Train a model and report test accuracy. Re-running the same config resumes it.\n--genotype selects --model darts. ${presetHelp(Object.keys(RETRAIN_PRESETS))}`, trainSections, '', ['prune'])); return 0; }
      if (config.model.genotype !== null && config.model.model === 'small-cnn') config.model.model = 'darts';
      const summary = await runTrain(config, { runsDir: runsDir(), progress: createProgress() });
      const { history, ...rest } = summary;
      console.log(JSON.stringify({ ...rest, last_epoch: history[history.length - 1] ?? null }));
      return 0;
    },
  },
  search: {
    summary: 'DARTS search (first or second order; --alpha-sparsity for LNAS Variant 2); writes the genotype',
    async run(argv) {
      const { config, help } = parseArgs(argv, searchSections, 'search', SEARCH_PRESETS, undefined, ['data']);
      if (help) { console.log(helpText('search', `Search a DARTS cell. Re-running the same config resumes it. ${presetHelp(Object.keys(SEARCH_PRESETS))}`, searchSections, '', ['data'])); return 0; }
      const { history, ...summary } = await runSearch(config, { runsDir: runsDir(), progress: createProgress() });
      json({ ...summary, epochs_run: history.length });
      return 0;
    },
  },
  darts: {
    summary: 'the LNAS baseline: DARTS search, then retrain the found genotype, with a report',
    async run(argv) {
      const { config, help } = parseArgs(argv, dartsSections, 'darts', DARTS_PRESETS, undefined, ['search', 'prune']);
      if (help) { console.log(helpText('darts', `Search, then retrain the derived genotype. ${presetHelp(Object.keys(DARTS_PRESETS))}`, dartsSections, '', ['search', 'prune'])); return 0; }
      json(await runDarts(config, { runsDir: runsDir(), progress: createProgress() }));
      return 0;
    },
  },
  bench: benchCommand,
  sweep: sweepCommand(runsDir),
  report: reportDispatch(reportCommand),
  evolve: evolveCommand(runsDir),
  'ticket-bench': ticketBenchCommand,
};
// Hidden (not in the usage list): the worker process of a pool (src/experiments/pool.ts).
Object.defineProperty(COMMANDS, '__trial', { value: trialCommand, enumerable: false });
