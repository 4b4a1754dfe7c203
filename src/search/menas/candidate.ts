// One MENAS trial, run in a pool worker: train a candidate with an early stop, explore K random
// channel-pruning proposals of the trained network (BatchNorm re-calibrated on training images,
// scored on held-out images), optionally fine-tune the best one, and report the ticket as the
// trial's stand-in. Every step leaves a file in the trial folder (the fit checkpoint,
// explore.json, the fine-tune checkpoint, result.json), so a killed trial resumes at the step it
// was in and a finished one is never trained again.
import { loadData } from '../../data/setup.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runPaths } from '../../runs/paths.js';
import type { TrialContext } from '../../workers/trial.js';
import { evaluateBatches } from '../../pruning/channel/evaluate.js';
import { exploreTickets } from '../../pruning/channel/explore.js';
import { recalibrateBatchNorm } from '../../pruning/channel/recalibrate.js';
import { sliceNetwork } from '../../pruning/channel/slice.js';
import { type MobileNetGenome, withPruneRates } from '../../spaces/mobilenet/genome.js';
import type { MobileNetNetwork } from '../../spaces/mobilenet/network.js';
import { mobilenetSpace } from '../../spaces/mobilenet/space.js';
import { manualSeed } from '../../tensor/runtime.js';
import type { DataConfig } from '../../data/config.js';
import { type OptimConfig, type RuntimeConfig, layoutOf } from '../../train/config.js';
import { useDevice } from '../../tensor/device.js';
import { Rng } from '../../util/rng.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { bnEffect } from './bn-effect.js';
import type { SpaceOptions, TicketConfig } from './config.js';
import { exploreSets, spaceConfigFor, trialData } from './data.js';
import { epochTimes, trainNetwork } from './train-genome.js';

export const CANDIDATE_HANDLER = { module: 'search/menas/candidate.js', export: 'trainCandidate' } as const;

export interface CandidatePayload {
  dir: string;
  genome: MobileNetGenome;
  space: SpaceOptions;
  syntheticSize: number;
  data: DataConfig;
  optim: OptimConfig;
  ticket: TicketConfig;
  runtime: RuntimeConfig;
  /** Seeds the pruning proposals (derived from the trial's identity by the driver). */
  exploreSeed: number;
}

export interface ProposalRecord { index: number; rates: Record<string, number>; top1: number; loss: number; mmacs: number; params: number }

export interface CandidateResult {
  dir: string;
  genome: MobileNetGenome;
  ticket: MobileNetGenome;
  blocks: string[][];
  ticket_blocks: string[][];
  /** Held-out accuracy of the trained, unpruned candidate (its own running statistics). */
  val_acc: number;
  /** The same after BN re-calibration: what the tickets are compared with. */
  val_acc_recalibrated: number;
  /** Held-out accuracy of the ticket after BN re-calibration (and fine-tuning, if any): the fitness. */
  ticket_acc: number;
  ticket_acc_recalibrated: number;
  /** The same ticket with the BatchNorm statistics it inherited (EagleEye's effect). */
  ticket_acc_inherited_bn: number;
  mmacs: number;
  params: number;
  ticket_mmacs: number;
  ticket_params: number;
  epoch_times: number[];
  train_seconds: number;
  explore_seconds: number;
  finetune_epoch_times: number[];
  proposals: ProposalRecord[];
  history: Record<string, unknown>[];
  /** Complete when every epoch ran (false only in tests that stop early). */
}

interface ExploreFile { seconds: number; best: number; proposals: ProposalRecord[]; inherited: number; recalibrated: number }

export const candidateFiles = (dir: string) => ({ ...runPaths(dir), result: join(dir, 'result.json'), explore: join(dir, 'explore.json'), finetune: join(dir, 'finetune') });

