// One entry point per direction: a config names the strategy; a snapshot restores whichever
// strategy wrote it.

import { ConfigError } from '../../errors.js';
import type { SearchEngine } from './engine.js';
import { Evolution, type EvolutionParams } from './evolution.js';
import { RandomSearch } from './random-search.js';
import { RegularizedEvolution, type ReaParams } from './rea.js';
import { checkSnapshot } from './snapshot.js';
import type { Genome, SearchSpace } from '../../spaces/space.js';
import { STRATEGIES, type EngineOptions } from './types.js';

export type EngineConfig =
  | ({ readonly strategy: 'evolution' } & EngineOptions & EvolutionParams)
  | ({ readonly strategy: 'rea' } & EngineOptions & ReaParams)
  | ({ readonly strategy: 'random' } & EngineOptions);

export function createEngine<G extends Genome>(space: SearchSpace<G>, config: EngineConfig): SearchEngine<G> {
  switch (config.strategy) {
    case 'evolution': return new Evolution(space, config);
    case 'rea': return new RegularizedEvolution(space, config);
    case 'random': return new RandomSearch(space, config);
    default:
      throw new ConfigError(`unknown search strategy '${String((config as { strategy: unknown }).strategy)}'; use one of: ${STRATEGIES.join(', ')}`, 'strategy');
  }
}

/** A fresh engine in the state `snapshot` (e.g. JSON read from disk) describes. */
export function restoreEngine<G extends Genome>(space: SearchSpace<G>, snapshot: unknown): SearchEngine<G> {
  const snap = checkSnapshot(space, snapshot);
  switch (snap.strategy) {
    case 'evolution': return Evolution.restore(space, snap);
    case 'rea': return RegularizedEvolution.restore(space, snap);
    case 'random': return RandomSearch.restore(space, snap);
  }
}
