// The worker side of a sweep stage: a pool trial handler that runs one search or one retraining
// in its run folder (resuming it if a checkpoint is there) with the pool's thread count.
import { type SearchJob, runSearch } from '../search/darts/search-job.js';
import { type TrainJob, runTrain } from './train-job.js';
import type { TrialContext } from '../workers/trial.js';

export type StagePayload =
  | { kind: 'search'; dir: string; runsDir: string; job: SearchJob }
  | { kind: 'train'; dir: string; runsDir: string; job: TrainJob };

/** Module and export for TrialSpec, relative to dist/. */
export const STAGE_HANDLER = { module: 'experiments/sweep-stages.js', export: 'runSweepStage' } as const;

/** `seconds`: the run's own epoch time (summed over resumes); wall and CPU: this worker process only. */
export interface StageResult { kind: 'search' | 'train'; run_dir: string; seconds: number; wall_seconds: number; cpu_seconds: number }

export async function runSweepStage(p: StagePayload, ctx: TrialContext): Promise<StageResult> {
  const runtime = { ...p.job.runtime, threads: ctx.threads };
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const usage = () => {
    const c = process.cpuUsage(cpu0);
    return { wall_seconds: (performance.now() - wall0) / 1000, cpu_seconds: (c.user + c.system) / 1e6 };
  };
  const o = { runsDir: p.runsDir, runDir: p.dir, progress: ctx.progress, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  if (p.kind === 'search') {
    const s = await runSearch({ ...p.job, runtime }, o);
    return { kind: 'search', run_dir: s.run_dir, seconds: s.search_seconds, ...usage() };
  }
  const t = await runTrain({ ...p.job, runtime }, o);
  return { kind: 'train', run_dir: t.run_dir, seconds: t.train_seconds, ...usage() };
}
