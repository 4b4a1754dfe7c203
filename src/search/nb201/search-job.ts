// `lnas search --space nb201`: a resumable weight-sharing search on the NAS-Bench-201 cell space
// (DARTS-V1/V2 with --order 1|2, LNAS Variant 2 with --alpha-sparsity), judged by table lookup.
// Every epoch the cell derived from α (argmax per edge, `none` included) is looked up in the
// benchmark's table, so metrics.jsonl carries the true 200-epoch test accuracy of the current
// genotype on CIFAR-10, CIFAR-100 and ImageNet16-120, its parameters and FLOPs, the skip count
// and the α entropy. The run folder gets arch.txt, alpha.json and report.md; curve.svg is drawn
// by report/nb201/search.ts (the CLI after the search, and `lnas report` at any time).
import { Interrupted } from '../../errors.js';
import { type SearchOptions, searchData } from '../darts/search-job.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Batcher } from '../../data/batcher.js';
import { resolveDataDir } from '../../data/resolve.js';
import { dartsSplit } from '../../data/splits.js';
import { ConfigError, DataError } from '../../errors.js';
import { configHash } from '../../runs/identity.js';
import { withRunLock } from '../../runs/lock.js';
import { type RunPaths, readRunJson, runDirFor, runPaths } from '../../runs/paths.js';
import { saveSafetensors } from '../../nn/safetensors.js';
import { Adam } from '../../optim/adam.js';
import { lrAt } from '../../optim/schedule.js';
import { SGD } from '../../optim/sgd.js';
import { formatArch } from '../../spaces/nb201/arch-string.js';
import { cellToGenome, NB201_EDGES, type Nb201Cell } from '../../spaces/nb201/ops.js';
import { NB201_NUM_EDGES, NB201_NUM_OPS, Nb201Supernet, nb201AlphaEntropy } from '../../spaces/nb201/supernet.js';
import { loadNb201Table, type Nb201Table } from '../../spaces/nb201/table.js';
import { scope } from '../../tensor/scope.js';
import { batcherState, count, fields, loadCheckpoint, numbers, records, saveCheckpoint, type StateCheck } from '../../train/checkpoint.js';
import type { DataConfig } from '../../data/config.js';
import { type RuntimeConfig, layoutOf } from '../../train/config.js';
import { augmentOf, geometryOf, loadData } from '../../data/setup.js';
import { checkFiniteWeights, checkLoss } from '../../train/divergence.js';
import { applyRuntime } from '../../train/runtime.js';
import { batchTensors, evaluate } from '../../train/loop.js';
import type { Progress } from '../../train/progress.js';
import { appendLine, writeFileAtomic, writeJsonAtomic } from '../../util/fs.js';
import { searchStep } from '../darts/architect.js';
import { checkSearchConfig, type SearchConfig } from '../darts/config.js';
import { searchIdentity } from '../darts/search-job.js';
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

interface Nb201SearchState {
  epoch: number;
  step: number;
  train: ReturnType<Batcher['state']>;
  val: ReturnType<Batcher['state']>;
  partial: { loss: number; valLoss: number; valN: number; correct: number; n: number; seconds: number };
  history: Record<string, unknown>[];
  pruner: unknown;
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
  if (existsSync(paths.summary)) {
    o.progress.log(`search: ${paths.dir} is already complete`);
    return readRunJson<Nb201SearchSummary>(paths.summary);
  }
  return withRunLock(paths.dir, () => searchInFolder(job, paths, o));
}

