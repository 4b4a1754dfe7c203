// Counting multiply-accumulates on a built model: while a MacCounter is active, every Conv2d
// and Linear forward records its output size and its weight. Dense MACs count every weight;
// effective MACs only the non-zero ones (pruned weights cost nothing on sparse hardware).
import { zeros } from '../tensor/creation.js';
import { noGrad } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import type { Layer } from './module.js';
import type { Tensor } from '../tensor/tensor.js';

export interface MacRecord { layer: string; outPixels: number; weight: Tensor }

let active: MacRecord[] | null = null;

/** Called by Conv2d/Linear forward. outPixels: output positions per sample (1 for Linear). */
export function recordMacs(layer: string, outPixels: number, weight: Tensor): void {
  active?.push({ layer, outPixels, weight });
}

/** Runs fn (one forward of a single sample) and returns the layers it used. */
export function traceMacs(fn: () => void): MacRecord[] {
  const prev = active;
  active = [];
  try {
    fn();
    return active;
  } finally {
    active = prev;
  }
}

/** MACs per sample: dense (all weights) and effective (non-zero weights only). */
export function countMacs(records: readonly MacRecord[]): { dense: number; effective: number } {
  let dense = 0;
  let effective = 0;
  for (const r of records) {
    dense += r.outPixels * r.weight.numel;
    effective += r.outPixels * scope(() => r.weight.ne(0).sum().item());
  }
  return { dense, effective };
}

/** Dense and effective (non-zero weight) MACs of one sample of shape `g` through the model, in eval mode. */
export function macsOf(model: Layer, g: { channels: number; height: number; width: number }, channelsLast: boolean): { dense: number; effective: number } {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => scope(() => {
      const x0 = zeros([1, g.channels, g.height, g.width]);
      const x = channelsLast ? x0.contiguous('channelsLast') : x0;
      return countMacs(traceMacs(() => { model.forward(x); }));
    }));
  } finally {
    model.train(wasTraining);
  }
}
