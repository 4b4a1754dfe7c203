// `lnas search --space nb201`: a resumable weight-sharing search on the NAS-Bench-201 cell space
// (DARTS-V1/V2 with --order 1|2, LNAS Variant 2 with --alpha-sparsity), judged by table lookup.
// Every epoch the cell derived from α (argmax per edge, `none` included) is looked up in the
// benchmark's table, so metrics.jsonl carries the true 200-epoch test accuracy of the current
// genotype on CIFAR-10, CIFAR-100 and ImageNet16-120, its parameters and FLOPs, the skip count
// and the α entropy. The run folder gets arch.txt, alpha.json and report.md; curve.svg is drawn
// by report/nb201/search.ts (the CLI after the search, and `lnas report` at any time).
import { type SearchOptions, searchData } from '../darts/search-job.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDataDir } from '../../data/resolve.js';
import { ConfigError } from '../../errors.js';
import { configHash } from '../../runs/identity.js';
import { runOnce } from '../../runs/lock.js';
import { type RunPaths, runDirFor, runPaths } from '../../runs/paths.js';
import { saveSafetensors } from '../../nn/safetensors.js';
import { formatArch } from '../../spaces/nb201/arch-string.js';
import { cellToGenome, NB201_EDGES, type Nb201Cell } from '../../spaces/nb201/ops.js';
import { NB201_NUM_EDGES, NB201_NUM_OPS, Nb201Supernet, nb201AlphaEntropy } from '../../spaces/nb201/supernet.js';
import { loadNb201Table, type Nb201Table } from '../../spaces/nb201/table.js';
import { batcherState, count, fields, numbers, records, type StateCheck } from '../../train/checkpoint.js';
import type { DataConfig } from '../../data/config.js';
import type { RuntimeConfig } from '../../train/config.js';
import { loadData } from '../../data/setup.js';
import { applyRuntime } from '../../train/runtime.js';
import { writeFileAtomic, writeJsonAtomic } from '../../util/fs.js';
import { checkSearchConfig, type SearchConfig } from '../darts/config.js';
import { searchIdentity } from '../darts/search-job.js';
import { type CellSearch, runSearchLoop } from '../search-loop.js';
import { Nb201AlphaPruner } from '../../pruning/alpha-nb201.js';

export interface Nb201SearchJob { data: DataConfig; search: SearchConfig; runtime: RuntimeConfig }

/** The table's figures for one cell, as metrics.jsonl and the summary carry them (accuracies in %). */
export interface Nb201Lookup {
  arch: string;
  cifar10_test: number;
  cifar100_test: number;
  imagenet16_test: number;
  cifar10_valid: number;
  params_mb: number;
  flops_m: number;
  skip_count: number;
  none_count: number;
  /** The output node is reachable from the input through edges that are not `none`. */
  connected: boolean;
}

export interface Nb201SearchSummary extends Nb201Lookup {
  run_dir: string;
  space: 'nb201';
  method: string;
  search_seconds: number;
  epochs: number;
  final_val_acc: number;
  alpha_sparsity: number;
  alpha_entropy: number;
  /** The epoch (1-based) whose derived cell scored best on CIFAR-10 test, and that score. */
  peak_epoch: number;
  peak_cifar10_test: number;
  history: Record<string, unknown>[];
}

const maskRows = (v: unknown): boolean =>
  Array.isArray(v) && v.length === NB201_NUM_EDGES && v.every((r) => Array.isArray(r) && r.length === NB201_NUM_OPS && r.every((x) => x === 0 || x === 1));
const prunerState = (v: unknown): string | undefined => {
  const p = v as { roundsDone?: unknown; mask?: unknown } | null;
  return p !== null && typeof p === 'object' && count(p.roundsDone) === undefined && maskRows(p.mask) ? undefined : 'is not an NB201 α-pruning state';
};
const checkState: StateCheck = (s) => fields(s, {
  epoch: count, step: count, train: batcherState, val: batcherState, partial: numbers(['loss', 'valLoss', 'valN', 'correct', 'n', 'seconds']), history: records, pruner: prunerState,
});

