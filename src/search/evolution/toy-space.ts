// A small synthetic space with a cost and a known optimum, for tests and examples of the
// engine: 8 genes with values 0..3 (65,536 genomes), cost = sum of values.

import { choiceSpace, type GenomeOf } from '../../spaces/choice-space.js';
import type { EvalResult, SearchSpace } from '../../spaces/space.js';

const VALUES = [0, 1, 2, 3] as const;
const CHOICES = { g0: VALUES, g1: VALUES, g2: VALUES, g3: VALUES, g4: VALUES, g5: VALUES, g6: VALUES, g7: VALUES } as const;
export type ToyGenome = GenomeOf<typeof CHOICES>;
export const TOY_TARGET = [3, 1, 2, 0, 3, 2, 1, 3] as const;

export function toySpace(): SearchSpace<ToyGenome> {
  return choiceSpace('toy', CHOICES, { cost: (g) => Object.values(g).reduce<number>((a, b) => a + b, 0) });
}

/** Higher is better; the unique optimum is TOY_TARGET. */
export function toyFitness(g: ToyGenome): number {
  return -Object.values(g).reduce<number>((a, v, i) => a + (v - (TOY_TARGET[i] as number)) ** 2, 0);
}

export function toyEvaluate(g: ToyGenome): Promise<EvalResult<ToyGenome>> {
  return Promise.resolve({ fitness: toyFitness(g) });
}
