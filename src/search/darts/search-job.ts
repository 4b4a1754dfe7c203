// `lnas search`: a resumable DARTS search in a hash-named run folder. Writes per-epoch metrics
// (losses, accuracies, α entropy, skip count, the current genotype), checkpoints, and at the end
// the genotype (.json and DARTS text), α, cell diagrams and a summary.
import type { StopRequest } from '../../train/stop.js';
import { normalize } from '../../config/schema.js';
import { type DataConfig, DataSchema } from '../../data/config.js';
import { loadData } from '../../data/setup.js';
import { ConfigError } from '../../errors.js';
import { configHash } from '../../runs/identity.js';
import { runOnce } from '../../runs/lock.js';
import { type RunPaths, runDirFor, runPaths } from '../../runs/paths.js';
import { cellToSvg } from '../../spaces/darts/cell-svg.js';
import { genotypeToJSON, type Genotype } from '../../spaces/darts/genotype.js';
import { formatGenotype } from '../../spaces/darts/genotype-text.js';
import { Supernet } from '../../spaces/darts/supernet.js';
import { NUM_EDGES, NUM_OPS } from '../../spaces/darts/primitives.js';
import { writeFileAtomic, writeJsonAtomic } from '../../util/fs.js';
import type { RuntimeConfig } from '../../train/config.js';
import { type StateCheck, batcherState, count, fields, numbers, records } from '../../train/checkpoint.js';
import { applyRuntime } from '../../train/runtime.js';
import type { Progress } from '../../train/progress.js';
import { checkSearchConfig, type SearchConfig, SearchSchema } from './config.js';
import { searchDiagnostics } from './metrics.js';
import { type CellSearch, runSearchLoop } from '../search-loop.js';
import { AlphaPruner, maskRows } from '../../pruning/alpha.js';

export interface SearchJob { data: DataConfig; search: SearchConfig; runtime: RuntimeConfig }

export interface SearchSummary {
  run_dir: string;
  genotype: ReturnType<typeof genotypeToJSON>;
  genotype_text: string;
  search_seconds: number;
  epochs: number;
  final_val_acc: number;
  alpha_sparsity: number;
  history: Record<string, unknown>[];
}

/** A mask row per edge, an entry per op: what AlphaPruner.state() writes. */
const isMaskRows = (v: unknown): boolean =>
  Array.isArray(v) && v.length === NUM_EDGES && v.every((r) => Array.isArray(r) && r.length === NUM_OPS && r.every((x) => x === 0 || x === 1));
const prunerState = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  const p = v as { roundsDone?: unknown; normal?: unknown; reduce?: unknown };
  return typeof v === 'object' && count(p.roundsDone) === undefined && isMaskRows(p.normal) && isMaskRows(p.reduce) ? undefined : 'is not an α-pruning state';
};

/** The SearchState a search checkpoint holds. */
const checkSearchState: StateCheck = (s) => fields(s, {
  epoch: count, step: count, train: batcherState, val: batcherState, partial: numbers(['loss', 'valLoss', 'correct', 'n', 'seconds']), history: records, pruner: prunerState,
});

/**
 * Data options a search does not read: its batches come from --batch-size of the search section,
 * its augmentation is the dataset's default (DARTS' pad-4 crop and flip on CIFAR), its validation half is split from the training
 * images. `lnas search` refuses them; `lnas darts` and `lnas sweep` pass them to the retraining only.
 */
export const SEARCH_UNUSED_DATA = ['batchSize', 'evalBatchSize', 'valSize', 'testLimit', 'crop', 'flip', 'cutout'] as const;

/**
 * The data options as the search sees them: the unused ones at their defaults, and a training
 * limit that does not cut below --search-images dropped. The same search then has the same
 * identity (and folder) under `lnas search`, `lnas darts` and `lnas sweep`.
 */
export function searchData(d: DataConfig, s: Pick<SearchConfig, 'searchImages'>): DataConfig {
  const out = { ...d } as Record<string, unknown>;
  for (const k of SEARCH_UNUSED_DATA) out[k] = DataSchema[k].default;
  // Real datasets are read in file order, so the first searchImages images are the same under any larger limit.
  if (d.dataset !== 'synthetic' && s.searchImages > 0 && d.trainLimit >= s.searchImages) out.trainLimit = DataSchema.trainLimit.default;
  return out as DataConfig;
}

export function searchIdentity(job: SearchJob): Record<string, unknown> {
  return { data: { ...normalize(DataSchema, searchData(job.data, job.search)), dataDir: undefined }, search: normalize(SearchSchema, job.search) };
}

/** `signal`: stop cleanly (checkpoint at the current step, then `Interrupted`); the same call resumes. */
export interface SearchOptions { runsDir: string; runDir?: string; progress: Progress; signal?: StopRequest }

