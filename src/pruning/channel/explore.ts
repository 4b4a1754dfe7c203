// Exploring lottery tickets (MENAS §2.2): for a trained candidate, slice K pruned networks from
// random proposals, re-calibrate their BatchNorm statistics on the same training images, score
// them on the same validation images, and keep the best as the ticket. No backpropagation
// anywhere; fine-tuning the ticket is left to the caller.

import { performance } from 'node:perf_hooks';
import { ConfigError } from '../../errors.js';
import type { MobileNetNetwork } from '../../spaces/mobilenet/network.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import { type Accuracy, evaluateBatches } from './evaluate.js';
import type { ImportanceKind } from './importance.js';
import { type ProposalOptions, type PruningProposal, sampleProposals } from './proposals.js';
import { type BatchSet, recalibrateBatchNorm } from './recalibrate.js';
import { sliceNetwork } from './slice.js';

export interface ExploreData {
  /** Training images for BN re-calibration. */
  readonly recalibration: BatchSet;
  readonly validation: BatchSet;
  readonly importance?: ImportanceKind;
  /** Called after each proposal is scored (progress, logs). */
  readonly onResult?: (r: ProposalResult) => void;
}

/** Proposals are sampled (ProposalOptions) or given explicitly. */
export type ExploreOptions = ExploreData & (ProposalOptions | { readonly proposals: readonly PruningProposal[] });

export interface ProposalResult extends Accuracy {
  readonly index: number;
  readonly rates: Readonly<Record<string, number>>;
  readonly genome: MobileNetGenome;
  readonly macs: number;
  readonly params: number;
  readonly seconds: { readonly slice: number; readonly recalibrate: number; readonly evaluate: number };
}

export interface ExploreResult {
  readonly results: readonly ProposalResult[];
  /** Highest validation accuracy; lower loss, then the earlier proposal, break ties. */
  readonly best: ProposalResult;
  /** The best pruned network, re-calibrated, in eval mode; the caller disposes it. */
  readonly ticket: MobileNetNetwork;
  readonly seconds: number;
}

const better = (a: ProposalResult, b: ProposalResult): boolean => a.top1 > b.top1 || (a.top1 === b.top1 && a.loss < b.loss);

/** The trained `model` is not modified. */
export function exploreTickets(model: MobileNetNetwork, o: ExploreOptions): ExploreResult {
  const t0 = performance.now();
  const proposals = 'proposals' in o ? o.proposals : sampleProposals(model.genome, model.config, o);
  if (proposals.length === 0) throw new ConfigError('exploring lottery tickets needs at least one proposal', 'pruning.proposals');
  const results: ProposalResult[] = [];
  let best: ProposalResult | null = null;
  let ticket: MobileNetNetwork | null = null;
  try {
    for (const [index, p] of proposals.entries()) {
      const ta = performance.now();
      const net = sliceNetwork(model, p.genome, o.importance === undefined ? {} : { importance: o.importance });
      let keep = false;
      try {
        const tb = performance.now();
        recalibrateBatchNorm(net, o.recalibration);
        const tc = performance.now();
        const acc = evaluateBatches(net, o.validation);
        const td = performance.now();
        const result: ProposalResult = {
          index, rates: p.rates, genome: p.genome, macs: p.macs, params: p.params, ...acc,
          seconds: { slice: (tb - ta) / 1000, recalibrate: (tc - tb) / 1000, evaluate: (td - tc) / 1000 },
        };
        results.push(result);
        o.onResult?.(result);
        if (best === null || better(result, best)) {
          ticket?.dispose();
          best = result;
          ticket = net;
          keep = true;
        }
      } finally {
        if (!keep) net.dispose();
      }
    }
  } catch (e) {
    ticket?.dispose();
    throw e;
  }
  if (best === null || ticket === null) throw new ConfigError('exploring lottery tickets needs at least one proposal', 'pruning.proposals');
  ticket.eval();
  return { results, best, ticket, seconds: (performance.now() - t0) / 1000 };
}
