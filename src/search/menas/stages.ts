// After the search: the final retraining of the best ticket with the full schedule, and the
// paper's Fig. 4(c): generation 0's first architecture (a random sample) and two of its lottery
// tickets (its best and second-best pruning proposals) retrained from scratch under one
// setting. All of them run at once on the search's pool; each resumes from its own folder.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TrialExecutor } from '../../workers/trial.js';
import { type MobileNetGenome, withPruneRates } from '../../spaces/mobilenet/genome.js';
import type { CandidateResult } from './candidate.js';
import type { EvolveConfig } from './config.js';
import type { CandidateRecord, RetrainRef } from './files.js';
import { retrainPayload } from './payloads.js';
import { RETRAIN_HANDLER, type RetrainPayload, type RetrainSummary } from './retrain.js';

export interface LaterStageOptions {
  runsDir: string;
  pool: TrialExecutor;
  log: (line: string) => void;
  best: MobileNetGenome;
  records: readonly CandidateRecord[];
}

/** Generation 0's first candidate and its two best proposals, as retraining jobs. */
export function figure4Jobs(cfg: EvolveConfig, runsDir: string, records: readonly CandidateRecord[]): { payload: RetrainPayload; source: number }[] {
  const first = [...records].sort((a, b) => a.id - b.id)[0];
  if (!first || !existsSync(join(first.dir, 'result.json'))) return [];
  const result = JSON.parse(readFileSync(join(first.dir, 'result.json'), 'utf8')) as CandidateResult;
  const ranked = [...result.proposals].sort((a, b) => b.top1 - a.top1 || a.loss - b.loss || a.index - b.index);
  const tickets = ranked.slice(0, 2).map((p) => withPruneRates(result.genome, p.rates));
  const e = cfg.final.fig4Epochs;
  return [
    { payload: retrainPayload(cfg, runsDir, result.genome, 'fig4-original', e), source: first.id },
    ...tickets.map((g, i) => ({ payload: retrainPayload(cfg, runsDir, g, `fig4-ticket${i + 1}`, e), source: first.id })),
  ];
}

export async function runLaterStages(cfg: EvolveConfig, o: LaterStageOptions): Promise<{ final: RetrainRef | null; figure4: RetrainRef[] }> {
  const jobs: { payload: RetrainPayload; source: number | null }[] = [];
  if (cfg.final.epochs > 0) jobs.push({ payload: retrainPayload(cfg, o.runsDir, o.best, 'final', cfg.final.epochs), source: null });
  if (cfg.final.fig4Epochs > 0) jobs.push(...figure4Jobs(cfg, o.runsDir, o.records));
  const refs = jobs.map(({ payload, source }): RetrainRef => ({ label: payload.label, dir: payload.dir, genome: payload.genome, source }));
  const outcomes = await Promise.allSettled(jobs.map(async ({ payload }) => {
    const id = `${payload.label}-${basename(payload.dir)}`;
    if (existsSync(join(payload.dir, 'summary.json'))) { o.log(`[${id}] already retrained: ${payload.dir}`); return; }
    o.log(`[${id}] retraining for ${payload.optim.epochs} epochs -> ${payload.dir}`);
    const s = await o.pool.submit<RetrainSummary>({ id, ...RETRAIN_HANDLER, payload, lock: join(payload.dir, 'worker.lock'), collect: payload.dir });
    o.log(`[${id}] done: test ${(100 * s.test_acc).toFixed(2)}%, ${s.train_seconds.toFixed(0)} s of training`);
  }));
  const failed = outcomes.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { final: refs.find((r) => r.label === 'final') ?? null, figure4: refs.filter((r) => r.label !== 'final') };
}
