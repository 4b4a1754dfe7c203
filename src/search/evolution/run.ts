// Drives an engine against an async evaluator, keeping up to `options.concurrency` evaluations
// in flight and offering a snapshot after every finished one. If an evaluation throws, the
// others in flight are still awaited and recorded before the error is rethrown, so the last
// snapshot loses nothing but the failed trial, which a restored engine proposes again.

import { LnasError } from '../../errors.js';
import type { SearchEngine } from './engine.js';
import type { EvalResult, Evaluate, Genome } from '../../spaces/space.js';
import type { EngineSnapshot, HistoryEntry } from './types.js';

export interface RunOptions<G extends Genome> {
  onResult?: (entry: HistoryEntry<G>) => void | Promise<void>;
  onSnapshot?: (snapshot: EngineSnapshot<G>) => void | Promise<void>;
  /** Start at most this many evaluations in this call (then return; the engine can go on). */
  maxEvaluations?: number;
}

export interface RunSummary<G extends Genome> {
  readonly best: HistoryEntry<G> | undefined;
  /** Evaluations finished in total (including before a restore). */
  readonly evaluations: number;
  readonly done: boolean;
}

type Outcome<G extends Genome> = { id: number; ok: true; result: EvalResult<G> } | { id: number; ok: false; error: unknown };

export async function runSearch<G extends Genome>(
  engine: SearchEngine<G>,
  evaluate: Evaluate<G>,
  options: RunOptions<G> = {},
): Promise<RunSummary<G>> {
  const inFlight = new Map<number, Promise<Outcome<G>>>();
  let started = 0;
  let failure: { error: unknown } | undefined;
  const limit = options.maxEvaluations ?? Infinity;
  for (;;) {
    while (!failure && inFlight.size < engine.options.concurrency && started < limit) {
      const p = engine.ask();
      if (p === 'wait' && inFlight.size === 0) {
        throw new LnasError('LNAS_SEARCH_STATE', `strategy '${engine.strategy}' waits for results although none are in flight`);
      }
      if (p === 'wait' || p === 'done') break;
      started++;
      inFlight.set(p.id, Promise.resolve()
        .then(() => evaluate(p.genome))
        .then((result): Outcome<G> => ({ id: p.id, ok: true, result }), (error: unknown): Outcome<G> => ({ id: p.id, ok: false, error })));
    }
    if (inFlight.size === 0) break;
    const outcome = await Promise.race(inFlight.values());
    inFlight.delete(outcome.id);
    if (!outcome.ok) { failure ??= { error: outcome.error }; continue; }
    const entry = engine.tell(outcome.id, outcome.result);
    await options.onResult?.(entry);
    await options.onSnapshot?.(engine.snapshot());
  }
  if (failure) throw failure.error;
  return { best: engine.best(), evaluations: engine.history.length, done: engine.done };
}