async function searchInFolder(job: Nb201SearchJob, paths: RunPaths, o: SearchOptions): Promise<Nb201SearchSummary> {
  const s = job.search;
  if (existsSync(paths.summary)) return readRunJson<Nb201SearchSummary>(paths.summary);
  const threads = applyRuntime(job.runtime, s.seed);
  // The table and the data first: either failing to load leaves no run folder behind.
  const table = loadNb201Table(nb201TablePath(job.data));
  const ds = await loadData(job.data);
  writeJsonAtomic(paths.config, { kind: 'search', ...job });
  const n = s.searchImages > 0 ? Math.min(s.searchImages, ds.train.n) : ds.train.n;
  const split = dartsSplit(n, s.seed, { portion: s.trainPortion });
  const layout = layoutOf(job.runtime.memoryFormat);
  const geometry = geometryOf(ds.train);
  const common = { batchSize: s.batchSize, mean: ds.mean, std: ds.std, layout, augment: augmentOf(searchData(job.data, s)) } as const;
  const trainB = new Batcher(ds.train, { ...common, indices: split.train, seed: s.seed });
  const valB = new Batcher(ds.train, { ...common, indices: split.val, seed: s.seed + 1 });
  const valEval = new Batcher(ds.train, { batchSize: 256, mean: ds.mean, std: ds.std, layout, indices: split.val, shuffle: false, augment: null });
  const net = new Nb201Supernet({ channels: s.channels, cellsPerStage: s.cellsPerStage, classes: ds.train.classes, inChannels: ds.train.channels });
  if (layout === 'nhwc') net.toMemoryFormat('channelsLast');
  const wOpt = new SGD(net.parameters(), { lr: s.lr, momentum: s.momentum, weightDecay: s.weightDecay });
  const aOpt = new Adam(net.archParameters(), { lr: s.alphaLr, beta1: s.alphaBeta1, beta2: s.alphaBeta2, weightDecay: s.alphaWeightDecay });
  const alphaEpochs = s.epochs - s.alphaWarmup;
  const pruner = new Nb201AlphaPruner(s.alphaSparsity, s.pruneRounds || alphaEpochs, alphaEpochs);
  const target = { model: net, optimizers: { weights: wOpt, alpha: aOpt }, extra: new Map([['alpha', net.alpha]]) };
  const schedule = { kind: 'cosine', lr: s.lr, etaMin: s.lrMin, epochs: s.epochs } as const;
  let epoch = 0;
  let partial = { loss: 0, valLoss: 0, valN: 0, correct: 0, n: 0, seconds: 0 };
  let history: Record<string, unknown>[] = [];
  const resumed = loadCheckpoint<Nb201SearchState>(paths.checkpoint, target, checkState);
  if (resumed) {
    checkFiniteWeights(net, paths.checkpoint);
    ({ epoch, partial, history } = resumed);
    trainB.restore(resumed.train);
    valB.restore(resumed.val);
    pruner.restore(net, resumed.pruner);
    writeFileAtomic(paths.metrics, history.map((m) => JSON.stringify(m)).join('\n') + (history.length ? '\n' : ''));
    o.progress.log(`search: resumed at epoch ${epoch + 1}, step ${resumed.step}`);
  } else {
    o.progress.log(`search nb201 (${methodName(s)}): C=${s.channels}, N=${s.cellsPerStage}, ${split.train.length}+${split.val.length} images, ${threads} threads -> ${paths.dir}`);
  }
  const save = (epochsDone: number, step: number) => saveCheckpoint(paths.checkpoint, target, {
    epoch: epochsDone, step, train: trainB.state(), val: valB.state(), partial, history, pruner: pruner.state(net),
  } satisfies Nb201SearchState);
  try {
    for (; epoch < s.epochs; epoch++) {
      const lr = lrAt(schedule, epoch);
      wOpt.setLr(lr);
      net.train();
      const order = s.order === 2 && !(s.firstOrderWarmup && epoch === s.alphaWarmup) ? 2 : 1;
      const alphaOn = epoch >= s.alphaWarmup;
      let t0 = performance.now();
      for (const tb of trainB.batches()) {
        const updateAlpha = alphaOn && (trainB.position - 1) % s.alphaEvery === 0;
        const r = scope(() => {
          const train = batchTensors(tb, geometry, layout);
          const val = updateAlpha ? batchTensors(valB.next(), geometry, layout) : null;
          return searchStep(net, train, val, aOpt, wOpt, { order, xi: lr, momentum: s.momentum, weightDecay: s.weightDecay, clip: s.clip });
        });
        const site = { stage: 'search', epoch: epoch + 1, step: trainB.position,
          hint: `a lower weight learning rate (--lr, now ${s.lr}) or α learning rate (--alpha-lr, now ${s.alphaLr}), or gradient clipping (--clip, now ${s.clip || 'off'})` };
        checkLoss(r.trainLoss, site);
        if (updateAlpha) {
          checkLoss(r.valLoss, { ...site, what: 'architecture (validation) loss' });
          partial.valLoss += r.valLoss * tb.size; partial.valN += tb.size;
        }
        partial.loss += r.trainLoss * tb.size; partial.correct += r.trainCorrect; partial.n += tb.size;
        const now = performance.now();
        partial.seconds += (now - t0) / 1000; t0 = now;
        const step = trainB.position;
        const perStep = partial.seconds / step;
        const last = history[history.length - 1];
        o.progress.update({ stage: 'search', epoch: epoch + 1, epochs: s.epochs, step, steps: trainB.batchesPerEpoch, imagesPerSecond: partial.n / partial.seconds,
          eta: perStep * (trainB.batchesPerEpoch - step) + perStep * trainB.batchesPerEpoch * (s.epochs - epoch - 1),
          fields: { loss: partial.loss / partial.n, c10: last ? `${Number(last.cifar10_test).toFixed(2)}%` : '-', skip: (last?.skip_count as number | undefined) ?? '-' } });
        if (job.runtime.checkpointEvery > 0 && step % job.runtime.checkpointEvery === 0 && step < trainB.batchesPerEpoch) save(epoch, step);
        if (o.signal?.aborted && step < trainB.batchesPerEpoch) { save(epoch, step); throw new Interrupted('search', epoch + 1, step, paths.dir); }
      }
      const evalNow = (epoch + 1) % s.evalEvery === 0 || epoch + 1 === s.epochs;
      const val = evalNow ? evaluate(net, valEval, geometry, layout) : null;
      if (val) checkLoss(val.loss, { stage: 'search', epoch: epoch + 1, step: trainB.batchesPerEpoch, what: 'validation loss (eval mode)', hint: `a lower learning rate (--lr, now ${s.lr}) or gradient clipping` });
      const pruned = alphaOn ? pruner.afterEpoch(net, epoch - s.alphaWarmup) : 0;
      const m = {
        stage: 'search', epoch: epoch + 1, lr, order, alpha_updates: alphaOn, train_loss: partial.loss / partial.n, train_acc: partial.correct / partial.n,
        arch_val_loss: partial.valN ? partial.valLoss / partial.valN : null, val_loss: val?.loss ?? null, val_acc: val?.top1 ?? null,
        epoch_time_s: partial.seconds, images_per_s: partial.n / partial.seconds, alpha_pruned_now: pruned,
        alpha_alive: net.mask.reduce((t, r) => t + r.reduce((a, b) => a + b, 0), 0), alpha_entropy: nb201AlphaEntropy(net.alphaValues(), net.mask),
        ...lookupCell(table, net.derive()),
      };
      history.push(m);
      partial = { loss: 0, valLoss: 0, valN: 0, correct: 0, n: 0, seconds: 0 };
      save(epoch + 1, 0);
      appendLine(paths.metrics, JSON.stringify(m));
      o.progress.log(`search epoch ${epoch + 1}/${s.epochs}: ${m.arch} CIFAR-10 ${m.cifar10_test.toFixed(2)}% / CIFAR-100 ${m.cifar100_test.toFixed(2)}% / ` +
        `ImageNet16-120 ${m.imagenet16_test.toFixed(2)}%, ${m.params_mb} MB, ${m.flops_m} MFLOPs, skip ${m.skip_count}, entropy ${m.alpha_entropy.toFixed(4)}, ` +
        `val_acc ${val ? val.top1.toFixed(4) : '-'}, ${m.epoch_time_s.toFixed(0)} s`);
      if (o.signal?.aborted && epoch + 1 < s.epochs) throw new Interrupted('search', epoch + 1, 0, paths.dir);
    }
    o.progress.done();
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
  } finally {
    o.progress.done();
    wOpt.disposeState(); aOpt.disposeState(); net.dispose();
  }
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
