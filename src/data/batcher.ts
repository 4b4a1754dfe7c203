// Mini-batches over a subset of an ImageSet: seeded per-epoch shuffling, fused
// augmentation + normalisation, NCHW or NHWC output, and a small serialisable state so a
// run resumed from a mid-epoch checkpoint sees exactly the batches it would have seen.

import { ConfigError } from '../errors.js';
import { Rng, type RngState } from '../util/rng.js';
import {
  checkAugment, drawAug, NO_AUG, normalisationTable, writeImage,
  type AugDraw, type AugmentOptions, type Layout,
} from './augment.js';
import { identity } from './splits.js';
import type { ImageSet } from './types.js';

export interface Batch {
  /** size*C*H*W normalised pixels in the requested layout. */
  x: Float32Array;
  y: Int32Array;
  size: number;
  /** Which images of the ImageSet this batch holds, in order. */
  indices: Int32Array;
}

export interface BatcherOptions {
  batchSize: number;
  /** Per-channel mean/std of [0,1] pixels. */
  mean: readonly number[];
  std: readonly number[];
  /** Images to draw from (default: all). */
  indices?: ArrayLike<number>;
  shuffle?: boolean;
  dropLast?: boolean;
  /** null/undefined: no augmentation (evaluation). */
  augment?: AugmentOptions | null;
  layout?: Layout;
  seed?: number;
  /** Return views of internal buffers that the next batch overwrites (saves allocation). */
  reuseBuffers?: boolean;
}

/** JSON-serialisable position of a Batcher. */
export interface BatcherState {
  epoch: number;
  /** Batches already delivered in `epoch`. */
  cursor: number;
  /** Shuffle RNG as it was before drawing `epoch`'s order. */
  shuffleRng: RngState;
  augRng: RngState;
  n: number;
  batchSize: number;
}

export class Batcher implements Iterable<Batch> {
  readonly batchSize: number;
  readonly batchesPerEpoch: number;
  readonly layout: Layout;
  private readonly set: ImageSet;
  private readonly pool: Int32Array;
  private readonly shuffle: boolean;
  private readonly aug: Required<AugmentOptions> | null;
  private readonly lut: Float32Array;
  private readonly shuffleRng: Rng;
  private readonly augRng: Rng;
  private readonly draw: AugDraw = { ...NO_AUG };
  private readonly reuse: boolean;
  private order: Int32Array;
  private epochStart: RngState;
  private epochIndex = 0;
  private cursor = 0;
  private bufX: Float32Array | null = null;
  private bufY: Int32Array | null = null;

  constructor(set: ImageSet, opts: BatcherOptions) {
    const { batchSize } = opts;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError(`batch size must be a positive integer, got ${batchSize}`, 'training.batchSize');
    this.set = set;
    this.batchSize = batchSize;
    this.pool = Int32Array.from(opts.indices ?? identity(set.n));
    for (const i of this.pool) {
      if (i < 0 || i >= set.n) throw new RangeError(`Batcher: index ${i} outside 0..${set.n - 1}`);
    }
    const n = this.pool.length;
    this.batchesPerEpoch = (opts.dropLast ?? false) ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
    if (this.batchesPerEpoch === 0) {
      throw new ConfigError(`${n} images make no batch of ${batchSize}${opts.dropLast ? ' with drop-last' : ''}; use a smaller batch size`, 'training.batchSize');
    }
    this.shuffle = opts.shuffle ?? true;
    this.aug = opts.augment ? checkAugment(opts.augment) : null;
    this.layout = opts.layout ?? 'nchw';
    this.lut = normalisationTable(opts.mean, opts.std, set.channels);
    this.reuse = opts.reuseBuffers ?? false;
    const root = new Rng(opts.seed ?? 0);
    this.shuffleRng = root.fork();
    this.augRng = root.fork();
    this.epochStart = this.shuffleRng.getState();
    this.order = this.drawOrder();
  }

