// Flags of `lnas evolve`. One flag namespace for every section: the candidates' short training
// keeps the `lnas train` names (--epochs, --lr, ...), the final retraining's get a `final-`
// prefix. A run's identity is the part of the config that changes which candidates are trained
// and how; the final retraining and Figure 4 are content-addressed stages of their own, so
// changing --final-epochs reuses a finished search.
import { bool, defaults, int, list, normalize, num, oneOf, type ConfigOf, type Schema } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import { type ExecutorConfig, ExecutorSchema } from '../../workers/executor.js';
import { type DataConfig, DataSchema } from '../../data/config.js';
import { type OptimConfig, OptimSchema, type RuntimeConfig, RuntimeSchema } from '../../train/config.js';

export const EvolveSchema = {
  strategy: oneOf('evolution: MENAS (tickets replace trained candidates); random: random search with the same budget', ['evolution', 'random'], 'evolution'),
  population: int('candidates per generation (the random baseline trains population × generations)', 20, { min: 1, max: 100000 }),
  generations: int('generations, including the random generation 0', 5, { min: 1, max: 10000 }),
  topK: int('parents: the best K lottery tickets by validation accuracy so far', 5, { min: 1 }),
  mutationProb: num('probability that mutation changes each gene', 0.08, { min: 0, max: 1 }),
  crossoverProb: num('probability that a child is bred by crossover of two parents (then mutated)', 0.5, { min: 0, max: 1 }),
  maxMmacs: num('FLOPs budget: candidates are rejection-sampled (and bred) below this many million MACs per image (0: none)', 0, { min: 0 }),
  maxLatencyMs: num('latency budget: candidates are proposed only if their batch-1 latency in ONNX Runtime on this machine is at most this many ms (0: none)', 0, { min: 0 }),
  latencyThreads: int('ONNX Runtime threads of the latency measurement', 1, { min: 1, max: 1024 }),
  workers: int('parallel worker processes (0: one per core); workers × threads never exceeds the cores', 0, { min: 0, max: 1024 }),
  compareRandom: bool('after the evolution, run the random baseline with the same budget and compare them in the report', false),
  syntheticSize: int('image side of --dataset synthetic (tests and smoke runs)', 32, { min: 4, max: 256 }),
  repeats: int('run the search (and with --compare-random its baseline) with N seeds (seed, seed+1, ...) as independent trials; the report compares them as mean ± std with a Welch test', 1, { min: 1, max: 1000 }),
} as const;

export const SpaceSchema = {
  widthMults: list('width multipliers to choose from', [0.5, 0.75, 1.0, 1.25], { min: 0.05, max: 4 }),
  depths: list('layers per stage to choose from (1..6)', [1, 2, 3, 4, 5, 6], { min: 1, max: 6 }),
} as const;

export const TicketSchema = {
  proposals: int('random channel-pruning proposals explored per trained candidate (K)', 20, { min: 1, max: 10000 }),
  minRate: num('lowest prune rate a proposal draws per layer', 0, { min: 0, max: 0.99 }),
  maxRate: num('highest prune rate a proposal draws per layer', 0.5, { min: 0, max: 0.99 }),
  recalImages: int('training images used to re-calibrate BatchNorm statistics of each proposal', 512, { min: 1 }),
  screenImages: int('score every proposal on only the first N held-out images, then the --screen-keep best on all of them (0: all proposals on all)', 0, { min: 0 }),
  screenKeep: int('proposals scored on all held-out images after screening', 4, { min: 1 }),
  finetuneEpochs: int('epochs the chosen ticket is fine-tuned before it is scored (the paper\'s fine-tune epochs; 0: off)', 0, { min: 0, max: 1000 }),
} as const;

const prefixed = (name: string) => `final${name[0]?.toUpperCase()}${name.slice(1)}`;

/** The final retraining: `lnas train`'s optimisation flags with a `final-` prefix, plus its data size. */
export const FinalSchema = {
  ...(Object.fromEntries(Object.entries(OptimSchema).map(([k, f]) => [prefixed(k), f])) as { [K in keyof typeof OptimSchema as `final${Capitalize<K>}`]: (typeof OptimSchema)[K] }),
  finalEpochs: int('epochs of the final retraining of the best ticket (0: skip it)', 0, { min: 0, max: 100000 }),
  finalBatchSize: int('batch size of the final retraining', 128, { min: 1, max: 65536 }),
  finalTrainLimit: int('training images of the final retraining (0: the whole training set); it is tested on the test set', 0, { min: 0 }),
  fig4Epochs: int('Figure 4: retrain generation 0\'s first architecture and two of its tickets for this many epochs with the final settings (0: skip)', 0, { min: 0, max: 100000 }),
} as const;

export const evolveSections = {
  evolve: EvolveSchema, space: SpaceSchema, ticket: TicketSchema, data: DataSchema, optim: OptimSchema, final: FinalSchema, runtime: RuntimeSchema,
  executor: ExecutorSchema,
} as const;

type Sections = typeof evolveSections;
export type EvolveFlags = { [K in keyof Sections]: ConfigOf<Sections[K]> };
export type TicketConfig = ConfigOf<typeof TicketSchema>;
export type SpaceOptions = ConfigOf<typeof SpaceSchema>;

