// Neural-network operators: convolution, normalisation, pooling, activations, losses.
import { call, callT, type Tensor } from './tensor.js';

export type Pair = number | readonly [number, number];
const pair = (v: Pair): readonly [number, number] => (typeof v === 'number' ? [v, v] : v);

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  groups?: number;
}

export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, o: Conv2dOptions = {}): Tensor {
  const stride = pair(o.stride ?? 1);
  const padding = pair(o.padding ?? 0);
  const groups = o.groups ?? 1;
  if (weight.shape[2] === 1 && weight.shape[3] === 1 && (weight.shape[1] as number) * groups < POINTWISE_SAFE_CHANNELS
    && padding[0] === 0 && padding[1] === 0 && (stride[0] > 1 || stride[1] > 1)) {
    return pointwiseStrided(x, weight, bias, stride, groups);
  }
  return callT('aten::conv2d', [x, weight, bias, stride, padding, pair(o.dilation ?? 1), groups]);
}

/**
 * Below this many input channels a 1×1 strided convolution takes the strided-slice form.
 * libtorch 1.13's oneDNN backward of the strided 1×1 kernel writes out of bounds in channels_last
 * for inputs of 2–6 channels (a heap corruption, seen with the AVX2 kernels; ops-native.test.ts
 * checks it under MALLOC_CHECK_=3). The slice form costs up to 3.6× on that op in channels_last
 * (scripts/bench/pointwise-stride.mjs), so wide inputs, which are clean, keep the native kernel;
 * the margin above the last faulty count is deliberate.
 */
const POINTWISE_SAFE_CHANNELS = 16;

/**
 * A 1×1 convolution with stride s and no padding is a 1×1 stride-1 convolution of x[:, :, ::s, ::s]
 * (same output size, ceil(h / s)). Dilation does not matter for a 1×1 kernel.
 */
function pointwiseStrided(x: Tensor, weight: Tensor, bias: Tensor | null, stride: readonly [number, number], groups: number): Tensor {
  const h = x.shape[2] as number;
  const w = x.shape[3] as number;
  const rows = x.slice(2, 0, h, stride[0]);
  const sub = rows.slice(3, 0, w, stride[1]);
  rows.dispose();
  const y = callT('aten::conv2d', [sub, weight, bias, [1, 1], [0, 0], [1, 1], groups]);
  sub.dispose();
  return y;
}

export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return callT('aten::linear', [x, weight, bias]);
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  return callT('aten::matmul', [a, b]);
}

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  training: boolean;
  /** Weight of the current batch in the running statistics update. */
  momentum?: number;
  eps?: number;
}

export function batchNorm(x: Tensor, o: BatchNormOptions): Tensor {
  // Running statistics: lnas::batch_norm_eval (native/kernels.cc), aten's op wherever it does not apply.
  if (!o.training && o.runningMean && o.runningVar) {
    return callT('lnas::batch_norm_eval', [x, o.weight ?? null, o.bias ?? null, o.runningMean, o.runningVar, o.eps ?? 1e-5]);
  }
  return callT('aten::batch_norm', [x, o.weight ?? null, o.bias ?? null, o.runningMean ?? null, o.runningVar ?? null,
    o.training, o.momentum ?? 0.1, o.eps ?? 1e-5, true]);
}

export interface Pool2dOptions {
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
}

/**
 * The search spaces' 3×3 pools (padding 1, stride 1 or 2) go to lnas::pool3x3 (native/kernels.cc):
 * a direct channels_last kernel when no gradient is wanted, aten's own op otherwise. Max pooling
 * gives aten's values exactly, average pooling within float rounding.
 */
const isPool3x3 = (kernel: Pair, stride: Pair, padding: Pair, dilation: Pair, ceilMode: boolean): boolean => {
  const [k, s, p, d] = [pair(kernel), pair(stride), pair(padding), pair(dilation)];
  return !ceilMode && k[0] === 3 && k[1] === 3 && p[0] === 1 && p[1] === 1 && d[0] === 1 && d[1] === 1 && s[0] === s[1] && (s[0] === 1 || s[0] === 2);
};

