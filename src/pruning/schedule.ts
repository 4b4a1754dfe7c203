// When to prune and how much. Targets are absolute: after round r of n the density is
// (1-p)^(r/n) of all covered weights, and exactly 1-p after the last round, so per-round
// rounding never accumulates (pruning (1-p)^(1/n) of the survivors each round would drift).
import { ConfigError } from '../errors.js';

/**
 * one-shot: the LNAS seed experiment. `epochs` in all; at the start of epoch `pruneAt` (0-based,
 *   e.g. 10 of 20) prune to `sparsity` once, rewind, and keep training.
 * iterative: the algorithm as written. Train `epochsPerRound` epochs dense; then `rounds` times:
 *   prune, rewind, train `epochsPerRound` epochs. The last round's training lasts `finalEpochs`
 *   (default `epochsPerRound`). Round r prunes at the start of epoch r * epochsPerRound.
 * spread: `rounds` rounds spread evenly over `epochs` of training that continues through them (LNAS
 *   Variant 2's α pruning during the search): round r (1-based) prunes at the start of epoch
 *   ceil(r * epochs / rounds), the last one after the final epoch.
 */
export type PruningSchedule =
  | { kind: 'one-shot'; sparsity: number; epochs: number; pruneAt: number }
  | { kind: 'iterative'; sparsity: number; rounds: number; epochsPerRound: number; finalEpochs?: number }
  | { kind: 'spread'; sparsity: number; rounds: number; epochs: number };

const posInt = (v: number, path: string, min = 1) => {
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`${path} must be an integer >= ${min}, got ${v}`, path);
};

/** Throws a ConfigError (path `pruning.<field>`) for an impossible schedule. */
export function checkSchedule(s: PruningSchedule): void {
  if (!Number.isFinite(s.sparsity) || s.sparsity < 0 || s.sparsity >= 1) {
    throw new ConfigError(`pruning.sparsity must be in [0, 1) (the fraction of weights removed), got ${s.sparsity}`, 'pruning.sparsity');
  }
  if (s.kind === 'one-shot') {
    posInt(s.epochs, 'pruning.epochs');
    posInt(s.pruneAt, 'pruning.pruneAt', 0);
    if (s.pruneAt >= s.epochs) throw new ConfigError(`pruning.pruneAt (${s.pruneAt}) must be below pruning.epochs (${s.epochs}) so the pruned network trains`, 'pruning.pruneAt');
  } else if (s.kind === 'spread') {
    posInt(s.rounds, 'pruning.rounds');
    posInt(s.epochs, 'pruning.epochs');
  } else {
    posInt(s.rounds, 'pruning.rounds');
    posInt(s.epochsPerRound, 'pruning.epochsPerRound');
    if (s.finalEpochs !== undefined) posInt(s.finalEpochs, 'pruning.finalEpochs');
  }
}

export function roundsOf(s: PruningSchedule): number {
  return s.kind === 'one-shot' ? 1 : s.rounds;
}

/** Epochs fit() must run for the whole schedule. */
export function totalEpochs(s: PruningSchedule): number {
  return s.kind === 'iterative' ? s.rounds * s.epochsPerRound + (s.finalEpochs ?? s.epochsPerRound) : s.epochs;
}

/** The 0-based epoch at whose start each round prunes, in order. */
export function pruneEpochs(s: PruningSchedule): number[] {
  if (s.kind === 'one-shot') return [s.pruneAt];
  if (s.kind === 'spread') return Array.from({ length: s.rounds }, (_, i) => Math.ceil(((i + 1) * s.epochs) / s.rounds));
  return Array.from({ length: s.rounds }, (_, i) => (i + 1) * s.epochsPerRound);
}

/** Fraction of covered weights kept after `round` rounds (0 = dense); exactly 1-p after the last. */
export function densityAfterRound(s: PruningSchedule, round: number): number {
  const n = roundsOf(s);
  if (!Number.isInteger(round) || round < 0 || round > n) throw new RangeError(`round ${round} is outside 0..${n}`);
  if (round === n) return 1 - s.sparsity;
  return (1 - s.sparsity) ** (round / n);
}

/** Weights kept out of `total` after `round` rounds: round(total * density), never accumulated. */
export function keptAfterRound(s: PruningSchedule, total: number, round: number): number {
  return Math.round(total * densityAfterRound(s, round));
}
