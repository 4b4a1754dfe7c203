// The MobileNet3-MT genome: a flat record of labelled choices. Every stage carries genes for
// MAX_DEPTH layers whatever its depth, so crossover and mutation always work on the same label
// set; layers beyond a stage's depth are ignored by the architecture (and by the key).

import { ConfigError } from '../../errors.js';
import { choiceSpace } from '../choice-space.js';
import type { GeneValue, SearchSpace } from '../space.js';
import { MAX_DEPTH, STAGES, type MobileNetSpaceConfig } from './config.js';

type S = 1 | 2 | 3 | 4 | 5;
type L = 1 | 2 | 3 | 4 | 5 | 6;

/** A layer's label prefix, e.g. `s2_i1`. */
export type LayerLabel = `s${S}_i${L}`;

export type MobileNetGenome =
  { readonly width_mult: number }
  & { readonly [K in `s${S}_depth`]: number }
  & { readonly [K in `s${S}_down`]: boolean }
  & { readonly [K in `${LayerLabel}_${'exp' | 'k' | 'prune'}`]: number }
  & { readonly [K in `${LayerLabel}_se`]: boolean };

export interface LayerGenes { readonly label: string; readonly exp: number; readonly k: number; readonly se: boolean; readonly prune: number }
export interface StageGenes { readonly depth: number; readonly down: boolean; readonly layers: readonly LayerGenes[] }
/** The genome as nested typed data; `layers` holds only the active ones. */
export interface GenomeView { readonly widthMult: number; readonly stages: readonly StageGenes[] }

export const layerLabel = (stage: number, index: number): string => `s${stage}_i${index}`;

/** All labels in canonical order: width_mult, then per stage depth, down and each layer's genes. */
export function geneLabels(): string[] {
  const out = ['width_mult'];
  for (let s = 1; s <= STAGES; s++) {
    out.push(`s${s}_depth`, `s${s}_down`);
    for (let i = 1; i <= MAX_DEPTH; i++) {
      const l = layerLabel(s, i);
      out.push(`${l}_exp`, `${l}_k`, `${l}_se`, `${l}_prune`);
    }
  }
  return out;
}

export const downLabels = (): string[] => Array.from({ length: STAGES }, (_, i) => `s${i + 1}_down`);

export function choiceTable(config: MobileNetSpaceConfig): Record<string, readonly GeneValue[]> {
  const c = config.choices;
  const table: Record<string, readonly GeneValue[]> = {};
  for (const label of geneLabels()) {
    const suffix = label.slice(label.lastIndexOf('_') + 1);
    table[label] = label === 'width_mult' ? c.widthMults
      : suffix === 'depth' ? c.depths
      : suffix === 'down' || suffix === 'se' ? [false, true]
      : suffix === 'exp' ? c.expansions
      : suffix === 'k' ? c.kernels
      : c.pruneRates;
  }
  return table;
}

export const gene = (g: MobileNetGenome, label: string): GeneValue => (g as unknown as Record<string, GeneValue>)[label] as GeneValue;

export function viewGenome(g: MobileNetGenome): GenomeView {
  const stages: StageGenes[] = [];
  for (let s = 1; s <= STAGES; s++) {
    const depth = gene(g, `s${s}_depth`) as number;
    const layers: LayerGenes[] = [];
    for (let i = 1; i <= depth; i++) {
      const l = layerLabel(s, i);
      layers.push({ label: l, exp: gene(g, `${l}_exp`) as number, k: gene(g, `${l}_k`) as number, se: gene(g, `${l}_se`) as boolean, prune: gene(g, `${l}_prune`) as number });
    }
    stages.push({ depth, down: gene(g, `s${s}_down`) as boolean, layers });
  }
  return { widthMult: g.width_mult, stages };
}

export function countDownsamples(g: MobileNetGenome): number {
  return downLabels().filter((l) => gene(g, l) === true).length;
}

/** A copy with the given layers' prune genes replaced (keys are layer labels such as `s2_i1`). */
export function withPruneRates(g: MobileNetGenome, rates: Readonly<Record<string, number>>): MobileNetGenome {
  const out: Record<string, GeneValue> = { ...(g as unknown as Record<string, GeneValue>) };
  for (const [l, r] of Object.entries(rates)) {
    if (!(`${l}_prune` in out)) throw new ConfigError(`'${l}' is not a layer label (expected s<stage>_i<layer>)`, l);
    out[`${l}_prune`] = r;
  }
  return out as unknown as MobileNetGenome;
}

// One independent-choice space per config object, for per-gene checks and mutation.
const bases = new WeakMap<MobileNetSpaceConfig, SearchSpace>();
export function baseSpace(config: MobileNetSpaceConfig): SearchSpace {
  let s = bases.get(config);
  if (!s) { s = choiceSpace(config.name, choiceTable(config)); bases.set(config, s); }
  return s;
}

/** The genome in canonical label order, or a ConfigError whose `path` is the offending label. */
export function validateGenome(config: MobileNetSpaceConfig, raw: unknown): MobileNetGenome {
  const g = baseSpace(config).validate(raw) as unknown as MobileNetGenome;
  const on = downLabels().filter((l) => gene(g, l) === true);
  if (on.length > config.maxDownsamples) {
    const first = on[config.maxDownsamples] as string;
    throw new ConfigError(`at most ${config.maxDownsamples} stages may downsample in space '${config.name}', ` +
      `but ${on.join(', ')} are on; turn '${first}' off`, first);
  }
  return g;
}
