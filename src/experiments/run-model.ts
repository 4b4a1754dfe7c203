// The trained network of a run folder, rebuilt in eval mode with the weights its reported
// accuracy was measured with: `lnas train` folders (small CNN, DARTS genotype network, LNAS
// Variant 1 with its pruning mask applied), MENAS candidate folders (the trained candidate, or its
// lottery ticket: the best proposal's slice with re-calibrated BatchNorm and any fine-tuning) and
// MENAS retraining folders. Where the run averaged weights (EMA), the averaged ones are used, since
// that is what was evaluated. Everything else is a typed error saying what the folder is.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DATASETS, isDatasetName } from '../data/specs.js';
import { DataError, LnasError } from '../errors.js';
import { readRunJson, runPaths } from '../runs/paths.js';
import { buildModel } from './models.js';
import type { Layer } from '../nn/module.js';
import { disposeAll, loadSafetensors } from '../nn/safetensors.js';
import { Mask } from '../pruning/mask.js';
import { recalibrateBatchNorm } from '../pruning/channel/recalibrate.js';
import { sliceNetwork } from '../pruning/channel/slice.js';
import type { CandidatePayload } from '../search/menas/candidate.js';
import { datasetShape, spaceConfigFor, trialData } from '../search/menas/data.js';
import type { RetrainPayload } from '../search/menas/retrain.js';
import { genotypeToJSON } from '../spaces/darts/genotype.js';
import { formatGenotype } from '../spaces/darts/genotype-text.js';
import { withPruneRates } from '../spaces/mobilenet/genome.js';
import type { MobileNetNetwork } from '../spaces/mobilenet/network.js';
import { mobilenetSpace } from '../spaces/mobilenet/space.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TrainJob, genotypeOf } from './train-job.js';
import { loadData } from '../data/setup.js';
import type { DataConfig } from '../data/config.js';

export type NetworkChoice = 'auto' | 'candidate' | 'ticket';

export interface RunModel {
  model: Layer;
  /** small-cnn | darts | mobilenet */
  family: string;
  /** train | candidate | ticket | retrain */
  role: string;
  dataset: string;
  input: [number, number, number];
  classes: number;
  mean: readonly number[];
  std: readonly number[];
  /** The strings that go into an export's metadata (ONNX metadata_props, safetensors __metadata__). */
  metadata: Record<string, string>;
}

const LABELS: Record<string, readonly string[]> = {
  cifar10: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  'fashion-mnist': ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
};

export const classLabels = (dataset: string, classes: number): string[] =>
  [...(LABELS[dataset]?.length === classes ? LABELS[dataset] as readonly string[] : Array.from({ length: classes }, (_, i) => String(i)))];

interface DatasetInfo { name: string; channels: number; height: number; width: number; classes: number; mean: readonly number[]; std: readonly number[] }

async function datasetInfo(data: DataConfig, load: () => Promise<{ mean: readonly number[]; std: readonly number[]; train: { channels: number; height: number; width: number; classes: number } }>): Promise<DatasetInfo> {
  if (isDatasetName(data.dataset)) {
    const s = DATASETS[data.dataset];
    return { name: s.name, channels: s.channels, height: s.height, width: s.width, classes: s.classes, mean: s.mean, std: s.std };
  }
  // The synthetic set's normalisation is computed from its images: make them (a few MB).
  const ds = await load();
  return { name: data.dataset, ...ds.train, mean: ds.mean, std: ds.std };
}

/** Tensors of a safetensors file whose names start with `prefix`, with the prefix removed. */
function withPrefix(path: string, prefix: string): Map<string, Tensor> | null {
  const { tensors } = loadSafetensors(path);
  const out = new Map<string, Tensor>();
  for (const [k, t] of tensors) {
    if (k.startsWith(prefix)) out.set(k.slice(prefix.length), t);
    else t.dispose();
  }
  if (out.size === 0) return null;
  return out;
}

/** Loads `model`'s weights from a fit checkpoint: the EMA average when asked for and present, else the live weights. */
function loadFromCheckpoint(model: Layer, path: string, ema: boolean): void {
  if (!existsSync(path)) {
    throw new DataError('LNAS_EXPORT_NO_WEIGHTS', `${path} is missing: the run has not trained yet (or was cleaned); finish it first by rerunning its command`, { path });
  }
  const state = (ema ? withPrefix(path, 'extra.ema.') : null) ?? withPrefix(path, 'model.');
  if (!state) throw new DataError('LNAS_CHECKPOINT_CORRUPT', `${path} holds no model tensors`, { path });
  try { model.loadStateDict(state); } finally { disposeAll(state); }
}