export async function trainCandidate(p: CandidatePayload, ctx: TrialContext): Promise<CandidateResult> {
  const files = candidateFiles(p.dir);
  if (existsSync(files.result)) return JSON.parse(readFileSync(files.result, 'utf8')) as CandidateResult;
  writeJsonAtomic(files.config, { kind: 'menas-candidate', ...p, dir: undefined });
  useDevice(p.runtime.device, { deterministic: p.runtime.deterministic });
  manualSeed(p.optim.seed);
  const ds = await loadData(p.data, { syntheticSize: p.syntheticSize });
  const space = mobilenetSpace(spaceConfigFor(ds.train, p.space));
  const genome = space.validate(p.genome);
  const layout = layoutOf(p.runtime.memoryFormat);
  const data = trialData(ds, p.data, { layout, seed: p.optim.seed, recalImages: p.ticket.recalImages, screenImages: p.ticket.screenImages });
  const net = space.build(genome);
  let ticket: MobileNetNetwork | null = null;
  try {
    const history = trainNetwork(net, { stage: 'candidate', dir: p.dir, optim: p.optim, runtime: p.runtime, data, evals: ['val'], progress: ctx.progress, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const sets = { recalibration: data.recalSet, validation: data.valSet };
    // Short training leaves BN running statistics behind the weights; re-calibrating the unpruned
    // network as well keeps "before pruning" and "after pruning" comparable.
    const unpruned = bnEffect(net, genome, sets);
    let ex: ExploreFile;
    if (existsSync(files.explore)) {
      ex = JSON.parse(readFileSync(files.explore, 'utf8')) as ExploreFile;
      ticket = sliceNetwork(net, withPruneRates(genome, (ex.proposals[ex.best] as ProposalRecord).rates));
      recalibrateBatchNorm(ticket, data.recalSet);
    } else {
      const r = exploreTickets(net, { ...exploreSets(data, p.ticket.screenKeep), count: p.ticket.proposals, rng: new Rng(p.exploreSeed), minRate: p.ticket.minRate, maxRate: p.ticket.maxRate });
      ticket = r.ticket;
      const effect = bnEffect(net, r.best.genome, sets);
      ex = {
        seconds: r.seconds, best: r.best.index, inherited: effect.inherited.top1, recalibrated: effect.recalibrated.top1,
        proposals: r.results.map((x) => ({ index: x.index, rates: { ...x.rates }, top1: x.top1, loss: x.loss, mmacs: x.macs / 1e6, params: x.params })),
      };
      writeJsonAtomic(files.explore, ex);
    }
    const best = ex.proposals[ex.best] as ProposalRecord;
    let finetuneTimes: number[] = [];
    let ticketAcc = best.top1;
    if (p.ticket.finetuneEpochs > 0) {
      // Short fine-tuning of pre-trained weights: no warm-up from a tiny learning rate.
      const optim = { ...p.optim, epochs: p.ticket.finetuneEpochs, warmupEpochs: 0 };
      const h = trainNetwork(ticket, { stage: 'finetune', dir: files.finetune, optim, runtime: p.runtime, data, evals: [], progress: ctx.progress, ...(ctx.signal ? { signal: ctx.signal } : {}) });
      finetuneTimes = epochTimes(h);
      ticketAcc = evaluateBatches(ticket, data.valSet).top1;
    }
    const t = ticket.genome;
    const result: CandidateResult = {
      dir: p.dir, genome, ticket: t, blocks: space.blockStrings(genome), ticket_blocks: space.blockStrings(t),
      val_acc: unpruned.inherited.top1, val_acc_recalibrated: unpruned.recalibrated.top1, ticket_acc: ticketAcc, ticket_acc_recalibrated: best.top1, ticket_acc_inherited_bn: ex.inherited,
      mmacs: space.mmacs(genome), params: space.params(genome), ticket_mmacs: space.mmacs(t), ticket_params: space.params(t),
      epoch_times: epochTimes(history), train_seconds: sum(epochTimes(history)), explore_seconds: ex.seconds,
      finetune_epoch_times: finetuneTimes, proposals: ex.proposals, history: history as never,
    };
    writeJsonAtomic(files.result, result);
    return result;
  } finally {
    ticket?.dispose();
    net.dispose();
  }
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
