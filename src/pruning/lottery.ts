// fit() hooks for LNAS Variant 1: retrain a found architecture with lottery-ticket magnitude
// pruning and rewinding, resumable from fit()'s checkpoints.
//
// Optimizer state is reset after every rewind (resetOptimizer, default true): momentum built up
// on the dense, trained weights would push the rewound weights along the old trajectory, and
// OpenLTH likewise retrains every level with a fresh optimizer. The LR schedule is fit()'s and
// is not restarted per round.
import { ConfigError, DataError, LnasError } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';
import type { EpochMetrics } from '../train/fit.js';
import { magnitudePrune, type PruneScope } from './magnitude.js';
import { type BoundMask, Mask, type PrunablePredicate, defaultPrunable } from './mask.js';
import { WeightSnapshot } from './rewind.js';
import { type PruningSchedule, checkSchedule, densityAfterRound, pruneEpochs, roundsOf, totalEpochs } from './schedule.js';

/** Where surviving weights go back to after pruning: θ0, θ after k epochs or k steps, or nowhere (fine-tuning). */
export type RewindPoint = 'init' | 'none' | { epoch: number } | { step: number };

export interface LotteryTicketOptions {
  model: Module;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  optimizer: Optimizer<any>;
  schedule: PruningSchedule;
  /** Rank magnitudes across all covered tensors (default) or per tensor. */
  scope?: PruneScope;
  /** Which parameters are pruned (default: rank >= 2, i.e. conv and linear weights). */
  prunable?: PrunablePredicate;
  rewind?: RewindPoint;
  resetOptimizer?: boolean;
  onPrune?: (e: PruneEvent) => void;
}

export interface PruneEvent { round: number; epoch: number; kept: number; total: number; sparsity: number }

interface LotteryState { format: 'lnas-lottery-1'; roundsDone: number; snapshotTaken: boolean; steps: number }

/**
 * Construct right after the model is initialised and before fit() (θ0 is captured here), then
 * pass it as fit()'s `hooks` and `extraTensors()` as its `extraTensors`. Call dispose() after.
 */
export class LotteryTicketHooks {
  readonly mask: Mask;
  readonly schedule: PruningSchedule;
  private readonly o: LotteryTicketOptions;
  private readonly rewindTo: RewindPoint;
  private readonly snapshot: WeightSnapshot | null;
  private readonly bound: BoundMask;
  private readonly pruneAt: number[];
  private roundsDone = 0;
  private snapshotTaken: boolean;
  private steps = 0;

  constructor(o: LotteryTicketOptions) {
    checkSchedule(o.schedule);
    this.o = o;
    this.schedule = o.schedule;
    this.pruneAt = pruneEpochs(o.schedule);
    this.rewindTo = o.rewind ?? 'init';
    checkRewind(this.rewindTo, this.pruneAt[0] as number);
    this.mask = Mask.ones(o.model, o.prunable ?? defaultPrunable);
    this.bound = this.mask.bind(o.model);
    this.snapshot = this.rewindTo === 'none' ? null : WeightSnapshot.capture(o.model);
    this.snapshotTaken = this.rewindTo === 'init' || this.rewindTo === 'none' || rewindIndex(this.rewindTo) === 0;
  }

  /** Epochs to pass to fit() as `epochs`. */
  get epochs(): number { return totalEpochs(this.schedule); }
  get rounds(): number { return this.roundsDone; }