/** Where the table lives: `<data dir>/nasbench201/nb201_full.csv` (--data-dir, else LNAS_DATA_DIR, else the default). */
export function nb201TablePath(data: Pick<DataConfig, 'dataDir'>): string {
  return join(resolveDataDir(data.dataDir ?? undefined), 'nasbench201', 'nb201_full.csv');
}

/** DARTS-V1, DARTS-V2 or Variant 2 at sparsity p. */
export function methodName(s: Pick<SearchConfig, 'order' | 'alphaSparsity'>): string {
  return s.alphaSparsity > 0 ? `v2@${s.alphaSparsity}${s.order === 2 ? '/order2' : ''}` : `darts${s.order}`;
}

/** Does a path of non-`none` edges lead from node 0 to node 3? */
export function nb201Connected(cell: Nb201Cell): boolean {
  const reach = [true, false, false, false];
  NB201_EDGES.forEach((e, i) => { if (cell[i] !== 'none' && reach[e.from]) reach[e.to] = true; });
  return reach[3] as boolean;
}

export function lookupCell(table: Nb201Table, cell: Nb201Cell): Nb201Lookup {
  const r = table.row(cellToGenome(cell));
  return {
    arch: formatArch(cell), cifar10_test: r.cifar10Test, cifar100_test: r.cifar100Test, imagenet16_test: r.imagenet16Test, cifar10_valid: r.cifar10Valid,
    params_mb: r.paramsMb, flops_m: r.flopsM, skip_count: cell.filter((o) => o === 'skip_connect').length, none_count: cell.filter((o) => o === 'none').length,
    connected: nb201Connected(cell),
  };
}

export async function runNb201Search(job: Nb201SearchJob, o: SearchOptions): Promise<Nb201SearchSummary> {
  if (job.search.space !== 'nb201') throw new ConfigError('runNb201Search needs --space nb201', 'search.space');
  checkSearchConfig(job.search);
  const paths = runPaths(o.runDir ?? runDirFor(o.runsDir, 'search', configHash(searchIdentity(job))));
  return runOnce(paths, () => o.progress.log(`search: ${paths.dir} is already complete`), () => searchInFolder(job, paths, o));
}

async function searchInFolder(job: Nb201SearchJob, paths: RunPaths, o: SearchOptions): Promise<Nb201SearchSummary> {
  const s = job.search;
  const threads = applyRuntime(job.runtime, s.seed);
  // The table and the data first: either failing to load leaves no run folder behind.
  const table = loadNb201Table(nb201TablePath(job.data));
  const ds = await loadData(job.data);
  writeJsonAtomic(paths.config, { kind: 'search', ...job });
  const net = new Nb201Supernet({ channels: s.channels, cellsPerStage: s.cellsPerStage, classes: ds.train.classes, inChannels: ds.train.channels });
  const alphaEpochs = s.epochs - s.alphaWarmup;
  const pruner = new Nb201AlphaPruner(s.alphaSparsity, s.pruneRounds || alphaEpochs, alphaEpochs);
  const space: CellSearch<Nb201Supernet> = {
    net, pruner, alphaTensors: [['alpha', net.alpha]], checkState,
    startLine: `search nb201 (${methodName(s)}): C=${s.channels}, N=${s.cellsPerStage}, ${threads} threads`,
    progressFields: (last) => ({ c10: last ? `${Number(last.cifar10_test).toFixed(2)}%` : '-', skip: (last?.skip_count as number | undefined) ?? '-' }),
    epochMetrics: () => ({
      alpha_alive: net.mask.reduce((t, r) => t + r.reduce((a, b) => a + b, 0), 0), alpha_entropy: nb201AlphaEntropy(net.alphaValues(), net.mask),
      ...lookupCell(table, net.derive()),
    }),
    epochLine: (m) => `${m.arch} CIFAR-10 ${Number(m.cifar10_test).toFixed(2)}% / CIFAR-100 ${Number(m.cifar100_test).toFixed(2)}% / ` +
      `ImageNet16-120 ${Number(m.imagenet16_test).toFixed(2)}%, ${m.params_mb} MB, ${m.flops_m} MFLOPs, skip ${m.skip_count}, entropy ${Number(m.alpha_entropy).toFixed(4)}, ` +
      `val_acc ${m.val_acc === null ? '-' : Number(m.val_acc).toFixed(4)}, ${Number(m.epoch_time_s).toFixed(0)} s`,
  };
  return runSearchLoop(job, { ds, augmentFrom: searchData(job.data, s) }, paths, o, space, (_, history) => {
    const cell = net.derive();
    const look = lookupCell(table, cell);
    writeFileAtomic(paths.stage('arch.txt'), `${look.arch}\n`);
    saveSafetensors(paths.final, new Map([...net.stateDict(), ['alpha', net.alpha]]), { format: 'lnas-nb201-supernet', arch: look.arch });
    writeJsonAtomic(paths.stage('alpha.json'), { alpha: net.alphaValues(), mask: net.mask.map((r) => Array.from(r)) });
    writeFileAtomic(paths.report, nb201Report(s, look, history));
    const last = history[history.length - 1] ?? {};
    const peak = history.reduce((b, m) => (Number(m.cifar10_test) > Number(b.cifar10_test) ? m : b), history[0] ?? {});
    const summary: Nb201SearchSummary = {
      run_dir: paths.dir, space: 'nb201', method: methodName(s), ...look,
      search_seconds: history.reduce((t, m) => t + Number(m.epoch_time_s), 0), epochs: history.length,
      final_val_acc: Number(last.val_acc ?? NaN), alpha_sparsity: pruner.achieved(net), alpha_entropy: nb201AlphaEntropy(net.alphaValues(), net.mask),
      peak_epoch: Number(peak.epoch), peak_cifar10_test: Number(peak.cifar10_test), history,
    };
    writeJsonAtomic(paths.summary, summary);
    return summary;
  });
}

