// NAS-Bench-201 as a search space for the evolution engine: one choice per edge, mutation
// changes edge ops, crossover mixes per edge, the canonical arch string is the dedup key.

import { choiceSpace } from '../choice-space.js';
import type { SearchSpace } from '../space.js';
import { genomeToArch } from './arch-string.js';
import { NB201_EDGES, NB201_OPS, type Nb201EdgeLabel, type Nb201Genome, type Nb201Op } from './ops.js';
import type { Nb201Table } from './table.js';

const CHOICES = Object.fromEntries(NB201_EDGES.map((e) => [e.label, [...NB201_OPS]])) as unknown as Record<Nb201EdgeLabel, readonly Nb201Op[]>;

/** With a table, `cost` is CIFAR-10 MFLOPs, so a FLOPs constraint can be searched under. */
export function nb201Space(table?: Nb201Table): SearchSpace<Nb201Genome> {
  return choiceSpace('nas-bench-201', CHOICES, {
    key: genomeToArch,
    ...(table ? { cost: (g: Nb201Genome) => table.row(g).flopsM } : {}),
  });
}

// A type alias, not an interface, so that it is assignable to EvalResult's open record.
export type Nb201Eval = {
  readonly fitness: number;
  readonly cifar10ValidAcc: number;
  readonly cifar10TestAcc: number;
  readonly arch: string;
};

/** Table-lookup "training": fitness is cifar10-valid accuracy; the test accuracy is only reported. */
export function nb201Evaluator(table: Nb201Table): (g: Nb201Genome) => Promise<Nb201Eval> {
  return (g) => {
    const r = table.row(g);
    return Promise.resolve({ fitness: r.cifar10Valid, cifar10ValidAcc: r.cifar10Valid, cifar10TestAcc: r.cifar10Test, arch: genomeToArch(g) });
  };
}