  /** The epoch the next batch belongs to (0-based), before any rollover. */
  get epoch(): number {
    return this.epochIndex;
  }

  /** Batches already delivered in the current epoch. */
  get position(): number {
    return this.cursor;
  }

  /** The next batch; after the last batch of an epoch, starts the next epoch. */
  next(): Batch {
    if (this.cursor >= this.batchesPerEpoch) this.startEpoch(this.epochIndex + 1);
    const start = this.cursor * this.batchSize;
    const size = Math.min(this.batchSize, this.pool.length - start);
    this.cursor++;
    return this.fill(this.order.subarray(start, start + size));
  }

  /** The rest of the current epoch (a whole new epoch if the current one is finished). */
  *batches(): Generator<Batch, void, undefined> {
    if (this.cursor >= this.batchesPerEpoch) this.startEpoch(this.epochIndex + 1);
    while (this.cursor < this.batchesPerEpoch) yield this.next();
  }

  [Symbol.iterator](): Iterator<Batch> {
    return this.batches();
  }

  state(): BatcherState {
    return {
      epoch: this.epochIndex,
      cursor: this.cursor,
      shuffleRng: [...this.epochStart] as unknown as RngState,
      augRng: this.augRng.getState(),
      n: this.pool.length,
      batchSize: this.batchSize,
    };
  }

  restore(s: BatcherState): void {
    if (s.n !== this.pool.length || s.batchSize !== this.batchSize) {
      throw new ConfigError(
        `cannot resume the data loader: the checkpoint was made with ${s.n} images in batches of ${s.batchSize}, ` +
          `this run has ${this.pool.length} images in batches of ${this.batchSize}; resume with the same data split and batch size`,
        'training.batchSize',
      );
    }
    if (!Number.isInteger(s.cursor) || s.cursor < 0 || s.cursor > this.batchesPerEpoch || !Number.isInteger(s.epoch) || s.epoch < 0) {
      throw new ConfigError(`cannot resume the data loader: invalid position epoch ${s.epoch}, batch ${s.cursor}`, 'checkpoint');
    }
    this.shuffleRng.setState(s.shuffleRng);
    this.epochStart = this.shuffleRng.getState();
    this.order = this.drawOrder();
    this.epochIndex = s.epoch;
    this.cursor = s.cursor;
    this.augRng.setState(s.augRng);
  }

  private startEpoch(epoch: number): void {
    this.epochIndex = epoch;
    this.cursor = 0;
    this.epochStart = this.shuffleRng.getState();
    this.order = this.drawOrder();
  }

  private drawOrder(): Int32Array {
    if (!this.shuffle) return this.pool;
    const perm = this.shuffleRng.permutation(this.pool.length);
    for (let i = 0; i < perm.length; i++) perm[i] = this.pool[perm[i] as number] as number;
    return perm;
  }

  private fill(idx: Int32Array): Batch {
    const { channels, height, width } = this.set;
    const per = channels * height * width;
    const size = idx.length;
    let x: Float32Array;
    let y: Int32Array;
    if (this.reuse) {
      this.bufX ??= new Float32Array(this.batchSize * per);
      this.bufY ??= new Int32Array(this.batchSize);
      x = this.bufX.subarray(0, size * per);
      y = this.bufY.subarray(0, size);
    } else {
      x = new Float32Array(size * per);
      y = new Int32Array(size);
    }
    const padding = this.aug?.padding ?? 0;
    const cutout = this.aug?.cutout ?? 0;
    for (let b = 0; b < size; b++) {
      const i = idx[b] as number;
      const d = this.aug ? drawAug(this.augRng, this.aug, this.set, this.draw) : NO_AUG;
      writeImage(this.set.images, i * per, this.set, padding, cutout, d, this.lut, x, b, this.layout);
      y[b] = this.set.labels[i] as number;
    }
    return { x, y, size, indices: idx.slice() };
  }
}
