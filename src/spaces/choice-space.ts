// A search space made of independent labelled choices: each gene picks one value from its own
// list. NAS-Bench-201 (6 edges x 5 ops) is one; so is a MobileNetV3 space of per-block kernel
// size / expansion / SE flags. Spaces with dependent genes implement SearchSpace themselves.

import { ConfigError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import type { GeneValue, Genome, SearchSpace } from './space.js';

export type ChoiceTable = Readonly<Record<string, readonly GeneValue[]>>;
export type GenomeOf<C extends ChoiceTable> = { readonly [K in keyof C]: C[K][number] };

export interface ChoiceSpaceOptions<G extends Genome> {
  /** Overrides the default key (values in label order, JSON-encoded). */
  key?: (genome: G) => string;
  cost?: (genome: G) => number;
}

export function choiceSpace<C extends ChoiceTable>(
  name: string,
  choices: C,
  options: ChoiceSpaceOptions<GenomeOf<C>> = {},
): SearchSpace<GenomeOf<C>> {
  type G = GenomeOf<C>;
  const labels = Object.keys(choices);
  if (labels.length === 0) throw new ConfigError(`search space '${name}' has no genes`, name);
  for (const label of labels) {
    const values = choices[label] ?? [];
    if (values.length === 0) throw new ConfigError(`gene '${label}' of space '${name}' has no choices`, label);
    if (new Set(values).size !== values.length) {
      throw new ConfigError(`gene '${label}' of space '${name}' lists a choice twice`, label);
    }
  }
  const valuesOf = (label: string): readonly GeneValue[] => choices[label] ?? [];
  // Always build genomes in label order so that JSON snapshots and keys are canonical.
  const build = (pick: (label: string) => GeneValue): G => {
    const g: Record<string, GeneValue> = {};
    for (const label of labels) g[label] = pick(label);
    return g as G;
  };
  const at = (g: G, label: string): GeneValue => (g as Record<string, GeneValue>)[label] as GeneValue;

  const space: SearchSpace<G> = {
    name,
    sample: (rng: Rng) => build((label) => rng.choice(valuesOf(label))),
    mutate(genome: G, p: number, rng: Rng): G {
      return build((label) => {
        const values = valuesOf(label);
        const current = at(genome, label);
        // Draw the coin for every gene, even single-choice ones, so the rng stream does not
        // depend on which genes happen to be mutable.
        if (rng.next() >= p || values.length < 2) return current;
        const others = values.filter((v) => v !== current);
        return rng.choice(others);
      });
    },
    crossover(a: G, b: G, rng: Rng): [G, G] {
      const fromA = labels.map(() => rng.next() < 0.5);
      let i = 0;
      const c1 = build((label) => (fromA[i++] ? at(a, label) : at(b, label)));
      i = 0;
      const c2 = build((label) => (fromA[i++] ? at(b, label) : at(a, label)));
      return [c1, c2];
    },
    validate(genome: unknown): G {
      if (typeof genome !== 'object' || genome === null || Array.isArray(genome)) {
        throw new ConfigError(`a ${name} genome must be an object of labelled choices, got ${describe(genome)}`);
      }
      const rec = genome as Record<string, unknown>;
      for (const label of Object.keys(rec)) {
        if (!(label in choices)) {
          throw new ConfigError(`unknown gene '${label}' for space '${name}'; expected one of: ${labels.join(', ')}`, label);
        }
      }
      return build((label) => {
        const v = rec[label];
        const values = valuesOf(label);
        if (v === undefined) throw new ConfigError(`gene '${label}' is missing; choose one of: ${values.map(show).join(', ')}`, label);
        if (!values.includes(v as GeneValue)) {
          throw new ConfigError(`gene '${label}' = ${show(v)} is not a choice; choose one of: ${values.map(show).join(', ')}`, label);
        }
        return v as GeneValue;
      });
    },
    key: options.key ?? ((g: G) => JSON.stringify(labels.map((label) => at(g, label)))),
  };
  if (options.cost) space.cost = options.cost;
  return space;
}

function show(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