function readConfig(dir: string): Record<string, unknown> & { kind?: unknown } {
  const path = runPaths(dir).config;
  if (!existsSync(dir)) throw new LnasError('LNAS_EXPORT_NOT_A_RUN', `${dir} does not exist; pass a run folder such as runs/train-<hash>`, { path: dir });
  if (!existsSync(path)) {
    throw new LnasError('LNAS_EXPORT_NOT_A_RUN', `${dir} has no config.json, so it is no lnas run folder; pass runs/train-<hash>, runs/mcand-<hash> or runs/mtrain-<hash>`, { path: dir });
  }
  return readRunJson<Record<string, unknown>>(path, 'the configuration of a run');
}

/** The network of a run folder, in eval mode, on the CPU, in NCHW. The caller disposes `model`. */
export async function loadRunModel(dir: string, o: { network?: NetworkChoice } = {}): Promise<RunModel> {
  const config = readConfig(dir);
  const network = o.network ?? 'auto';
  const run = basename(dir);
  switch (config.kind) {
    case 'train': return loadTrainRun(dir, config as unknown as TrainJob, run, network);
    case 'menas-candidate': return loadCandidateRun(dir, config as unknown as CandidatePayload, run, network);
    case 'menas-retrain': return loadRetrainRun(dir, config as unknown as RetrainPayload, run, network);
    case 'search':
      throw new LnasError('LNAS_EXPORT_NOT_A_NETWORK', `${dir} is a DARTS search: it holds a supernet, not a trained network. ` +
        `Retrain its genotype first (lnas train --genotype ${join(dir, 'genotype.json')}) and export that run folder`, { path: dir });
    case 'evolve':
      throw new LnasError('LNAS_EXPORT_NOT_A_NETWORK', `${dir} is a MENAS evolution; export one of its networks instead: ` +
        'the best candidate folder (summary.json: best.dir, for its ticket) or the final retraining (summary.json: final.dir)', { path: dir });
    default:
      throw new LnasError('LNAS_EXPORT_NOT_A_NETWORK', `${dir} is a run of kind '${String(config.kind)}', which holds no exportable network`, { path: dir });
  }
}

function refuseChoice(network: NetworkChoice, allowed: readonly NetworkChoice[], dir: string): void {
  if (!allowed.includes(network)) {
    throw new LnasError('LNAS_CONFIG', `--network ${network} does not apply to ${dir}; it holds one network (use --network auto)`, { path: 'network' });
  }
}

async function loadTrainRun(dir: string, job: TrainJob, run: string, network: NetworkChoice): Promise<RunModel> {
  refuseChoice(network, ['auto'], dir);
  const paths = runPaths(dir);
  if (!existsSync(paths.final)) {
    throw new DataError('LNAS_EXPORT_NO_WEIGHTS', `${dir} has no model.safetensors: the training has not finished; rerun its command to finish it`, { path: dir });
  }
  const ds = await datasetInfo(job.data, () => loadData(job.data));
  const genotype = genotypeOf(job.model);
  const model = buildModel(job.model, genotype, ds.channels, ds.classes);
  try {
    const ema = job.optim.ema > 0 && existsSync(paths.checkpoint);
    if (ema) loadFromCheckpoint(model, paths.checkpoint, true);
    else {
      const { tensors } = loadSafetensors(paths.final);
      try { model.loadStateDict(tensors); } finally { disposeAll(tensors); }
    }
    const maskPath = paths.stage('mask.safetensors');
    let sparsity = 0;
    if (existsSync(maskPath)) {
      // Pruned weights are already zero after training; applying the mask again makes sure of it.
      const mask = Mask.load(maskPath, model);
      try { mask.apply(model); sparsity = mask.sparsity(); } finally { mask.dispose(); }
    }
    model.eval();
    const metadata: Record<string, string> = { 'lnas.role': 'train', 'lnas.family': job.model.model, 'lnas.sparsity': String(sparsity), ...(ema ? { 'lnas.weights': 'ema' } : {}) };
    if (job.model.model === 'darts' && genotype !== null) {
      const g = genotype;
      metadata['lnas.architecture'] = JSON.stringify({ genotype: genotypeToJSON(g), channels: job.model.channels, layers: job.model.layers });
      metadata['lnas.genotype'] = formatGenotype(g);
    } else {
      metadata['lnas.architecture'] = JSON.stringify({ model: 'small-cnn', width: job.model.width });
    }
    return finish(model, job.model.model, 'train', ds, run, metadata);
  } catch (e) {
    model.dispose();
    throw e;
  }
}