export interface FinalConfig {
  epochs: number;
  batchSize: number;
  trainLimit: number;
  fig4Epochs: number;
  /** With `epochs` set to whichever stage runs. */
  optim: OptimConfig;
}

export interface EvolveConfig {
  strategy: 'evolution' | 'random';
  population: number;
  generations: number;
  topK: number;
  mutationProb: number;
  crossoverProb: number;
  /** null: no FLOPs budget. */
  maxMmacs: number | null;
  /** null: no latency budget. */
  maxLatencyMs: number | null;
  latencyThreads: number;
  workers: number;
  compareRandom: boolean;
  syntheticSize: number;
  space: SpaceOptions;
  ticket: TicketConfig;
  data: DataConfig;
  optim: OptimConfig;
  final: FinalConfig;
  runtime: RuntimeConfig;
  executor: ExecutorConfig;
  repeats: number;
}

export function evolveConfigOf(f: EvolveFlags): EvolveConfig {
  const e = f.evolve;
  if (f.data.valSize <= 0) {
    throw new ConfigError('candidates are scored on a held-out validation split: set --val-size (e.g. 1000)', 'data.valSize');
  }
  if (f.ticket.minRate > f.ticket.maxRate) throw new ConfigError(`--min-rate ${f.ticket.minRate} is above --max-rate ${f.ticket.maxRate}`, 'ticket.minRate');
  if (e.topK > e.population * e.generations) throw new ConfigError(`--top-k ${e.topK} is more than the ${e.population * e.generations} candidates of the run`, 'evolve.topK');
  const space = { widthMults: uniqueSorted(f.space.widthMults, 'space.widthMults'), depths: uniqueSorted(f.space.depths, 'space.depths') };
  if (space.depths.some((d) => !Number.isInteger(d))) throw new ConfigError('--depths must be whole numbers of layers in 1..6', 'space.depths');
  const fin = f.final as unknown as Record<string, unknown>;
  const finalOptim = Object.fromEntries(Object.keys(OptimSchema).map((k) => [k, fin[prefixed(k)]])) as unknown as OptimConfig;
  return {
    strategy: e.strategy, population: e.population, generations: e.generations, topK: e.topK, mutationProb: e.mutationProb,
    crossoverProb: e.crossoverProb, maxMmacs: e.maxMmacs > 0 ? e.maxMmacs : null,
    maxLatencyMs: e.maxLatencyMs > 0 ? e.maxLatencyMs : null, latencyThreads: e.latencyThreads, workers: e.workers, compareRandom: e.compareRandom,
    syntheticSize: e.syntheticSize, space, ticket: f.ticket, data: f.data, optim: f.optim, runtime: f.runtime, executor: f.executor, repeats: e.repeats,
    final: { epochs: f.final.finalEpochs, batchSize: f.final.finalBatchSize, trainLimit: f.final.finalTrainLimit, fig4Epochs: f.final.fig4Epochs, optim: finalOptim },
  };
}

function uniqueSorted(values: readonly number[], path: string): number[] {
  const out = [...new Set(values)].sort((a, b) => a - b);
  if (out.length === 0) throw new ConfigError(`${path} needs at least one choice`, path);
  return out;
}

/** The same config for the random baseline (what --compare-random runs). */
export function randomTwin(c: EvolveConfig): EvolveConfig {
  return { ...c, strategy: 'random', compareRandom: false, final: { ...c.final, fig4Epochs: 0 } };
}

/** Budget in trained candidates: identical for both strategies. */
export const budgetOf = (c: EvolveConfig): number => c.population * c.generations;

/**
 * What decides which candidates are trained and how: the folder's hash. Workers, threads and
 * the later stages are left out; so are the evolution-only knobs for the random baseline.
 */
export function evolveIdentity(c: EvolveConfig): Record<string, unknown> {
  const search = c.strategy === 'evolution'
    ? { strategy: c.strategy, population: c.population, generations: c.generations, topK: c.topK, mutationProb: c.mutationProb, crossoverProb: c.crossoverProb }
    : { strategy: c.strategy, budget: budgetOf(c), population: c.population };
  // The latency budget enters the identity only when set, so runs without one keep their folders.
  const latency = c.maxLatencyMs === null ? {} : { maxLatencyMs: c.maxLatencyMs, latencyThreads: c.latencyThreads };
  return { search: { ...search, maxMmacs: c.maxMmacs, ...latency, syntheticSize: c.syntheticSize }, ...candidateIdentity(c) };
}

/** What a candidate's training depends on besides its genome (shared by both strategies). */
export function candidateIdentity(c: Pick<EvolveConfig, 'space' | 'ticket' | 'data' | 'optim' | 'syntheticSize'>): Record<string, unknown> {
  return {
    space: normalize(SpaceSchema, c.space), ticket: normalize(TicketSchema, c.ticket),
    data: { ...normalize(DataSchema, c.data), dataDir: undefined, syntheticSize: c.data.dataset === 'synthetic' ? c.syntheticSize : undefined },
    optim: normalize(OptimSchema, c.optim),
  };
}

export const defaultFlags = (): EvolveFlags => Object.fromEntries(Object.entries(evolveSections).map(([k, s]) => [k, defaults(s as Schema)])) as EvolveFlags;
