// NAS-Bench-201 by table lookup: validates the search strategies against published numbers
// (NAS-Bench-201 paper, CIFAR-10 test: REA 93.92±0.30, random 93.70±0.36). Each run searches
// with cifar10-valid accuracy as fitness within `budget` distinct cells; the run's result is the
// CIFAR-10 test accuracy of the cell with the best valid accuracy among those it queried.

import { ConfigError } from '../errors.js';
import { checkInt } from '../search/evolution/checks.js';
import type { EvolutionParams } from '../search/evolution/evolution.js';
import { createEngine, type EngineConfig } from '../search/evolution/factory.js';
import type { ReaParams } from '../search/evolution/rea.js';
import { runSearch } from '../search/evolution/run.js';
import { STRATEGIES, type StrategyName } from '../search/evolution/types.js';
import { genomeToArch } from '../spaces/nb201/arch-string.js';
import { nb201Evaluator, nb201Space } from '../spaces/nb201/space.js';
import { loadNb201Table } from '../spaces/nb201/table.js';
import { loadNb201Latency } from '../spaces/nb201/latency.js';

export const NB201_BENCH_DEFAULT_BUDGET = 150;

export interface Nb201BenchOptions extends EvolutionParams, ReaParams {
  readonly strategy: StrategyName;
  readonly runs: number;
  /** Distinct cells queried per run. */
  readonly budget?: number;
  /** Run r uses seed + r. */
  readonly seed: number;
  /** e.g. `<dataDir>/nasbench201/nb201_full.csv`. */
  readonly tablePath: string;
  /** Only cells with at most this many CIFAR-10 MFLOPs are searched. */
  readonly maxFlopsM?: number;
  /** A latency budget on one device of `latencyPath` (nb201_latency.csv), HW-NAS-Bench style. */
  readonly latency?: { readonly path: string; readonly device: string; readonly maxMs: number };
}

export interface Nb201RunResult {
  readonly seed: number;
  readonly arch: string;
  readonly valid_acc: number;
  readonly test_acc: number;
  /** Latency of the chosen cell on the budget's device (runs with a latency budget). */
  readonly latency_ms?: number;
}

export interface Nb201BenchResult {
  readonly strategy: StrategyName;
  readonly runs: number;
  readonly budget: number;
  readonly seed: number;
  /** Mean and sample standard deviation (n - 1) over runs. */
  readonly mean_test_acc: number;
  readonly std_test_acc: number;
  readonly mean_valid_acc: number;
  readonly std_valid_acc: number;
  /** Fraction of runs that found the cell with the best valid accuracy in the (constrained) space. */
  readonly found_best_valid_rate: number;
  readonly seconds: number;
  readonly per_run: readonly Nb201RunResult[];
  /** With a latency budget: the device, the budget, the best valid accuracy within it and the largest latency chosen. */
  readonly latency?: { readonly device: string; readonly max_ms: number; readonly max_chosen_ms: number; readonly best_valid_within: number };
}

export async function runNb201Bench(options: Nb201BenchOptions): Promise<Nb201BenchResult> {
  if (!STRATEGIES.includes(options.strategy)) {
    throw new ConfigError(`unknown strategy '${String(options.strategy)}'; use one of: ${STRATEGIES.join(', ')}`, 'strategy');
  }
  const runs = checkInt(options.runs, 'runs', 1);
  const budget = checkInt(options.budget ?? NB201_BENCH_DEFAULT_BUDGET, 'budget', 1);
  const seed = checkInt(options.seed, 'seed', 0);
  const started = performance.now();
  const table = loadNb201Table(options.tablePath);
  const lat = options.latency;
  const latencies = lat ? loadNb201Latency(lat.path).column(lat.device) : null;
  if (lat && !(Number.isFinite(lat.maxMs) && lat.maxMs > 0)) throw new ConfigError(`the latency budget must be a positive number of ms, got ${lat.maxMs}`, 'maxLatencyMs');
  const base = nb201Space(table);
  const latencyOf = (g: Parameters<typeof table.row>[0]) => (latencies as Float64Array)[table.row(g).code] as number;
  const space = lat ? { ...base, feasible: (g: Parameters<typeof table.row>[0]) => latencyOf(g) <= lat.maxMs } : base;
  const evaluate = nb201Evaluator(table);
  const bestValid = bestValidAcc(table.column('cifar10Valid'), table.column('flopsM'), options.maxFlopsM, lat ? { ms: latencies as Float64Array, max: lat.maxMs } : undefined);
  const perRun: Nb201RunResult[] = [];
  for (let r = 0; r < runs; r++) {
    const engine = createEngine(space, engineConfig(options, budget, seed + r));
    const { best } = await runSearch(engine, evaluate);
    if (!best) throw new ConfigError('the search evaluated no cell; raise the budget or loosen maxFlopsM', 'budget');
    const row = table.row(best.genome);
    perRun.push({ seed: seed + r, arch: genomeToArch(best.genome), valid_acc: row.cifar10Valid, test_acc: row.cifar10Test, ...(lat ? { latency_ms: latencyOf(best.genome) } : {}) });
  }
  const test = perRun.map((r) => r.test_acc);
  const valid = perRun.map((r) => r.valid_acc);
  return {
    strategy: options.strategy, runs, budget, seed,
    mean_test_acc: mean(test), std_test_acc: std(test),
    mean_valid_acc: mean(valid), std_valid_acc: std(valid),
    found_best_valid_rate: valid.filter((v) => v === bestValid).length / runs,
    seconds: (performance.now() - started) / 1000,
    per_run: perRun,
    ...(lat ? { latency: { device: lat.device, max_ms: lat.maxMs, max_chosen_ms: Math.max(...perRun.map((r) => r.latency_ms as number)), best_valid_within: bestValid } } : {}),
  };
}

function engineConfig(o: Nb201BenchOptions, budget: number, seed: number): EngineConfig {
  const base = { budget, seed, ...(o.maxFlopsM === undefined ? {} : { constraint: { maxCost: o.maxFlopsM } }) };
  const pick = <K extends keyof Nb201BenchOptions>(...keys: K[]): Partial<Pick<Nb201BenchOptions, K>> =>
    Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<Nb201BenchOptions, K>>;
  switch (o.strategy) {
    case 'evolution':
      return { strategy: 'evolution', ...base, ...pick('populationSize', 'topK', 'generations', 'mutationProb', 'crossoverProb') };
    case 'rea':
      return { strategy: 'rea', ...base, ...pick('populationSize', 'sampleSize', 'mutationProb') };
    case 'random':
      return { strategy: 'random', ...base };
  }
}

function bestValidAcc(valid: Float64Array, flops: Float64Array, maxFlops: number | undefined, latency?: { ms: Float64Array; max: number }): number {
  let best = -Infinity;
  for (let i = 0; i < valid.length; i++) {
    if (latency && !((latency.ms[i] as number) <= latency.max)) continue;
    if ((maxFlops === undefined || (flops[i] as number) <= maxFlops) && (valid[i] as number) > best) best = valid[i] as number;
  }
  return best;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation; 0 for a single value. */
export function std(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}
