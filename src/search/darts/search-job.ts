// `lnas search`: a resumable DARTS search in a hash-named run folder. Writes per-epoch metrics
// (losses, accuracies, α entropy, skip count, the current genotype), checkpoints, and at the end
// the genotype (.json and DARTS text), α, cell diagrams and a summary.
import type { StopRequest } from '../../train/stop.js';
import { existsSync, readFileSync } from 'node:fs';
import { Batcher, type BatcherState } from '../../data/batcher.js';
import { dartsSplit } from '../../data/splits.js';
import { normalize } from '../../config/schema.js';
import { configHash } from '../../runs/identity.js';
import { withRunLock } from '../../runs/lock.js';
import { checkFiniteWeights, checkLoss } from '../../train/divergence.js';
import { type RunPaths, readRunJson, runDirFor, runPaths } from '../../runs/paths.js';
import { Adam } from '../../optim/adam.js';
import { lrAt } from '../../optim/schedule.js';
import { SGD } from '../../optim/sgd.js';
import { cellToSvg } from '../../spaces/darts/cell-svg.js';
import { genotypeToJSON, type Genotype } from '../../spaces/darts/genotype.js';
import { formatGenotype } from '../../spaces/darts/genotype-text.js';
import { Supernet } from '../../spaces/darts/supernet.js';
import { NUM_EDGES, NUM_OPS } from '../../spaces/darts/primitives.js';
import { scope } from '../../tensor/scope.js';
import { appendLine, writeFileAtomic, writeJsonAtomic } from '../../util/fs.js';
import { type DataConfig, DataSchema } from '../../data/config.js';
import { type RuntimeConfig, layoutOf } from '../../train/config.js';
import { type StateCheck, batcherState, count, fields, loadCheckpoint, numbers, records, saveCheckpoint } from '../../train/checkpoint.js';
import { augmentOf, geometryOf, loadData } from '../../data/setup.js';
import { Interrupted } from '../../errors.js';
import { applyRuntime } from '../../train/runtime.js';
import { batchTensors, evaluate } from '../../train/loop.js';
import type { Progress } from '../../train/progress.js';
import { searchStep } from './architect.js';
import { checkSearchConfig, type SearchConfig, SearchSchema } from './config.js';
import { ConfigError } from '../../errors.js';
import { searchDiagnostics } from './metrics.js';
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

interface SearchState {
  epoch: number;
  step: number;
  train: BatcherState;
  val: BatcherState;
  partial: { loss: number; valLoss: number; valN?: number; correct: number; n: number; seconds: number };
  history: Record<string, unknown>[];
  pruner: unknown;
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
  if (existsSync(paths.summary)) {
    o.progress.log(`search: ${paths.dir} is already complete`);
    return readRunJson<SearchSummary>(paths.summary);
  }
  return withRunLock(paths.dir, () => searchInFolder(job, paths, o));
}

