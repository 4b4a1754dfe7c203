// Random search: the baseline every strategy must beat at the same budget. Rejection-samples
// distinct genomes inside the cost constraint.

import { SearchEngine, type Next } from './engine.js';
import { optionsOf } from './snapshot.js';
import type { Genome, SearchSpace } from '../../spaces/space.js';
import type { EngineOptions, EngineSnapshot } from './types.js';

export class RandomSearch<G extends Genome = Genome> extends SearchEngine<G> {
  readonly strategy = 'random' as const;

  constructor(space: SearchSpace<G>, options: EngineOptions) {
    super(space, options);
  }

  static restore<G extends Genome>(space: SearchSpace<G>, snap: EngineSnapshot<G>): RandomSearch<G> {
    const e = new RandomSearch(space, optionsOf(snap));
    e.load(snap);
    return e;
  }

  protected propose(): Next<G> {
    const g = this.sampleNew();
    return g === undefined ? this.giveUp() : { genome: g, generation: 0 };
  }

  protected params(): Record<string, number | null> { return {}; }
}
