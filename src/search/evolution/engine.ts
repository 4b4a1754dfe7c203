// Bookkeeping common to every strategy: ids, the budget, never proposing a genome twice, the
// cost constraint, results, and snapshot/restore. Strategies only decide what to propose next.
//
// The engine is an ask/tell state machine so that a driver can run evaluations in parallel (in
// worker processes later) and snapshot after each result; proposals depend only on which results
// are in, never on the order they arrived, so a restored engine continues identically.

import { ConfigError, LnasError } from '../../errors.js';
import { Rng } from '../../util/rng.js';
import { checkFinite, checkInt } from './checks.js';
import type { EvalResult, Genome, SearchSpace } from '../../spaces/space.js';
import type { EngineOptions, EngineSnapshot, HistoryEntry, Proposal, ResolvedEngineOptions, StrategyName } from './types.js';

export type Next<G extends Genome> = { readonly genome: G; readonly generation: number } | 'wait' | 'done';

export abstract class SearchEngine<G extends Genome = Genome> {
  abstract readonly strategy: StrategyName;
  readonly space: SearchSpace<G>;
  readonly options: ResolvedEngineOptions;
  protected readonly rng: Rng;
  private readonly entries: HistoryEntry<G>[] = [];
  private readonly byId = new Map<number, HistoryEntry<G>>();
  private readonly pendingById = new Map<number, Proposal<G>>();
  private relaunch: Proposal<G>[] = [];
  private readonly seen = new Set<string>();
  private nextId = 0;
  private finished = false;

  protected constructor(space: SearchSpace<G>, options: EngineOptions) {
    this.space = space;
    const c = options.constraint;
    if (c !== undefined) {
      if (c.maxCost !== undefined) checkFinite(c.maxCost, 'constraint.maxCost');
      if (c.minCost !== undefined) checkFinite(c.minCost, 'constraint.minCost');
      if (!space.cost) throw new ConfigError(`space '${space.name}' has no cost model; remove the cost constraint`, 'constraint');
    }
    this.options = {
      budget: checkInt(options.budget, 'budget', 1),
      seed: checkInt(options.seed, 'seed', 0),
      concurrency: checkInt(options.concurrency ?? 1, 'concurrency', 1),
      constraint: c === undefined ? null : { ...c },
      maxAttempts: checkInt(options.maxAttempts ?? 10_000, 'maxAttempts', 1),
    };
    this.rng = new Rng(this.options.seed);
  }

  /** The next genome to evaluate, 'wait' until more results are told, or 'done'. */
  ask(): Proposal<G> | 'wait' | 'done' {
    const again = this.relaunch.shift();
    if (again) return again;
    if (this.finished || this.remaining() <= 0) return this.finish();
    const next = this.propose();
    if (next === 'done') return this.finish();
    if (next === 'wait') return 'wait';
    const proposal: Proposal<G> = { id: this.nextId++, generation: next.generation, genome: next.genome };
    this.reserve(next.genome);
    this.pendingById.set(proposal.id, proposal);
    return proposal;
  }

  /** Records the result of proposal `id`. */
  tell(id: number, result: EvalResult<G>): HistoryEntry<G> {
    const proposal = this.pendingById.get(id);
    if (!proposal) throw new LnasError('LNAS_SEARCH_STATE', `no evaluation with id ${id} is pending; each proposal is told exactly once`);
    if (typeof result?.fitness !== 'number' || !Number.isFinite(result.fitness)) {
      throw new LnasError('LNAS_EVAL_RESULT',
        `evaluate() returned fitness ${String(result?.fitness)} for genome ${this.space.key(proposal.genome)}; ` +
        'return a finite number (e.g. 0 for a diverged trial)');
    }
    const member = result.member === undefined ? proposal.genome : this.space.validate(result.member);
    // + 0 turns -0 into 0, as a JSON round trip would: live and restored engines must agree.
    const entry: HistoryEntry<G> = { ...proposal, fitness: result.fitness + 0, member, result: { ...result } };
    this.pendingById.delete(id);
    this.reserve(member);
    this.addEntry(entry);
    return entry;
  }

  get history(): readonly HistoryEntry<G>[] { return this.entries; }
  get pending(): readonly Proposal<G>[] { return [...this.pendingById.values()].sort((a, b) => a.id - b.id); }
  /** True once nothing more will be proposed and nothing is in flight. */
  get done(): boolean { return this.pendingById.size === 0 && (this.finished || this.remaining() <= 0); }

