// Exploring lottery tickets (MENAS §2.2): for a trained candidate, slice K pruned networks from
// random proposals, re-calibrate their BatchNorm statistics on the same training images, score
// them on the same validation images, and keep the best as the ticket. No backpropagation
// anywhere; fine-tuning the ticket is left to the caller.
//
// Screening (optional): every proposal is first scored on a part of the validation images, and
// only the `keep` best are scored on the rest, so the ticket is still chosen on all of them.
// Scoring dominates exploration when the validation set is large next to a training epoch.

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
  /**
   * Score every proposal on `first` only, then the `keep` best on `rest` as well (accuracy over
   * first + rest). `validation` is then unused; first + rest should be the validation images.
   */
  readonly screening?: { readonly first: BatchSet; readonly rest: BatchSet; readonly keep: number };
  readonly importance?: ImportanceKind;
  /** Called after each proposal is scored (progress, logs). */
  readonly onResult?: (r: ProposalResult) => void;
}

/** Proposals are sampled (ProposalOptions) or given explicitly. */
export type ExploreOptions = ExploreData & (ProposalOptions | { readonly proposals: readonly PruningProposal[] });

/** `n` is the number of validation images the proposal was scored on (fewer when screened out). */
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
  const screen = o.screening;
  const keep = screen ? Math.max(1, screen.keep) : 1;
  // The best `keep` so far on the (screening) score, best first, with their networks.
  let kept: { result: ProposalResult; net: MobileNetNetwork }[] = [];
  try {
    for (const [index, p] of proposals.entries()) {
      const ta = performance.now();
      const net = sliceNetwork(model, p.genome, o.importance === undefined ? {} : { importance: o.importance });
      let held = false;
      try {
        const tb = performance.now();
        recalibrateBatchNorm(net, o.recalibration);
        const tc = performance.now();
        const acc = evaluateBatches(net, screen ? screen.first : o.validation);
        const td = performance.now();
        const result: ProposalResult = {
          index, rates: p.rates, genome: p.genome, macs: p.macs, params: p.params, ...acc,
          seconds: { slice: (tb - ta) / 1000, recalibrate: (tc - tb) / 1000, evaluate: (td - tc) / 1000 },
        };
        results.push(result);
        o.onResult?.(result);
        const at = kept.findIndex((k) => better(result, k.result));
        if (kept.length < keep || at >= 0) {
          kept.splice(at < 0 ? kept.length : at, 0, { result, net });
          held = true;
          for (const dropped of kept.splice(keep)) dropped.net.dispose();
        }
      } finally {
        if (!held) net.dispose();
      }
    }
    if (screen) {
      // The finalists on the remaining images: accuracy and loss over all of them.
      kept = kept.map(({ result: r, net }) => {
        const t0s = performance.now();
        const more = evaluateBatches(net, screen.rest);
        const n = r.n + more.n;
        const full: ProposalResult = {
          ...r, n, top1: (r.top1 * r.n + more.top1 * more.n) / Math.max(1, n), loss: (r.loss * r.n + more.loss * more.n) / Math.max(1, n),
          seconds: { ...r.seconds, evaluate: r.seconds.evaluate + (performance.now() - t0s) / 1000 },
        };
        results[results.indexOf(r)] = full;
        return { result: full, net };
      });
      kept.sort((a, b) => (better(a.result, b.result) ? -1 : better(b.result, a.result) ? 1 : a.result.index - b.result.index));
    }
  } catch (e) {
    for (const k of kept) k.net.dispose();
    throw e;
  }
  const [first, ...others] = kept;
  for (const k of others) k.net.dispose();
  if (first === undefined) throw new ConfigError('exploring lottery tickets needs at least one proposal', 'pruning.proposals');
  const best = first.result;
  const ticket = first.net;
  ticket.eval();
  return { results, best, ticket, seconds: (performance.now() - t0) / 1000 };
}
