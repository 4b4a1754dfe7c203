// The building blocks: conv-BN-activation, and MobileNetV3's inverted residual (expand 1x1 ->
// depthwise kxk -> optional SE -> project 1x1, identity shortcut when shapes allow). Module
// names (expand.conv, depthwise.bn, se.reduce, project.conv, ...) are what the channel pruner
// addresses, so they are part of the contract.

import { BatchNorm2d, Conv2d, SqueezeExcite } from '../../nn/layers.js';
import { Layer } from '../../nn/module.js';
import * as F from '../../tensor/functional.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerArch } from './arch.js';
import type { Activation } from './config.js';

export const ACTIVATIONS: Record<Activation, (x: Tensor) => Tensor> = { relu: F.relu, hardswish: F.hardswish };

export interface ConvBnActOptions { stride?: number; groups?: number; act: Activation | null }

export class ConvBnAct extends Layer {
  readonly conv: Conv2d;
  readonly bn: BatchNorm2d;
  private readonly act: ((x: Tensor) => Tensor) | null;
  /** The activation after BN (null: none), as named in the config. */
  readonly activation: Activation | null;
  constructor(inChannels: number, outChannels: number, kernel: number, o: ConvBnActOptions) {
    super();
    this.activation = o.act;
    this.conv = this.child('conv', new Conv2d(inChannels, outChannels, kernel, {
      stride: o.stride ?? 1, padding: Math.floor(kernel / 2), groups: o.groups ?? 1, bias: false,
    }));
    this.bn = this.child('bn', new BatchNorm2d(outChannels));
    this.act = o.act === null ? null : ACTIVATIONS[o.act];
  }
  forward(x: Tensor): Tensor {
    const y = this.bn.forward(this.conv.forward(x));
    return this.act ? this.act(y) : y;
  }
}

export class InvertedResidual extends Layer {
  readonly expand: ConvBnAct;
  readonly depthwise: ConvBnAct;
  readonly se: SqueezeExcite | null;
  readonly project: ConvBnAct;
  constructor(readonly spec: LayerArch) {
    super();
    const { mid, activation: act } = spec;
    // Kept even at expansion 1 (timm's `ir_..._e1`), so every layer has prunable expansion channels.
    this.expand = this.child('expand', new ConvBnAct(spec.inChannels, mid, 1, { act }));
    this.depthwise = this.child('depthwise', new ConvBnAct(mid, mid, spec.kernel, { stride: spec.stride, groups: mid, act }));
    this.se = spec.seChannels > 0 ? this.child('se', new SqueezeExcite(mid, spec.seChannels)) : null;
    this.project = this.child('project', new ConvBnAct(mid, spec.outChannels, 1, { act: null }));
  }
  forward(x: Tensor): Tensor {
    let y = this.depthwise.forward(this.expand.forward(x));
    if (this.se) y = this.se.forward(y);
    y = this.project.forward(y);
    return this.spec.residual ? y.add(x) : y;
  }
}