  /** The best finished evaluation (highest fitness, earliest on ties). */
  best(): HistoryEntry<G> | undefined {
    let best: HistoryEntry<G> | undefined;
    for (const e of this.entries) if (!best || better(e, best)) best = e;
    return best;
  }

  snapshot(): EngineSnapshot<G> {
    return JSON.parse(JSON.stringify({
      format: 'lnas-search-snapshot', version: 1, strategy: this.strategy, space: this.space.name,
      options: this.options, params: this.params(), rng: this.rng.getState(), nextId: this.nextId,
      history: this.entries, pending: this.pending, finished: this.finished, state: this.strategyState(),
    })) as EngineSnapshot<G>;
  }

  /** Loads a checked snapshot (see snapshot.ts) into a freshly constructed engine. */
  load(snap: EngineSnapshot<G>): void {
    if (this.nextId !== 0) throw new LnasError('LNAS_SEARCH_STATE', 'restore into a fresh engine, not one that has already run');
    this.rng.setState(snap.rng);
    this.nextId = snap.nextId;
    this.finished = snap.finished;
    for (const e of snap.history) { this.reserve(e.genome); this.reserve(e.member); this.addEntry(e); }
    for (const p of snap.pending) { this.reserve(p.genome); this.pendingById.set(p.id, p); }
    this.relaunch = [...this.pending];
    this.loadState(snap.state);
    for (const g of this.reservedByStrategy()) this.reserve(g);
  }

  // ---- for strategies ----
  protected abstract propose(): Next<G>;
  protected abstract params(): Record<string, number | null>;
  protected strategyState(): unknown { return null; }
  protected loadState(_state: unknown): void {}
  /** Genomes the strategy holds for later proposal (they count as seen). */
  protected reservedByStrategy(): Iterable<G> { return []; }
  protected onEntry(_entry: HistoryEntry<G>): void {}

  protected get proposalCount(): number { return this.nextId; }
  protected get pendingCount(): number { return this.pendingById.size; }
  protected entry(id: number): HistoryEntry<G> | undefined { return this.byId.get(id); }
  /** Evaluations the budget still allows beyond those finished or in flight. */
  protected remaining(): number { return this.options.budget - this.entries.length - this.pendingById.size; }
  protected hasReservations(): boolean { return this.seen.size > 0; }

  /** Not evaluated or reserved before, and inside the cost constraint. */
  protected isNew(genome: G): boolean {
    return !this.seen.has(this.space.key(genome)) && this.withinConstraint(genome);
  }

  protected withinConstraint(genome: G): boolean {
    const c = this.options.constraint;
    if (c !== null && this.space.cost) {
      const cost = this.space.cost(genome);
      if (!((c.maxCost === undefined || cost <= c.maxCost) && (c.minCost === undefined || cost >= c.minCost))) return false;
    }
    // The space's own predicate last: it may be expensive (a latency measurement).
    return this.space.feasible ? this.space.feasible(genome) : true;
  }

  protected reserve(genome: G): void { this.seen.add(this.space.key(genome)); }

  /** Rejection sampling: a uniformly random new genome inside the constraint, or undefined. */
  protected sampleNew(): G | undefined {
    for (let i = 0; i < this.options.maxAttempts; i++) {
      const g = this.space.sample(this.rng);
      if (this.isNew(g)) return g;
    }
    return undefined;
  }

  /** No new genome could be found: a too-tight constraint if none was ever found, else the end. */
  protected giveUp(): 'done' {
    if (!this.hasReservations()) {
      throw new ConfigError(
        `no genome of space '${this.space.name}' satisfies the cost constraint ${JSON.stringify(this.options.constraint)}${this.space.feasible ? ' and the space\'s own constraint (e.g. a latency budget)' : ''} ` +
        `in ${this.options.maxAttempts} random draws; loosen the constraint or raise maxAttempts`, 'constraint');
    }
    return 'done';
  }

  private finish(): 'done' { this.finished = true; return 'done'; }

  private addEntry(entry: HistoryEntry<G>): void {
    this.entries.push(entry);
    this.byId.set(entry.id, entry);
    this.onEntry(entry);
  }
}

/** Ranking used everywhere: higher fitness first, then the earlier proposal (stable, order-free). */
export function better<G extends Genome>(a: HistoryEntry<G>, b: HistoryEntry<G>): boolean {
  return a.fitness > b.fitness || (a.fitness === b.fitness && a.id < b.id);
}

export function byRank<G extends Genome>(a: HistoryEntry<G>, b: HistoryEntry<G>): number {
  return b.fitness - a.fitness || a.id - b.id;
}