export async function runSearch(job: SearchJob, o: SearchOptions): Promise<SearchSummary> {
  const s = job.search;
  if (s.space !== 'darts') throw new ConfigError(`only \`lnas search --space ${s.space}\` searches the ${s.space} space (its cells are judged by table lookup, not retrained)`, 'search.space');
  checkSearchConfig(s);
  const paths = runPaths(o.runDir ?? runDirFor(o.runsDir, 'search', configHash(searchIdentity(job))));
  return runOnce(paths, () => o.progress.log(`search: ${paths.dir} is already complete`), () => searchInFolder(job, paths, o));
}

async function searchInFolder(job: SearchJob, paths: RunPaths, o: SearchOptions): Promise<SearchSummary> {
  const s = job.search;
  const threads = applyRuntime(job.runtime, s.seed);
  // The data first: a dataset that fails to load leaves no run folder behind.
  const ds = await loadData(job.data);
  writeJsonAtomic(paths.config, { kind: 'search', ...job });
  const net = new Supernet({ channels: s.channels, layers: s.layers, classes: ds.train.classes, inChannels: ds.train.channels });
  // Pruning rounds are spread over the epochs that update α (after the warm-up).
  const alphaEpochs = s.epochs - s.alphaWarmup;
  const pruner = new AlphaPruner(s.alphaSparsity, s.pruneRounds || alphaEpochs, alphaEpochs);
  const space: CellSearch<Supernet> = {
    net, pruner, alphaTensors: [['alpha.normal', net.alpha.normal], ['alpha.reduce', net.alpha.reduce]], checkState: checkSearchState,
    startLine: `search: C=${s.channels}, ${s.layers} cells, order ${s.order}, ${threads} threads`,
    progressFields: (last) => ({ skip: (last?.skip_normal as number | undefined) ?? '-' }),
    epochMetrics: () => searchDiagnostics(net),
    epochLine: (m) => `train_acc ${Number(m.train_acc).toFixed(4)}, val_acc ${m.val_acc === null ? '-' : Number(m.val_acc).toFixed(4)}, ` +
      `entropy ${Number(m.alpha_entropy_normal).toFixed(3)}/${Number(m.alpha_entropy_reduce).toFixed(3)}, skip ${m.skip_normal}/${m.skip_reduce}, ${Number(m.epoch_time_s).toFixed(0)} s`,
  };
  return runSearchLoop(job, { ds, augmentFrom: searchData(job.data, s) }, paths, o, space, (_, history) => {
    const g = net.genotype();
    writeOutputs(paths, g, net);
    writeFileAtomic(paths.report, searchReport(s, g, history));
    const last = history[history.length - 1] ?? {};
    const summary: SearchSummary = {
      run_dir: paths.dir, genotype: genotypeToJSON(g), genotype_text: formatGenotype(g),
      search_seconds: history.reduce((t, m) => t + Number(m.epoch_time_s), 0), epochs: history.length,
      final_val_acc: Number(last.val_acc ?? NaN), alpha_sparsity: pruner.achieved(net), history,
    };
    writeJsonAtomic(paths.summary, summary);
    return summary;
  });
}

function searchReport(s: SearchConfig, g: Genotype, history: Record<string, unknown>[]): string {
  const pct = (v: unknown) => (typeof v === 'number' ? `${(100 * v).toFixed(2)}%` : '-');
  return [
    '# DARTS search', '',
    `Supernet C=${s.channels}, ${s.layers} cells, ${s.order === 2 ? 'second' : 'first'}-order, ${s.epochs} epochs, batch ${s.batchSize}` +
      (s.alphaSparsity > 0 ? `, α sparsity ${s.alphaSparsity} (LNAS Variant 2)` : '') + '.', '',
    '## Genotype', '', '```', formatGenotype(g), '```', '', '![normal cell](cell-normal.svg) ![reduction cell](cell-reduce.svg)', '',
    '## Per epoch', '', '| epoch | train acc | search-val acc | α entropy normal / reduce | skip_connect normal / reduce | α alive | seconds |',
    '|---|---|---|---|---|---|---|',
    ...history.map((m) => `| ${m.epoch} | ${pct(m.train_acc)} | ${pct(m.val_acc)} | ${Number(m.alpha_entropy_normal).toFixed(3)} / ${Number(m.alpha_entropy_reduce).toFixed(3)} | ` +
      `${m.skip_normal} / ${m.skip_reduce} | ${m.alpha_alive} | ${Number(m.epoch_time_s).toFixed(0)} |`),
    '',
  ].join('\n');
}

function writeOutputs(paths: ReturnType<typeof runPaths>, g: Genotype, net: Supernet): void {
  writeJsonAtomic(paths.genotypeJson, genotypeToJSON(g));
  writeFileAtomic(paths.genotypeText, `${formatGenotype(g)}\n`);
  writeJsonAtomic(paths.stage('alpha.json'), { normal: net.alphaValues('normal'), reduce: net.alphaValues('reduce'),
    mask_normal: maskRows(net.mask.normal), mask_reduce: maskRows(net.mask.reduce) });
  for (const kind of ['normal', 'reduce'] as const) writeFileAtomic(paths.cellSvg(kind), cellToSvg(g, kind));
}
