// The contract between a search space (NAS-Bench-201 cells, MobileNetV3 blocks, ...) and the
// search strategies. Genomes are flat records of labelled choices so that they serialise to JSON
// as they are, diff readably in snapshots, and a ConfigError can name the offending label.

import type { Rng } from '../util/rng.js';

export type GeneValue = number | string | boolean;
export type Genome = Readonly<Record<string, GeneValue>>;

export interface SearchSpace<G extends Genome = Genome> {
  /** Stable name; stored in snapshots so a snapshot is not restored into another space. */
  readonly name: string;
  /** A uniformly random genome (before any cost constraint: the engine rejection-samples). */
  sample(rng: Rng): G;
  /** A copy in which each element is changed, with probability `p`, to a different choice. */
  mutate(genome: G, p: number, rng: Rng): G;
  /** Two children that each take every element from one parent and together use both. */
  crossover(a: G, b: G, rng: Rng): [G, G];
  /** The genome as G, or a ConfigError whose `path` is the offending label. */
  validate(genome: unknown): G;
  /** Canonical string: equal keys <=> same architecture; used to never evaluate twice. */
  key(genome: G): string;
  /** Optional cost (e.g. MFLOPs) for a constraint; without it a constraint is a ConfigError. */
  cost?(genome: G): number;
  /**
   * Optional extra constraint checked after the cost (e.g. a measured latency budget): genomes it
   * rejects are never proposed. Not part of snapshots; pass the same predicate when restoring.
   */
  feasible?(genome: G): boolean;
}

/**
 * What an evaluation reports. `fitness` is maximised; everything else is kept in the history
 * and in snapshots, so it must be plain JSON data.
 */
export interface EvalResult<G extends Genome = Genome> {
  readonly fitness: number;
  /**
   * The population member that stands for this trial from now on (default: the evaluated genome),
   * e.g. the pruned "lottery ticket" of the trained candidate (MENAS). Parents are drawn from members.
   */
  readonly member?: G;
  readonly [extra: string]: unknown;
}

export type Evaluate<G extends Genome = Genome> = (genome: G) => Promise<EvalResult<G>>;

/** Inclusive bounds on `space.cost(genome)`; either end may be left open. */
export interface CostConstraint {
  readonly maxCost?: number;
  readonly minCost?: number;
}
