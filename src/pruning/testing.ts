// Small models and helpers shared by the pruning tests.
import { BatchNorm2d, Conv2d, Flatten, GlobalAvgPool, Linear, ReLU, Sequential } from '../nn/layers.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';

/** conv 4x3x3x3 (108 weights, no bias), BN(4), linear 3x4 (12 weights) + bias. */
export function tinyNet(): Sequential {
  return new Sequential(new Conv2d(3, 4, 3, { padding: 1, bias: false }), new BatchNorm2d(4), ReLU(), GlobalAvgPool(), Flatten(), new Linear(4, 3));
}

export function param(model: Module, name: string): Tensor {
  const p = new Map(model.namedParameters()).get(name);
  if (!p) throw new Error(`no parameter ${name}`);
  return p;
}

/** The raw bytes of a tensor, for bit-for-bit comparisons (distinguishes -0 from +0). */
export function bits(t: Tensor): Uint8Array {
  const a = t.toArray();
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}
