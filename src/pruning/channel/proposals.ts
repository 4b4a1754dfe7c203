// Random pruning proposals for a trained candidate: one rate per active layer, drawn uniformly
// from the space's prune-rate choices within [minRate, maxRate]. Rates are absolute (a fraction
// of the unpruned expansion width) and never below the genome's current rate, so every proposal
// is itself a genome of the space: the lottery ticket can replace its parent in the population.
// With a FLOPs target, proposals outside target ± tolerance are rejected and drawn again.

import { ConfigError, LnasError } from '../../errors.js';
import type { Rng } from '../../util/rng.js';
import { resolveArch } from '../../spaces/mobilenet/arch.js';
import type { MobileNetSpaceConfig } from '../../spaces/mobilenet/config.js';
import { archMacs, archParams } from '../../spaces/mobilenet/cost.js';
import { type MobileNetGenome, viewGenome, withPruneRates } from '../../spaces/mobilenet/genome.js';

export interface ProposalOptions {
  /** Distinct proposals wanted (K). */
  readonly count: number;
  readonly rng: Rng;
  readonly minRate?: number;
  readonly maxRate?: number;
  /** MACs per image the pruned network should have, within ± `tolerance` (a fraction of target). */
  readonly flops?: { readonly target: number; readonly tolerance: number };
  /** Draws before giving up (default 200 per wanted proposal). */
  readonly maxAttempts?: number;
}

export interface PruningProposal {
  /** Prune rate per active layer, keyed by layer label (`s2_i1`). */
  readonly rates: Readonly<Record<string, number>>;
  readonly genome: MobileNetGenome;
  readonly macs: number;
  readonly params: number;
}

/** Per active layer, the prune rates a proposal may choose. */
export function allowedRates(genome: MobileNetGenome, config: MobileNetSpaceConfig, minRate = 0, maxRate = 1): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const st of viewGenome(genome).stages) {
    for (const l of st.layers) {
      const lo = Math.max(minRate, l.prune);
      const ok = config.choices.pruneRates.filter((r) => r >= lo && r <= maxRate);
      out.set(l.label, ok.length > 0 ? [...ok].sort((a, b) => a - b) : [l.prune]);
    }
  }
  return out;
}

function proposal(genome: MobileNetGenome, config: MobileNetSpaceConfig, rates: Record<string, number>): PruningProposal {
  const g = withPruneRates(genome, rates);
  const a = resolveArch(g, config);
  return { rates, genome: g, macs: archMacs(a), params: archParams(a) };
}

/**
 * Up to `count` distinct proposals (fewer when the allowed rates admit fewer, or the FLOPs
 * window is too narrow to find more within maxAttempts draws). LNAS_PRUNE_INFEASIBLE if a FLOPs
 * window is requested that no proposal can reach.
 */
export function sampleProposals(genome: MobileNetGenome, config: MobileNetSpaceConfig, o: ProposalOptions): PruningProposal[] {
  if (!Number.isInteger(o.count) || o.count < 1) throw new ConfigError(`pruning.proposals must be an integer >= 1, got ${o.count}`, 'pruning.proposals');
  const minRate = o.minRate ?? 0;
  const maxRate = o.maxRate ?? Math.max(...config.choices.pruneRates);
  if (!(minRate >= 0 && minRate <= maxRate && maxRate < 1)) {
    throw new ConfigError(`pruning rates need 0 <= minRate <= maxRate < 1, got [${minRate}, ${maxRate}]`, 'pruning.minRate');
  }
  const allowed = allowedRates(genome, config, minRate, maxRate);
  const f = o.flops;
  if (f && !(f.target > 0 && f.tolerance >= 0)) {
    throw new ConfigError(`pruning.flops needs a positive target and a tolerance >= 0, got ${f.target} ± ${f.tolerance}`, 'pruning.flops');
  }
  const inWindow = (macs: number) => !f || Math.abs(macs - f.target) <= f.tolerance * f.target;
  if (f) {
    const pick = (side: 'lo' | 'hi') => Object.fromEntries([...allowed].map(([l, rs]) => [l, (side === 'lo' ? rs[rs.length - 1] : rs[0]) as number]));
    const least = proposal(genome, config, pick('lo')).macs;
    const most = proposal(genome, config, pick('hi')).macs;
    if (least > f.target * (1 + f.tolerance) || most < f.target * (1 - f.tolerance)) {
      throw new LnasError('LNAS_PRUNE_INFEASIBLE', `no pruning proposal reaches ${f.target} MACs ± ${f.tolerance * 100}%: ` +
        `the allowed rates give ${least} to ${most} MACs; widen the tolerance or the rate range`, { path: 'pruning.flops' });
    }
  }
  const maxAttempts = o.maxAttempts ?? 200 * o.count;
  const seen = new Set<string>();
  const out: PruningProposal[] = [];
  for (let attempt = 0; attempt < maxAttempts && out.length < o.count; attempt++) {
    const rates: Record<string, number> = {};
    for (const [label, rs] of allowed) rates[label] = o.rng.choice(rs);
    const key = JSON.stringify(rates);
    if (seen.has(key)) continue;
    seen.add(key);
    const p = proposal(genome, config, rates);
    if (inWindow(p.macs)) out.push(p);
  }
  if (out.length === 0) {
    throw new LnasError('LNAS_PRUNE_INFEASIBLE', `no pruning proposal within ${f ? `${f.target} MACs ± ${f.tolerance * 100}%` : 'the rate range'} ` +
      `after ${maxAttempts} draws; widen the tolerance or raise maxAttempts`, { path: 'pruning.flops' });
  }
  return out;
}