export function maxPool2d(x: Tensor, kernel: Pair, o: Pool2dOptions & { dilation?: Pair } = {}): Tensor {
  const stride = o.stride ?? kernel;
  if (isPool3x3(kernel, stride, o.padding ?? 0, o.dilation ?? 1, o.ceilMode ?? false)) return callT('lnas::pool3x3', [x, true, pair(stride)[0], false]);
  return callT('aten::max_pool2d', [x, pair(kernel), pair(o.stride ?? kernel), pair(o.padding ?? 0), pair(o.dilation ?? 1), o.ceilMode ?? false]);
}

export function avgPool2d(x: Tensor, kernel: Pair, o: Pool2dOptions & { countIncludePad?: boolean } = {}): Tensor {
  const stride = o.stride ?? kernel;
  if (isPool3x3(kernel, stride, o.padding ?? 0, 1, o.ceilMode ?? false)) return callT('lnas::pool3x3', [x, false, pair(stride)[0], o.countIncludePad ?? true]);
  return callT('aten::avg_pool2d', [x, pair(kernel), pair(o.stride ?? kernel), pair(o.padding ?? 0), o.ceilMode ?? false,
    o.countIncludePad ?? true, null]);
}

export function adaptiveAvgPool2d(x: Tensor, size: Pair): Tensor {
  return callT('aten::adaptive_avg_pool2d', [x, pair(size)]);
}

export const relu = (x: Tensor): Tensor => callT('aten::relu', [x]);
export const relu6 = (x: Tensor): Tensor => callT('aten::hardtanh', [x, 0, 6]);
export const hardswish = (x: Tensor): Tensor => callT('aten::hardswish', [x]);
export const hardsigmoid = (x: Tensor): Tensor => callT('aten::hardsigmoid', [x]);
export const sigmoid = (x: Tensor): Tensor => callT('aten::sigmoid', [x]);

export function dropout(x: Tensor, p: number, training: boolean): Tensor {
  return callT('aten::dropout', [x, p, training]);
}

/** Zero padding (or another constant) of the last dims: pad = [left, right, top, bottom, ...]. */
export function pad(x: Tensor, padding: readonly number[], value = 0): Tensor {
  return callT('aten::constant_pad_nd', [x, padding, value]);
}

export interface CrossEntropyOptions {
  reduction?: 'mean' | 'sum' | 'none';
  labelSmoothing?: number;
  weight?: Tensor | null;
}
const REDUCTION = { none: 0, mean: 1, sum: 2 } as const;

export function crossEntropy(logits: Tensor, target: Tensor, o: CrossEntropyOptions = {}): Tensor {
  return callT('aten::cross_entropy_loss', [logits, target, o.weight ?? null, REDUCTION[o.reduction ?? 'mean'], -100, o.labelSmoothing ?? 0]);
}

export function softmax(x: Tensor, dim: number): Tensor { return x.softmax(dim); }
export function logSoftmax(x: Tensor, dim: number): Tensor { return x.logSoftmax(dim); }

export function cat(tensors: readonly Tensor[], dim = 0): Tensor { return callT('aten::cat', [tensors, dim]); }
export function stack(tensors: readonly Tensor[], dim = 0): Tensor { return callT('aten::stack', [tensors, dim]); }
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor { return callT('aten::where.self', [cond, a, b]); }

/** Sum of tensors of identical shape, in one call (used by mixed ops and cells). */
export function addN(tensors: readonly Tensor[]): Tensor {
  return tensors.length === 1 ? (tensors[0] as Tensor).mul(1) : callT('aten::sum.dim_IntList', [stack(tensors, 0), [0], false, null]);
}

/** Top-k accuracy counts: how many rows of logits have the target among their k highest. */
export function correctTopK(logits: Tensor, target: Tensor, ks: readonly number[]): number[] {
  const kmax = Math.min(Math.max(...ks), logits.shape[1] ?? 1);
  const [, idx] = call('aten::topk', [logits, kmax, 1, true, true]) as [Tensor, Tensor];
  const hits = idx.eq(target.unsqueeze(1));
  return ks.map((k) => hits.narrow(1, 0, Math.min(k, kmax)).sum().item());
}
