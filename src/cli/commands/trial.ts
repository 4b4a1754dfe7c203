// `lnas __trial <spec.json>` (hidden): the worker process of a pool (src/workers/pool.ts).
import { ConfigError } from '../../errors.js';
import { runTrialFile } from '../../workers/trial.js';
import type { Command } from '../command.js';

export const trialCommand: Command = {
  summary: '(internal) run one trial of a worker pool',
  async run(argv) {
    const [spec, ...rest] = argv;
    if (spec === undefined || rest.length > 0) throw new ConfigError('usage: lnas __trial <spec.json> (started by a worker pool)', 'trial');
    return runTrialFile(spec);
  },
};