async function searchInFolder(job: SearchJob, paths: RunPaths, o: SearchOptions): Promise<SearchSummary> {
  const s = job.search;
  if (existsSync(paths.summary)) return readRunJson<SearchSummary>(paths.summary);
  const threads = applyRuntime(job.runtime, s.seed);
  // The data first: a dataset that fails to load leaves no run folder behind.
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
  const net = new Supernet({ channels: s.channels, layers: s.layers, classes: ds.train.classes, inChannels: ds.train.channels });
  if (layout === 'nhwc') net.toMemoryFormat('channelsLast');
  const wOpt = new SGD(net.parameters(), { lr: s.lr, momentum: s.momentum, weightDecay: s.weightDecay });
  const aOpt = new Adam(net.archParameters(), { lr: s.alphaLr, beta1: s.alphaBeta1, beta2: s.alphaBeta2, weightDecay: s.alphaWeightDecay });
  // Pruning rounds are spread over the epochs that update α (after the warm-up).
  const alphaEpochs = s.epochs - s.alphaWarmup;
  const pruner = new AlphaPruner(s.alphaSparsity, s.pruneRounds || alphaEpochs, alphaEpochs);
  const target = { model: net, optimizers: { weights: wOpt, alpha: aOpt }, extra: new Map([['alpha.normal', net.alpha.normal], ['alpha.reduce', net.alpha.reduce]]) };
  const schedule = { kind: 'cosine', lr: s.lr, etaMin: s.lrMin, epochs: s.epochs } as const;
  let epoch = 0;
  let partial: SearchState['partial'] = { loss: 0, valLoss: 0, valN: 0, correct: 0, n: 0, seconds: 0 };
  let history: Record<string, unknown>[] = [];
  const resumed = loadCheckpoint<SearchState>(paths.checkpoint, target, checkSearchState);
  if (resumed) {
    checkFiniteWeights(net, paths.checkpoint);
    ({ epoch, partial, history } = resumed);
    partial.valN ??= partial.n; // checkpoints from before --alpha-every updated α on every step
    trainB.restore(resumed.train);
    valB.restore(resumed.val);
    pruner.restore(net, resumed.pruner);
    writeFileAtomic(paths.metrics, history.map((m) => JSON.stringify(m)).join('\n') + (history.length ? '\n' : ''));
    o.progress.log(`search: resumed at epoch ${epoch + 1}, step ${resumed.step}`);
  } else {
    o.progress.log(`search: C=${s.channels}, ${s.layers} cells, order ${s.order}, ${split.train.length}+${split.val.length} images, ${threads} threads -> ${paths.dir}`);
  }
  const save = (epochsDone: number, step: number) => saveCheckpoint(paths.checkpoint, target, {
    epoch: epochsDone, step, train: trainB.state(), val: valB.state(), partial, history, pruner: pruner.state(net),
  } satisfies SearchState);
  try {
    for (; epoch < s.epochs; epoch++) {
      const lr = lrAt(schedule, epoch);
      wOpt.setLr(lr);
      net.train();
      const order = s.order === 2 && !(s.firstOrderWarmup && epoch === 0) ? 2 : 1;
      let t0 = performance.now();
      for (const tb of trainB.batches()) {
        const updateAlpha = epoch >= s.alphaWarmup && (trainB.position - 1) % s.alphaEvery === 0;
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
          partial.valLoss += r.valLoss * tb.size; partial.valN = (partial.valN ?? 0) + tb.size;
        }
        partial.loss += r.trainLoss * tb.size; partial.correct += r.trainCorrect; partial.n += tb.size;
        const now = performance.now();
        partial.seconds += (now - t0) / 1000; t0 = now;
        const step = trainB.position;
        const perStep = partial.seconds / step;
        o.progress.update({ stage: 'search', epoch: epoch + 1, epochs: s.epochs, step, steps: trainB.batchesPerEpoch, imagesPerSecond: partial.n / partial.seconds,
          eta: perStep * (trainB.batchesPerEpoch - step) + perStep * trainB.batchesPerEpoch * (s.epochs - epoch - 1),
          fields: { loss: partial.loss / partial.n, skip: (history[history.length - 1]?.skip_normal as number | undefined) ?? '-' } });
        if (job.runtime.checkpointEvery > 0 && step % job.runtime.checkpointEvery === 0 && step < trainB.batchesPerEpoch) save(epoch, step);
        if (o.signal?.aborted && step < trainB.batchesPerEpoch) { save(epoch, step); throw new Interrupted('search', epoch + 1, step, paths.dir); }
      }
      const evalNow = (epoch + 1) % s.evalEvery === 0 || epoch + 1 === s.epochs;
      const val = evalNow ? evaluate(net, valEval, geometry, layout) : null;
      if (val) checkLoss(val.loss, { stage: 'search', epoch: epoch + 1, step: trainB.batchesPerEpoch, what: 'validation loss (eval mode)', hint: `a lower learning rate (--lr, now ${s.lr}) or gradient clipping` });
      const pruned = epoch >= s.alphaWarmup ? pruner.afterEpoch(net, epoch - s.alphaWarmup) : 0;
      const m = {
        stage: 'search', epoch: epoch + 1, lr, order, train_loss: partial.loss / partial.n, train_acc: partial.correct / partial.n,
        arch_val_loss: partial.valN ? partial.valLoss / partial.valN : null, val_loss: val?.loss ?? null, val_acc: val?.top1 ?? null,
        epoch_time_s: partial.seconds, images_per_s: partial.n / partial.seconds, alpha_pruned_now: pruned, ...searchDiagnostics(net),
      };
      history.push(m);
      partial = { loss: 0, valLoss: 0, valN: 0, correct: 0, n: 0, seconds: 0 };
      save(epoch + 1, 0);
      appendLine(paths.metrics, JSON.stringify(m));
      o.progress.log(`search epoch ${epoch + 1}/${s.epochs}: train_acc ${m.train_acc.toFixed(4)}, val_acc ${val ? val.top1.toFixed(4) : '-'}, ` +
        `entropy ${m.alpha_entropy_normal.toFixed(3)}/${m.alpha_entropy_reduce.toFixed(3)}, skip ${m.skip_normal}/${m.skip_reduce}, ${m.epoch_time_s.toFixed(0)} s`);
      if (o.signal?.aborted && epoch + 1 < s.epochs) throw new Interrupted('search', epoch + 1, 0, paths.dir);
    }
    o.progress.done();
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
  } finally {
    o.progress.done();
    wOpt.disposeState(); aOpt.disposeState(); net.dispose();
  }
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
