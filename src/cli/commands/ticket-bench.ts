// `lnas ticket-bench`: the measurements behind MENAS on one trained candidate.
import { int, num } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import { SpaceSchema, TicketSchema } from '../../search/menas/config.js';
import { measureTickets } from '../../search/menas/measure.js';
import { EVOLVE_PRESETS } from '../../search/menas/presets.js';
import { DataSchema } from '../../data/config.js';
import { OptimSchema, RuntimeSchema } from '../../train/config.js';
import { createProgress } from '../../train/progress.js';
import { helpText, parseArgs } from '../args.js';
import type { Command } from '../command.js';

const BenchSchema = {
  maxMmacs: num('draw the candidate below this many MMACs (0: any)', 30, { min: 0 }),
  draw: int('measure the n-th seeded draw under the budget (0: the first)', 0, { min: 0 }),
  timingSteps: int('training steps timed per network and round for the ticket speed-up', 15, { min: 1 }),
  syntheticSize: int('image side of --dataset synthetic', 32, { min: 4, max: 256 }),
} as const;
const benchSections = { bench: BenchSchema, space: SpaceSchema, ticket: TicketSchema, data: DataSchema, optim: OptimSchema, runtime: RuntimeSchema } as const;

export const ticketBenchCommand: Command = {
  sections: benchSections,
  summary: 'measure MENAS\' premises on one trained candidate: BN re-calibration effect, exploration vs. epoch time, ticket speed-up',
  async run(argv) {
    const { config: c, help, positionals } = parseArgs(argv, benchSections, 'ticket-bench', EVOLVE_PRESETS, 'quick');
    if (help) {
      console.log(helpText('ticket-bench', 'Train one candidate as `lnas evolve` would (same presets), explore its K tickets and report, as JSON: ' +
        'each ticket\'s accuracy with inherited vs. re-calibrated BatchNorm statistics, the exploration time against a training epoch, ' +
        'the training step time of the candidate and of two pruned networks against their FLOPs, and the whole trial\'s time.', benchSections));
      return 0;
    }
    if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}" for \`lnas ticket-bench\``, 'ticket-bench');
    if (c.data.valSize <= 0) throw new ConfigError('tickets are scored on held-out images: set --val-size', 'data.valSize');
    const r = await measureTickets({
      data: c.data, syntheticSize: c.bench.syntheticSize, space: c.space, maxMmacs: c.bench.maxMmacs > 0 ? c.bench.maxMmacs : null,
      optim: c.optim, ticket: c.ticket, runtime: { ...c.runtime, threads: c.runtime.threads || 1 }, timingSteps: c.bench.timingSteps, draw: c.bench.draw,
      progress: createProgress(),
    });
    console.log(JSON.stringify(r, null, 2));
    return 0;
  },
};
