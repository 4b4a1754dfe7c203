// Every differentiable op used by the DARTS and MobileNetV3 spaces, the pruning code and the
// optimizers, as (name, function, inputs) cases: checked against finite differences in float64
// (gradcheck.test.ts) and on CUDA against the CPU (device.cuda.test.ts).
import { randn, tensor } from './creation.js';
import type { DType } from './dtype.js';
import * as F from './functional.js';
import type { Tensor } from './tensor.js';

export type OpCase = [string, (...x: Tensor[]) => Tensor, () => Tensor[]];

/** The cases; inputs and constants are created in `dtype` on the process's device. */
export function opCases(dtype: DType = 'float64'): OpCase[] {
  const fp = { dtype } as const;
  const r = (...shape: number[]) => randn(shape, fp);

  return [
    ['conv2d', (x, w, b) => F.conv2d(x, w, b, { padding: 1 }), () => [r(2, 3, 5, 5), r(4, 3, 3, 3), r(4)]],
    ['conv2d stride 2', (x, w) => F.conv2d(x, w, null, { stride: 2, padding: 1 }), () => [r(1, 2, 6, 6), r(3, 2, 3, 3)]],
    ['conv2d 1x1 stride 2 (strided-slice form), odd size', (x, w, b) => F.conv2d(x, w, b, { stride: 2 }), () => [r(2, 3, 7, 5), r(4, 3, 1, 1), r(4)]],
    ['conv2d dilation 2', (x, w) => F.conv2d(x, w, null, { dilation: 2, padding: 2 }), () => [r(1, 2, 6, 6), r(2, 2, 3, 3)]],
    ['conv2d depthwise (groups)', (x, w) => F.conv2d(x, w, null, { groups: 4, padding: 2 }), () => [r(1, 4, 5, 5), r(4, 1, 5, 5)]],
    ['batch norm (train)', (x, w, b) => F.batchNorm(x, { weight: w, bias: b, training: true }), () => [r(4, 3, 2, 2), r(3), r(3)]],
    ['batch norm (eval)', (x, w, b) => F.batchNorm(x, { weight: w, bias: b, runningMean: tensor([0.1, -0.2, 0.3], [3], fp),
      runningVar: tensor([0.5, 1.5, 2], [3], fp), training: false }), () => [r(2, 3, 2, 2), r(3), r(3)]],
    ['relu', (x) => F.relu(x), () => [r(3, 4)]],
    ['relu6', (x) => F.relu6(x.mul(4)), () => [r(3, 4)]],
    ['hardswish', (x) => F.hardswish(x.mul(3)), () => [r(3, 4)]],
    ['hardsigmoid', (x) => F.hardsigmoid(x.mul(3)), () => [r(3, 4)]],
    ['sigmoid', (x) => F.sigmoid(x), () => [r(3, 4)]],
    ['max_pool2d', (x) => F.maxPool2d(x, 3, { stride: 1, padding: 1 }), () => [r(1, 2, 4, 4)]],
    ['avg_pool2d (count_include_pad false)', (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }), () => [r(1, 2, 5, 5)]],
    ['adaptive_avg_pool2d', (x) => F.adaptiveAvgPool2d(x, 1), () => [r(2, 3, 3, 3)]],
    ['linear', (x, w, b) => F.linear(x, w, b), () => [r(3, 4), r(2, 4), r(2)]],
    ['matmul', (a, b) => F.matmul(a, b), () => [r(3, 4), r(4, 2)]],
    ['add/sub/mul/div broadcast', (a, b) => a.add(b).mul(a).sub(b.mul(2)).div(b.abs().add(1)), () => [r(2, 3), r(1, 3)]],
    ['scalar arithmetic', (a) => a.mul(3).add(1).div(2).sub(0.5), () => [r(2, 3)]],
    ['sum/mean over dims', (a) => a.sum([1]).add(a.mean([0, 2], true).sum()), () => [r(2, 3, 4)]],
    ['max over dim', (a) => a.max(1)[0], () => [r(3, 5)]],
    ['softmax', (a) => a.softmax(1), () => [r(3, 5)]],
    ['log_softmax', (a) => a.logSoftmax(1), () => [r(3, 5)]],
    ['cat/stack', (a, b) => F.stack([F.cat([a, b], 1), F.cat([b, a], 1)], 0), () => [r(2, 2), r(2, 2)]],
    ['narrow/slice', (a) => a.narrow(1, 1, 2).add(a.slice(1, 0, 2)), () => [r(2, 4)]],
    ['index_select', (a) => a.indexSelect(1, tensor([2, 0], [2], { dtype: 'int64' })), () => [r(2, 4)]],
    ['gather', (a) => a.gather(1, tensor([1, 0, 3, 3], [2, 2], { dtype: 'int64' })), () => [r(2, 4)]],
    ['masked_fill', (a) => a.maskedFill(a.gt(0), 0.5), () => [r(3, 3)]],
    ['where', (a, b) => F.where(a.gt(b), a, b), () => [r(3, 3), r(3, 3)]],
    ['reshape/permute/flatten/contiguous', (a) => a.permute([0, 2, 1]).contiguous().reshape([2, 12]).flatten().mul(a.flatten()),
      () => [r(2, 3, 4)]],
    ['pad', (a) => F.pad(a, [1, 2, 0, 1]), () => [r(1, 1, 2, 3)]],
    ['abs/sqrt/pow', (a) => a.abs().add(0.1).sqrt().pow(3), () => [r(3, 3)]],
    ['clamp', (a) => a.clamp(-0.5, 0.5), () => [r(4, 4)]],
    ['norm', (a) => a.norm(), () => [r(3, 3)]],
    ['cross entropy (label smoothing)', (logits) => F.crossEntropy(logits, tensor([0, 2, 1], [3], { dtype: 'int64' }), { labelSmoothing: 0.1 }),
      () => [r(3, 4)]],
    ['dropout (eval is identity)', (a) => F.dropout(a, 0.5, false), () => [r(3, 3)]],
  ];
}
