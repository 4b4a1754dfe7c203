// Plain-data types shared by the strategies. Everything in a snapshot is JSON as it stands,
// so a snapshot can be written after every evaluation and read back by a fresh process.

import type { RngState } from '../../util/rng.js';
import type { CostConstraint, EvalResult, Genome } from '../../spaces/space.js';

export const STRATEGIES = ['evolution', 'rea', 'random'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** A genome handed out for evaluation. Ids are consecutive from 0 in proposal order. */
export interface Proposal<G extends Genome = Genome> {
  readonly id: number;
  /** MENAS: generation index; REA: lineage depth (0 = initial population); random: 0. */
  readonly generation: number;
  readonly genome: G;
}

export interface HistoryEntry<G extends Genome = Genome> extends Proposal<G> {
  readonly fitness: number;
  /** The genome that represents this trial as a parent (the lottery ticket, or `genome`). */
  readonly member: G;
  readonly result: EvalResult<G>;
}

/** Options every strategy takes. */
export interface EngineOptions {
  /** Maximum number of distinct genomes evaluated. */
  readonly budget: number;
  readonly seed: number;
  /** Evaluations in flight at once; results stay deterministic for any value. */
  readonly concurrency?: number;
  readonly constraint?: CostConstraint;
  /** Rejection-sampling draws per wanted candidate before giving up on that route. */
  readonly maxAttempts?: number;
}

export interface ResolvedEngineOptions {
  readonly budget: number;
  readonly seed: number;
  readonly concurrency: number;
  readonly constraint: CostConstraint | null;
  readonly maxAttempts: number;
}

export interface EngineSnapshot<G extends Genome = Genome> {
  readonly format: 'lnas-search-snapshot';
  readonly version: 1;
  readonly strategy: StrategyName;
  readonly space: string;
  readonly options: ResolvedEngineOptions;
  readonly params: Readonly<Record<string, number | null>>;
  readonly rng: RngState;
  readonly nextId: number;
  /** Finished evaluations in the order they finished. */
  readonly history: readonly HistoryEntry<G>[];
  /** Handed out but not finished: re-evaluated first after a restore. */
  readonly pending: readonly Proposal<G>[];
  readonly finished: boolean;
  /** Strategy-specific state (e.g. the rest of the current generation). */
  readonly state: unknown;
}
