// `lnas darts`: the LNAS baseline. Search, then retrain the derived genotype from scratch, and
// write a short report tying the two runs together.
import type { StopRequest } from '../train/stop.js';
import { join } from 'node:path';
import { configHash } from '../runs/identity.js';
import { runDirFor } from '../runs/paths.js';
import { genotypeFromJSON } from '../spaces/darts/genotype.js';
import type { DataConfig } from '../data/config.js';
import type { ModelConfig } from './models.js';
import type { OptimConfig, RuntimeConfig } from '../train/config.js';
import type { PruneConfig } from '../pruning/config.js';
import { type TrainSummary, runTrain, trainIdentity } from './train-job.js';
import type { Progress } from '../train/progress.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/fs.js';
import type { SearchConfig } from '../search/darts/config.js';
import { type SearchSummary, runSearch, searchIdentity } from '../search/darts/search-job.js';

export interface DartsJob { data: DataConfig; search: SearchConfig; model: ModelConfig; optim: OptimConfig; prune: PruneConfig; runtime: RuntimeConfig }

export interface DartsSummary { run_dir: string; search: Omit<SearchSummary, 'history'>; train: Omit<TrainSummary, 'history'>; wall_seconds: number }

export async function runDarts(job: DartsJob, o: { runsDir: string; progress: Progress; signal?: StopRequest }): Promise<DartsSummary> {
  const started = performance.now();
  const searched = await runSearch({ data: job.data, search: job.search, runtime: job.runtime }, o);
  // The searched genotype travels as a value: the retraining does not read it back from the search's folder.
  const trainJob = { data: job.data, model: { ...job.model, model: 'darts' as const, genotype: genotypeFromJSON(searched.genotype) }, optim: job.optim, prune: job.prune, runtime: job.runtime };
  const trained = await runTrain(trainJob, o);
  const dir = runDirFor(o.runsDir, 'darts', configHash({ search: searchIdentity(job), train: trainIdentity(trainJob) }));
  const { history: sh, ...search } = searched;
  const { history: th, ...train } = trained;
  const summary: DartsSummary = { run_dir: dir, search, train, wall_seconds: (performance.now() - started) / 1000 };
  writeJsonAtomic(join(dir, 'summary.json'), summary);
  writeFileAtomic(join(dir, 'report.md'), report(summary, sh, th));
  return summary;
}

function report(s: DartsSummary, sh: SearchSummary['history'], th: TrainSummary['history']): string {
  const pct = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? `${(100 * v).toFixed(2)}%` : '-');
  return [
    '# DARTS search and retraining', '',
    `- search run: \`${s.search.run_dir}\` (${s.search.epochs} epochs, ${s.search.search_seconds.toFixed(0)} s)`,
    `- retraining run: \`${s.train.run_dir}\` (${s.train.epochs} epochs, ${s.train.train_seconds.toFixed(0)} s, ${s.train.parameters} parameters)`,
    `- **test accuracy of the retrained network: ${pct(s.train.test_acc)}**`, '',
    '## Genotype', '', '```', s.search.genotype_text, '```', '',
    `![normal cell](${join(s.search.run_dir, 'cell-normal.svg')})`, `![reduction cell](${join(s.search.run_dir, 'cell-reduce.svg')})`, '',
    '## Search, per epoch', '', '| epoch | train acc | search-val acc | α entropy normal/reduce | skip normal/reduce | seconds |', '|---|---|---|---|---|---|',
    ...sh.map((m) => `| ${m.epoch} | ${pct(m.train_acc)} | ${pct(m.val_acc)} | ${Number(m.alpha_entropy_normal).toFixed(3)} / ${Number(m.alpha_entropy_reduce).toFixed(3)} | ${m.skip_normal} / ${m.skip_reduce} | ${Number(m.epoch_time_s).toFixed(0)} |`),
    '', '## Retraining, per epoch', '', '| epoch | lr | train acc | test acc | seconds |', '|---|---|---|---|---|',
    ...th.map((m) => `| ${m.epoch} | ${m.lr.toFixed(4)} | ${pct(m.train_acc)} | ${pct(m.test_acc)} | ${m.epoch_time_s.toFixed(0)} |`),
    '', `Total wall time: ${s.wall_seconds.toFixed(0)} s.`, '',
  ].join('\n');
}
