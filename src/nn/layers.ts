// Standard layers. Each is a Layer: one input, one output.
import { empty, ones, scalar, zeros } from '../tensor/creation.js';
import * as F from '../tensor/functional.js';
import { noGrad } from '../tensor/runtime.js';
import { pipe } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { kaimingUniformDefault_, uniform_, fans } from './init.js';
import { recordMacs } from './macs.js';
import { Layer } from './module.js';

export interface Conv2dOptions {
  stride?: number;
  padding?: number;
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

export class Conv2d extends Layer {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernel: number, readonly options: Conv2dOptions = {}) {
    super();
    const groups = options.groups ?? 1;
    this.weight = this.param('weight', kaimingUniformDefault_(empty([outChannels, inChannels / groups, kernel, kernel])));
    if (options.bias ?? true) {
      const bound = 1 / Math.sqrt(fans(this.weight)[0]);
      this.bias = this.param('bias', uniform_(empty([outChannels]), -bound, bound));
    } else {
      this.bias = null;
    }
  }
  forward(x: Tensor): Tensor {
    const o = this.options;
    const y = F.conv2d(x, this.weight, this.bias, { stride: o.stride ?? 1, padding: o.padding ?? 0, dilation: o.dilation ?? 1, groups: o.groups ?? 1 });
    recordMacs('conv2d', (y.shape[2] as number) * (y.shape[3] as number), this.weight);
    return y;
  }
}

export class Linear extends Layer {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  constructor(readonly inFeatures: number, readonly outFeatures: number, bias = true) {
    super();
    this.weight = this.param('weight', kaimingUniformDefault_(empty([outFeatures, inFeatures])));
    this.bias = bias ? this.param('bias', uniform_(empty([outFeatures]), -1 / Math.sqrt(inFeatures), 1 / Math.sqrt(inFeatures))) : null;
  }
  forward(x: Tensor): Tensor {
    recordMacs('linear', 1, this.weight);
    return F.linear(x, this.weight, this.bias);
  }
}

export interface BatchNormOptions {
  affine?: boolean;
  /** Weight of each new batch in the running statistics; null = cumulative moving average. */
  momentum?: number | null;
  eps?: number;
  trackRunningStats?: boolean;
}

export class BatchNorm2d extends Layer {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;
  private tracked = 0;
  constructor(readonly channels: number, readonly options: BatchNormOptions = {}) {
    super();
    const affine = options.affine ?? true;
    this.weight = affine ? this.param('weight', ones([channels])) : null;
    this.bias = affine ? this.param('bias', zeros([channels])) : null;
    const track = options.trackRunningStats ?? true;
    this.runningMean = track ? this.buffer('running_mean', zeros([channels])) : null;
    this.runningVar = track ? this.buffer('running_var', ones([channels])) : null;
    this.numBatchesTracked = track ? this.buffer('num_batches_tracked', scalar(0, { dtype: 'int64' })) : null;
  }
  forward(x: Tensor): Tensor {
    const useBatchStats = this.training || this.runningMean === null;
    let momentum = this.options.momentum === undefined ? 0.1 : this.options.momentum;
    if (this.training && this.numBatchesTracked !== null) {
      noGrad(() => this.numBatchesTracked?.add_(1));
      if (momentum === null) {
        // Cumulative average: the n-th batch has weight 1/n. The counter is read from the buffer
        // only when needed, so that loading a state dict resumes the average correctly.
        this.tracked = this.numBatchesTracked.item();
        momentum = 1 / this.tracked;
      }
    }
    return F.batchNorm(x, { weight: this.weight, bias: this.bias, runningMean: this.runningMean, runningVar: this.runningVar,
      training: useBatchStats, momentum: momentum ?? 0, eps: this.options.eps ?? 1e-5 });
  }
}

/**
 * Layer from a stateless function (activations, pooling, flatten). `attrs` records the function's
 * parameters (pool sizes) for readers of the module tree such as the ONNX exporter.
 */
export class Fn extends Layer {
  constructor(readonly name: string, private readonly fn: (x: Tensor) => Tensor, readonly attrs: Readonly<Record<string, number>> = {}) { super(); }
  forward(x: Tensor): Tensor { return this.fn(x); }
}

export const ReLU = () => new Fn('relu', F.relu);
export const ReLU6 = () => new Fn('relu6', F.relu6);
export const Hardswish = () => new Fn('hardswish', F.hardswish);
export const Hardsigmoid = () => new Fn('hardsigmoid', F.hardsigmoid);
export const Identity = () => new Fn('identity', (x) => x);
export const Flatten = () => new Fn('flatten', (x) => x.flatten(1));
export const GlobalAvgPool = () => new Fn('global_avg_pool', (x) => F.adaptiveAvgPool2d(x, 1));
export const AdaptiveAvgPool2d = (size: number) => new Fn('adaptive_avg_pool2d', (x) => F.adaptiveAvgPool2d(x, size), { size });
export const MaxPool2d = (k: number, stride = k, padding = 0) => new Fn('max_pool2d', (x) => F.maxPool2d(x, k, { stride, padding }), { kernel: k, stride, padding });

export class Dropout extends Layer {
  constructor(readonly p: number) { super(); }
  forward(x: Tensor): Tensor { return this.p > 0 ? F.dropout(x, this.p, this.training) : x; }
}

export class Sequential extends Layer {
  readonly layers: Layer[];
  constructor(...layers: Layer[]) {
    super();
    this.layers = layers;
    layers.forEach((l, i) => this.child(String(i), l));
  }
  forward(x: Tensor): Tensor {
    return pipe(x, ...this.layers.map((l) => (t: Tensor) => l.forward(t)));
  }
}

/** Squeeze-and-excitation (MobileNetV3 form): x * hardsigmoid(W2 relu(W1 avgpool(x))). */
export class SqueezeExcite extends Layer {
  readonly reduce: Conv2d;
  readonly expand: Conv2d;
  constructor(readonly channels: number, readonly squeezeChannels: number) {
    super();
    this.reduce = this.child('reduce', new Conv2d(channels, squeezeChannels, 1));
    this.expand = this.child('expand', new Conv2d(squeezeChannels, channels, 1));
  }
  forward(x: Tensor): Tensor {
    const gate = pipe(F.adaptiveAvgPool2d(x, 1), (t) => this.reduce.forward(t), F.relu, (t) => this.expand.forward(t), F.hardsigmoid);
    const y = x.mul(gate);
    gate.dispose();
    return y;
  }
}