  /** The mask and snapshot tensors, to be saved in and restored from fit()'s checkpoints. */
  extraTensors(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [k, t] of this.mask.tensors()) out.set(`lottery.mask.${k}`, t);
    for (const [k, t] of this.snapshot?.tensors() ?? []) out.set(`lottery.rewind.${k}`, t);
    return out;
  }

  // Arrow properties: fit() calls afterStep detached from its object.
  readonly afterStep = (): void => {
    this.bound.apply();
    this.steps++;
    const r = this.rewindTo;
    if (!this.snapshotTaken && typeof r === 'object' && 'step' in r && this.steps === r.step) this.takeSnapshot();
  };

  readonly beforeEpoch = (epoch: number): void => {
    const r = this.rewindTo;
    if (!this.snapshotTaken && typeof r === 'object' && 'epoch' in r && epoch === r.epoch) this.takeSnapshot();
    const due = this.pruneAt[this.roundsDone];
    if (due === undefined || epoch < due) return;
    if (epoch > due) {
      throw new LnasError('LNAS_PRUNE_STATE', `pruning round ${this.roundsDone + 1} was due at the start of epoch ${due + 1}, but training is at epoch ${epoch + 1}; ` +
        'the checkpoint does not belong to this pruning schedule: delete the run folder or use the original configuration');
    }
    this.prune(epoch);
  };

  readonly afterEpoch = (_epoch: number, m: EpochMetrics): void => {
    m.sparsity = this.mask.sparsity();
    m.prune_round = this.roundsDone;
  };

  readonly state = (): LotteryState => ({ format: 'lnas-lottery-1', roundsDone: this.roundsDone, snapshotTaken: this.snapshotTaken, steps: this.steps });

  readonly restore = (raw: unknown): void => {
    const s = raw as Partial<LotteryState> | null | undefined;
    const n = roundsOf(this.schedule);
    if (!s || s.format !== 'lnas-lottery-1' || !Number.isInteger(s.roundsDone) || (s.roundsDone as number) < 0 || (s.roundsDone as number) > n ||
      typeof s.snapshotTaken !== 'boolean' || !Number.isInteger(s.steps) || (s.steps as number) < 0) {
      throw new DataError('LNAS_CHECKPOINT_CORRUPT', 'the checkpoint has no valid lottery-ticket state (was it written by a run without pruning?); delete the run folder to start over');
    }
    this.roundsDone = s.roundsDone as number;
    this.snapshotTaken = s.snapshotTaken;
    this.steps = s.steps as number;
    this.bound.apply();
  };

  private takeSnapshot(): void {
    this.snapshot?.recapture(this.o.model);
    this.snapshotTaken = true;
  }

  private prune(epoch: number): void {
    if (!this.snapshotTaken) {
      throw new LnasError('LNAS_PRUNE_REWIND', `the rewind point ${JSON.stringify(this.rewindTo)} comes after the first pruning (start of epoch ${epoch + 1}, after ${this.steps} steps); ` +
        'choose an earlier rewind step or epoch');
    }
    const round = this.roundsDone + 1;
    const next = magnitudePrune(this.o.model, this.mask, { density: densityAfterRound(this.schedule, round) }, { scope: this.o.scope ?? 'global' });
    try { this.mask.assign(next); } finally { next.dispose(); }
    if (this.snapshot) this.snapshot.rewind(this.o.model, this.mask); else this.bound.apply();
    if (this.o.resetOptimizer ?? true) this.o.optimizer.disposeState();
    this.roundsDone = round;
    const kept = this.mask.kept();
    const total = this.mask.total();
    this.o.onPrune?.({ round, epoch, kept, total, sparsity: total === 0 ? 0 : 1 - kept / total });
  }

  dispose(): void {
    this.mask.dispose();
    this.snapshot?.dispose();
  }
}

function rewindIndex(r: { epoch: number } | { step: number }): number {
  return 'epoch' in r ? r.epoch : r.step;
}

function checkRewind(r: RewindPoint, firstPrune: number): void {
  if (typeof r === 'string') {
    if (r !== 'init' && r !== 'none') throw new ConfigError(`pruning.rewind must be 'init', 'none', {epoch} or {step}, got '${String(r)}'`, 'pruning.rewind');
    return;
  }
  const k = rewindIndex(r);
  const what = 'epoch' in r ? 'epoch' : 'step';
  if (!Number.isInteger(k) || k < 0) throw new ConfigError(`pruning.rewind ${what} must be an integer >= 0, got ${k}`, `pruning.rewind.${what}`);
  if ('epoch' in r && k > firstPrune) {
    throw new ConfigError(`pruning.rewind epoch ${k} comes after the first pruning at epoch ${firstPrune}; choose an epoch <= ${firstPrune}`, 'pruning.rewind.epoch');
  }
}
