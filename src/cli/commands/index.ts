// The command table. Each command lives in a file of its own here, parses its flags and calls
// library code; nothing below src/cli/ imports from it.
import type { Command } from '../command.js';
import { benchCommand } from './bench.js';
import { dartsCommand } from './darts.js';
import { evolveCommand } from './evolve.js';
import { exportCommand } from './export.js';
import { predictCommand } from './predict.js';
import { reportCommand } from './report.js';
import { schemaCommand, setSchemaCommands } from './schema.js';
import { searchCommand } from './search.js';
import { serveCommand } from './serve.js';
import { sweepCommand } from './sweep.js';
import { ticketBenchCommand } from './ticket-bench.js';
import { trainCommand } from './train.js';
import { trialCommand } from './trial.js';
import { workerCommand } from './worker.js';
import { queueBenchCommand } from './queue-bench.js';

/** The commands `lnas` lists in its usage, in that order. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  train: trainCommand,
  search: searchCommand,
  darts: dartsCommand,
  bench: benchCommand,
  sweep: sweepCommand,
  report: reportCommand,
  evolve: evolveCommand,
  'ticket-bench': ticketBenchCommand,
  serve: serveCommand,
  schema: schemaCommand,
  export: exportCommand,
  predict: predictCommand,
  worker: workerCommand,
  'queue-bench': queueBenchCommand,
};
setSchemaCommands(() => COMMANDS);

/** Run like any other command, but not listed: `lnas __trial <spec.json>` is a pool's worker process. */
export const HIDDEN_COMMANDS: Readonly<Record<string, Command>> = { __trial: trialCommand };
