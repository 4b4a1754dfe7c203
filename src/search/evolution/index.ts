export type { CostConstraint, EvalResult, Evaluate, GeneValue, Genome, SearchSpace } from '../../spaces/space.js';
export { choiceSpace, type ChoiceSpaceOptions, type ChoiceTable, type GenomeOf } from '../../spaces/choice-space.js';
export { STRATEGIES, type EngineOptions, type EngineSnapshot, type HistoryEntry, type Proposal, type StrategyName } from './types.js';
export { SearchEngine } from './engine.js';
export { Evolution, EVOLUTION_DEFAULTS, type EvolutionParams } from './evolution.js';
export { RegularizedEvolution, REA_DEFAULTS, type ReaParams } from './rea.js';
export { RandomSearch } from './random-search.js';
export { createEngine, restoreEngine, type EngineConfig } from './factory.js';
// Named runEngine here: the package entry's runSearch is the DARTS search.
export { runSearch as runEngine, type RunOptions, type RunSummary } from './run.js';