async function loadCandidateRun(dir: string, p: CandidatePayload, run: string, network: NetworkChoice): Promise<RunModel> {
  refuseChoice(network, ['auto', 'candidate', 'ticket'], dir);
  const role = network === 'candidate' ? 'candidate' : 'ticket';
  const paths = runPaths(dir);
  const explorePath = join(dir, 'explore.json');
  if (role === 'ticket' && !existsSync(explorePath)) {
    throw new DataError('LNAS_EXPORT_NO_WEIGHTS', `${dir} has no explore.json: its ticket has not been chosen yet; rerun the evolution to finish it, or pass --network candidate`, { path: dir });
  }
  const shape = datasetShape(p.data, p.syntheticSize);
  const space = mobilenetSpace(spaceConfigFor(shape, p.space));
  const genome = space.validate(p.genome);
  const net = space.build(genome);
  let ticket: MobileNetNetwork | null = null;
  try {
    loadFromCheckpoint(net, paths.checkpoint, false);
    const ds = role === 'ticket' || p.data.dataset === 'synthetic' ? await loadData(p.data, { syntheticSize: p.syntheticSize }) : null;
    const info = await datasetInfo(p.data, async () => ds as NonNullable<typeof ds>);
    let out: MobileNetNetwork = net;
    if (role === 'ticket' && ds) {
      // The ticket as the trial made it: the best proposal's slice, BN re-calibrated on the same
      // unaugmented training images (a seeded order), then the fine-tuned weights if any.
      const ex = JSON.parse(readFileSync(explorePath, 'utf8')) as { best: number; proposals: { rates: Record<string, number> }[] };
      const best = ex.proposals[ex.best];
      if (!best) throw new DataError('LNAS_RUN_CORRUPT', `${explorePath} names proposal ${ex.best}, which it does not hold; remove the folder and rerun`, { path: explorePath });
      ticket = sliceNetwork(net, withPruneRates(genome, best.rates));
      const layout = p.runtime.memoryFormat === 'channels-last' ? 'nhwc' : 'nchw';
      const data = trialData(ds, p.data, { layout, seed: p.optim.seed, recalImages: p.ticket.recalImages, screenImages: p.ticket.screenImages });
      recalibrateBatchNorm(ticket, data.recalSet);
      if (p.ticket.finetuneEpochs > 0) loadFromCheckpoint(ticket, join(dir, 'finetune', 'checkpoint.safetensors'), false);
      out = ticket;
    }
    out.eval();
    const metadata: Record<string, string> = {
      'lnas.role': role, 'lnas.family': 'mobilenet', 'lnas.architecture': JSON.stringify({ genome: out.genome }),
      'lnas.blocks': JSON.stringify(space.blockStrings(out.genome)),
    };
    if (ticket) net.dispose();
    return finish(out, 'mobilenet', role, info, run, metadata);
  } catch (e) {
    ticket?.dispose();
    net.dispose();
    throw e;
  }
}

async function loadRetrainRun(dir: string, p: RetrainPayload, run: string, network: NetworkChoice): Promise<RunModel> {
  refuseChoice(network, ['auto'], dir);
  if (!existsSync(runPaths(dir).summary)) {
    throw new DataError('LNAS_EXPORT_NO_WEIGHTS', `${dir} has no summary.json: the retraining has not finished; rerun the evolution to finish it`, { path: dir });
  }
  const space = mobilenetSpace(spaceConfigFor(datasetShape(p.data, p.syntheticSize), p.space));
  const genome = space.validate(p.genome);
  const net = space.build(genome);
  try {
    loadFromCheckpoint(net, runPaths(dir).checkpoint, p.optim.ema > 0);
    const info = await datasetInfo(p.data, () => loadData(p.data, { syntheticSize: p.syntheticSize }));
    net.eval();
    const metadata: Record<string, string> = {
      'lnas.role': 'retrain', 'lnas.family': 'mobilenet', 'lnas.architecture': JSON.stringify({ genome }),
      'lnas.blocks': JSON.stringify(space.blockStrings(genome)), ...(p.optim.ema > 0 ? { 'lnas.weights': 'ema' } : {}),
    };
    return finish(net, 'mobilenet', 'retrain', info, run, metadata);
  } catch (e) {
    net.dispose();
    throw e;
  }
}

function finish(model: Layer, family: string, role: string, ds: DatasetInfo, run: string, metadata: Record<string, string>): RunModel {
  const input: [number, number, number] = [ds.channels, ds.height, ds.width];
  return {
    model, family, role, dataset: ds.name, input, classes: ds.classes, mean: ds.mean, std: ds.std,
    metadata: {
      ...metadata, 'lnas.run': run, 'lnas.dataset': ds.name, 'lnas.classes': String(ds.classes), 'lnas.labels': JSON.stringify(classLabels(ds.name, ds.classes)),
      'lnas.input': JSON.stringify({ layout: 'NCHW', shape: input, dtype: 'float32', normalisation: '(pixel / 255 - mean) / std per channel' }),
      'lnas.mean': JSON.stringify(ds.mean), 'lnas.std': JSON.stringify(ds.std),
    },
  };
}
