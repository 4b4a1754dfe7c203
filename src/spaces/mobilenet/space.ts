// MobileNet3-MT as a search space for the evolution engine. Genes are independent choices
// (choice-space.ts) except for one constraint: at most `maxDownsamples` stages downsample. It
// is kept by construction rather than by rejection, so that the engine's breeding never wastes
// draws on it:
//   - sample draws the down flags again until the pattern is allowed (uniform over allowed ones);
//   - crossover moves the five down flags as one unit, so two valid parents give valid children;
//   - mutate repairs a pattern that went over the limit by switching off, at random, flags the
//     mutation had switched on (the parent was within the limit, so that always suffices).
// validate rejects a genome over the limit with a ConfigError on the first excess flag.

import type { Rng } from '../../util/rng.js';
import type { GeneValue, SearchSpace } from '../space.js';
import { archKey, resolveArch, type MobileNetArch } from './arch.js';
import { formatArch, stageBlockStrings } from './block-string.js';
import type { MobileNetSpaceConfig } from './config.js';
import { archMacs, archParams } from './cost.js';
import { baseSpace, downLabels, geneLabels, type MobileNetGenome, validateGenome } from './genome.js';
import { MobileNetNetwork } from './network.js';

export interface MobileNetSpace extends SearchSpace<MobileNetGenome> {
  readonly config: MobileNetSpaceConfig;
  /** Millions of MACs per image at the configured resolution (also the space's `cost`, what --max-mmacs bounds). */
  mmacs(genome: MobileNetGenome): number;
  cost(genome: MobileNetGenome): number;
  arch(genome: MobileNetGenome): MobileNetArch;
  /** Exact MACs per image. */
  macs(genome: MobileNetGenome): number;
  params(genome: MobileNetGenome): number;
  blockStrings(genome: MobileNetGenome): string[][];
  describe(genome: MobileNetGenome): string;
  /** A freshly initialised network (the caller disposes it). */
  build(genome: MobileNetGenome): MobileNetNetwork;
}

type Rec = Record<string, GeneValue>;

export function mobilenetSpace(config: MobileNetSpaceConfig): MobileNetSpace {
  const base = baseSpace(config);
  const labels = geneLabels();
  const downs = downLabels();
  const downSet = new Set(downs);
  const max = config.maxDownsamples;
  const onCount = (g: Rec) => downs.filter((l) => g[l] === true).length;
  const arch = (g: MobileNetGenome) => resolveArch(g, config);

  const sample = (rng: Rng): MobileNetGenome => {
    const g = { ...base.sample(rng) } as Rec;
    while (onCount(g) > max) for (const l of downs) g[l] = rng.next() < 0.5;
    return g as unknown as MobileNetGenome;
  };

  const mutate = (genome: MobileNetGenome, p: number, rng: Rng): MobileNetGenome => {
    const parent = genome as unknown as Rec;
    const g = { ...base.mutate(genome, p, rng) } as Rec;
    if (onCount(g) > max) {
      const fresh = downs.filter((l) => g[l] === true && parent[l] !== true);
      const pool = rng.shuffle(fresh.length > 0 ? fresh : downs.filter((l) => g[l] === true));
      while (onCount(g) > max && pool.length > 0) g[pool.pop() as string] = false;
    }
    return g as unknown as MobileNetGenome;
  };

  const crossover = (a: MobileNetGenome, b: MobileNetGenome, rng: Rng): [MobileNetGenome, MobileNetGenome] => {
    const ra = a as unknown as Rec;
    const rb = b as unknown as Rec;
    const downsFromA = rng.next() < 0.5;
    const c1: Rec = {};
    const c2: Rec = {};
    for (const l of labels) {
      const fromA = downSet.has(l) ? downsFromA : rng.next() < 0.5;
      c1[l] = (fromA ? ra[l] : rb[l]) as GeneValue;
      c2[l] = (fromA ? rb[l] : ra[l]) as GeneValue;
    }
    return [c1 as unknown as MobileNetGenome, c2 as unknown as MobileNetGenome];
  };

  return {
    name: config.name,
    config,
    sample,
    mutate,
    crossover,
    validate: (genome: unknown) => validateGenome(config, genome),
    key: (g) => archKey(arch(g)),
    mmacs: (g) => archMacs(arch(g)) / 1e6,
    cost: (g) => archMacs(arch(g)) / 1e6,
    arch,
    macs: (g) => archMacs(arch(g)),
    params: (g) => archParams(arch(g)),
    blockStrings: (g) => stageBlockStrings(arch(g), config.seRatio),
    describe: (g) => formatArch(arch(g), config.seRatio),
    build: (g) => new MobileNetNetwork(g, config),
  };
}
