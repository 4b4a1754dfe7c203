// LNAS Variant 1's options: lottery-ticket magnitude pruning while retraining.
import { int, num, oneOf, type ConfigOf } from '../config/schema.js';

/** LNAS Variant 1: lottery-ticket magnitude pruning while retraining (sparsity 0: off). */
export const PruneSchema = {
  sparsity: num('fraction of conv/linear weights pruned by the end (0: dense training)', 0, { min: 0, max: 0.999 }),
  schedule: oneOf('one-shot: prune to the sparsity once at --prune-at (the seed\'s experiment); iterative: n rounds of k epochs', ['one-shot', 'iterative'], 'one-shot'),
  pruneAt: int('one-shot: epoch (0-based count of finished epochs) at which to prune (0: half of the epochs)', 0, { min: 0 }),
  rounds: int('iterative: pruning rounds n; each keeps (1-p)^(1/n) of the surviving weights', 3, { min: 1, max: 100 }),
  epochsPerRound: int('iterative: epochs k of training before each round (and after the last)', 1, { min: 1 }),
  scope: oneOf('rank weight magnitudes across all layers or within each layer', ['global', 'layer'], 'global'),
  rewind: int('rewind surviving weights to their values after this many epochs (0: to θ0, the initial weights)', 0, { min: 0 }),
} as const;

export type PruneConfig = ConfigOf<typeof PruneSchema>;
