// Building a pruned network from a trained one without training: the pruned genome (the same
// genome with higher prune rates) gives the new widths, L1 ranking picks which expansion
// channels survive, and the trained tensors are copied in, sliced group by group.

import { ConfigError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import { noGrad } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import { resolveArch } from '../../spaces/mobilenet/arch.js';
import { STAGES, type MobileNetSpaceConfig } from '../../spaces/mobilenet/config.js';
import { gene, geneLabels, type MobileNetGenome, validateGenome } from '../../spaces/mobilenet/genome.js';
import { MobileNetNetwork } from '../../spaces/mobilenet/network.js';
import { cutState } from './cut.js';
import { mobilenetChannelGroups } from './groups.js';
import { channelImportance, type ImportanceKind, keepIndices } from './importance.js';

export interface SliceOptions {
  importance?: ImportanceKind;
}

/**
 * Checks that `target` only prunes further what `source` describes: every gene equal except
 * the prune rates of active layers, which may only grow. ConfigError naming the gene otherwise.
 */
export function checkPruningOf(config: MobileNetSpaceConfig, source: MobileNetGenome, target: unknown): MobileNetGenome {
  const t = validateGenome(config, target);
  const active = new Set<string>();
  for (let s = 1; s <= STAGES; s++) {
    for (let i = 1; i <= (gene(source, `s${s}_depth`) as number); i++) active.add(`s${s}_i${i}_prune`);
  }
  for (const label of geneLabels()) {
    const a = gene(source, label);
    const b = gene(t, label);
    if (label.endsWith('_prune')) {
      if (active.has(label) && (b as number) < (a as number)) {
        throw new ConfigError(`'${label}' = ${String(b)} is below the trained network's ${String(a)}; pruned channels cannot come back`, label);
      }
    } else if (a !== b) {
      throw new ConfigError(`'${label}' = ${String(b)} differs from the trained network's ${String(a)}; only prune rates may change`, label);
    }
  }
  return t;
}

/** Kept expansion channels per layer label, for the layers `genome` prunes further than `model`. */
export function keptChannelIndices(model: MobileNetNetwork, genome: MobileNetGenome, o: SliceOptions = {}): Map<string, number[]> {
  const t = checkPruningOf(model.config, model.genome, genome);
  const mids = new Map(resolveArch(t, model.config).layers.map((l) => [l.label, l.mid]));
  const weights = new Map(model.namedParameters());
  const out = new Map<string, number[]>();
  for (const g of mobilenetChannelGroups(model)) {
    const want = mids.get(g.label) ?? g.channels;
    if (want !== g.channels) out.set(g.label, keepIndices(channelImportance(weights, g, o.importance), want));
  }
  return out;
}

function channelsLast(model: MobileNetNetwork): boolean {
  const w = model.stem.conv.weight;
  return w.isContiguous('channelsLast') && !w.isContiguous('contiguous');
}

/**
 * The pruned network for `genome`, holding slices of `model`'s trained tensors (running
 * statistics included, until recalibration replaces them). Same memory format and train/eval
 * mode as `model`, which is left untouched. The caller disposes the result.
 */
export function sliceNetwork(model: MobileNetNetwork, genome: MobileNetGenome, o: SliceOptions = {}): MobileNetNetwork {
  const kept = keptChannelIndices(model, genome, o);
  const pruned = new MobileNetNetwork(genome, model.config);
  try {
    noGrad(() => scope(() => {
      const index = new Map<string, Tensor>();
      for (const [label, idx] of kept) index.set(label, tensor(idx, [idx.length], { dtype: 'int64' }));
      pruned.loadStateDict(cutState(model.stateDict(), mobilenetChannelGroups(model), index));
    }));
    // In a scope: Module.toMemoryFormat leaves its detach() handles to the enclosing one.
    if (channelsLast(model)) scope(() => { pruned.toMemoryFormat('channelsLast'); });
    pruned.train(model.training);
    return pruned;
  } catch (e) {
    pruned.dispose();
    throw e;
  }
}
