// From a trial's result to what the engine keeps (EvalResult: fitness, the ticket as the
// trial's population member, and a compact record) and from the engine's history to candidates.json and
// the per-generation statistics (mean parameters, epoch time, ...) the paper's Fig. 4 is about.
import type { EvalResult } from '../../spaces/space.js';
import type { HistoryEntry } from '../evolution/types.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import type { CandidateResult } from './candidate.js';
import type { CandidateRecord, GenerationStats } from './files.js';

type Compact = Omit<CandidateRecord, 'id' | 'generation' | 'genome' | 'ticket'>;

export function evalResultOf(r: CandidateResult): EvalResult<MobileNetGenome> {
  const record: Compact = {
    dir: r.dir, blocks: r.blocks, ticket_blocks: r.ticket_blocks, val_acc: r.val_acc, val_acc_recalibrated: r.val_acc_recalibrated, ticket_acc: r.ticket_acc,
    ticket_acc_recalibrated: r.ticket_acc_recalibrated, ticket_acc_inherited_bn: r.ticket_acc_inherited_bn, mmacs: r.mmacs, params: r.params, ticket_mmacs: r.ticket_mmacs,
    ticket_params: r.ticket_params, epoch_times: r.epoch_times, explore_seconds: r.explore_seconds,
    finetune_seconds: r.finetune_epoch_times.reduce((a, b) => a + b, 0),
  };
  return { fitness: r.ticket_acc, member: r.ticket, ...record };
}

export function recordOf(e: HistoryEntry<MobileNetGenome>, o: { strategy: 'evolution' | 'random'; population: number }): CandidateRecord {
  const r = e.result as unknown as Compact;
  return {
    id: e.id, generation: o.strategy === 'random' ? Math.floor(e.id / o.population) : e.generation,
    dir: r.dir, genome: e.genome, ticket: e.member, blocks: r.blocks, ticket_blocks: r.ticket_blocks, val_acc: r.val_acc, val_acc_recalibrated: r.val_acc_recalibrated, ticket_acc: r.ticket_acc,
    ticket_acc_recalibrated: r.ticket_acc_recalibrated, ticket_acc_inherited_bn: r.ticket_acc_inherited_bn, mmacs: r.mmacs, params: r.params, ticket_mmacs: r.ticket_mmacs,
    ticket_params: r.ticket_params, epoch_times: r.epoch_times, explore_seconds: r.explore_seconds, finetune_seconds: r.finetune_seconds,
    ...(r.latency_ms === undefined ? {} : { latency_ms: r.latency_ms }), ...(r.ticket_latency_ms === undefined ? {} : { ticket_latency_ms: r.ticket_latency_ms }),
  };
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

export function generationStats(records: readonly CandidateRecord[]): GenerationStats[] {
  const generations = [...new Set(records.map((r) => r.generation))].sort((a, b) => a - b);
  return generations.map((generation) => {
    const rs = records.filter((r) => r.generation === generation);
    return {
      generation, n: rs.length,
      mean_params: mean(rs.map((r) => r.params)), mean_ticket_params: mean(rs.map((r) => r.ticket_params)),
      mean_mmacs: mean(rs.map((r) => r.mmacs)), mean_ticket_mmacs: mean(rs.map((r) => r.ticket_mmacs)),
      mean_epoch_seconds: mean(rs.flatMap((r) => r.epoch_times)),
      mean_val_acc: mean(rs.map((r) => r.val_acc)), mean_val_acc_recalibrated: mean(rs.map((r) => r.val_acc_recalibrated)), mean_ticket_acc: mean(rs.map((r) => r.ticket_acc)),
      best_ticket_acc: Math.max(...rs.map((r) => r.ticket_acc)),
    };
  });
}

/** Best ticket accuracy after each trained candidate, in training order (the random-search comparison). */
export function bestSoFar(records: readonly CandidateRecord[]): [number, number][] {
  let best = -Infinity;
  return [...records].sort((a, b) => a.id - b.id).map((r, i) => {
    best = Math.max(best, r.ticket_acc);
    return [i + 1, best];
  });
}