/** A run folder written by `lnas search --space nb201` (config.json of kind search, space nb201). */
export function isNb201SearchFolder(dir: string): boolean {
  const p = runPaths(dir);
  if (!existsSync(p.config)) return false;
  try {
    const c = JSON.parse(readFileSync(p.config, 'utf8')) as { kind?: unknown; search?: { space?: unknown } };
    return c.kind === 'search' && c.search?.space === 'nb201';
  } catch {
    return false;
  }
}

/** report.md of an NB201 search (report/nb201/search.ts draws curve.svg beside it). */
export function nb201Report(s: SearchConfig, look: Nb201Lookup, history: readonly Record<string, unknown>[]): string {
  const f2 = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(2) : '-');
  return [
    '# NAS-Bench-201 search', '',
    `Supernet C=${s.channels}, N=${s.cellsPerStage} cells per stage, ${s.order === 2 ? 'second' : 'first'}-order DARTS, ${s.epochs} epochs` +
      (s.alphaWarmup > 0 ? ` (${s.alphaWarmup} of weights only)` : '') + `, batch ${s.batchSize}, α lr ${s.alphaLr}` +
      (s.alphaEvery > 1 ? ` every ${s.alphaEvery} steps` : '') + (s.alphaSparsity > 0 ? `, α sparsity ${s.alphaSparsity} (LNAS Variant 2)` : '') + '.', '',
    '## Derived cell', '', '```', look.arch, '```', '',
    `Looked up in the table (200-epoch training): CIFAR-10 test **${f2(look.cifar10_test)}%**, CIFAR-100 ${f2(look.cifar100_test)}%, ` +
      `ImageNet16-120 ${f2(look.imagenet16_test)}%; ${look.params_mb} MB parameters, ${look.flops_m} MFLOPs; ${look.skip_count} skip_connect` +
      (look.connected ? '' : '; the cell is disconnected (no path from input to output)') + '.', '',
    '![true accuracy of the derived cell per epoch](curve.svg)', '',
    '## Per epoch', '', '| epoch | derived cell | CIFAR-10 | CIFAR-100 | ImageNet16-120 | skip | α entropy | α alive | search-val acc | seconds |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...history.map((m) => `| ${m.epoch} | \`${m.arch}\` | ${f2(m.cifar10_test)} | ${f2(m.cifar100_test)} | ${f2(m.imagenet16_test)} | ${m.skip_count} | ` +
      `${Number(m.alpha_entropy).toFixed(4)} | ${m.alpha_alive} | ${typeof m.val_acc === 'number' ? (100 * m.val_acc).toFixed(2) + '%' : '-'} | ${Number(m.epoch_time_s).toFixed(0)} |`),
    '',
  ].join('\n');
}
