// The DARTS candidate operations (ReLU-conv-BN order, bias-free convolutions). In the search
// network BN has no affine parameters and pools are followed by BN; in a derived network BN is
// affine and pools stand alone. Convolution ops start with a ReLU of their input; MixedOp
// computes that ReLU once and hands it to all four conv ops (forwardActivated).
import { BatchNorm2d, Conv2d } from '../../nn/layers.js';
import { Layer } from '../../nn/module.js';
import * as F from '../../tensor/functional.js';
import { pipe } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Primitive } from './primitives.js';

export interface OpContext { channels: number; stride: number; affine: boolean; search: boolean }

/** An op whose first step is ReLU(x); forwardActivated takes that ReLU precomputed. */
export abstract class ReluFirst extends Layer {
  abstract forwardActivated(xRelu: Tensor): Tensor;
  forward(x: Tensor): Tensor {
    const xr = F.relu(x);
    const y = this.forwardActivated(xr);
    xr.dispose();
    return y;
  }
}

const bn = (c: number, affine: boolean) => new BatchNorm2d(c, { affine });
const conv = (cin: number, cout: number, k: number, o: { stride?: number; padding?: number; dilation?: number; groups?: number } = {}) =>
  new Conv2d(cin, cout, k, { ...o, bias: false });

/** ReLU, depthwise k×k (dilated), pointwise 1×1, BN. */
export class DilConv extends ReluFirst {
  readonly dw: Conv2d; readonly pw: Conv2d; readonly bn: BatchNorm2d;
  constructor(cin: number, cout: number, k: number, stride: number, padding: number, dilation: number, affine: boolean) {
    super();
    this.dw = this.child('dw', conv(cin, cin, k, { stride, padding, dilation, groups: cin }));
    this.pw = this.child('pw', conv(cin, cout, 1));
    this.bn = this.child('bn', bn(cout, affine));
  }
  forwardActivated(xr: Tensor): Tensor { return pipe(xr, (t) => this.dw.forward(t), (t) => this.pw.forward(t), (t) => this.bn.forward(t)); }
}

/** Two DilConv(dilation 1) stages; only the first has the stride. */
export class SepConv extends ReluFirst {
  readonly a: DilConv; readonly b: DilConv;
  constructor(cin: number, cout: number, k: number, stride: number, padding: number, affine: boolean) {
    super();
    this.a = this.child('a', new DilConv(cin, cin, k, stride, padding, 1, affine));
    this.b = this.child('b', new DilConv(cin, cout, k, 1, padding, 1, affine));
  }
  forwardActivated(xr: Tensor): Tensor { return pipe(xr, (t) => this.a.forwardActivated(t), (t) => this.b.forward(t)); }
}

/** Halves the resolution without losing pixels: two offset 1×1 stride-2 convs, concatenated. */
export class FactorizedReduce extends ReluFirst {
  readonly c1: Conv2d; readonly c2: Conv2d; readonly bn: BatchNorm2d;
  constructor(cin: number, cout: number, affine: boolean) {
    super();
    this.c1 = this.child('c1', conv(cin, cout / 2, 1, { stride: 2 }));
    this.c2 = this.child('c2', conv(cin, cout - cout / 2, 1, { stride: 2 }));
    this.bn = this.child('bn', bn(cout, affine));
  }
  forwardActivated(xr: Tensor): Tensor {
    const h = xr.shape[2] as number;
    const w = xr.shape[3] as number;
    const shifted = pipe(xr, (t) => t.slice(2, 1, h), (t) => t.slice(3, 1, w));
    const a = this.c1.forward(xr);
    const b = this.c2.forward(shifted);
    shifted.dispose();
    const joined = F.cat([a, b], 1);
    a.dispose(); b.dispose();
    const y = this.bn.forward(joined);
    joined.dispose();
    return y;
  }
}

/** ReLU, conv, BN: the cell input preprocessing. */
export class ReLUConvBN extends ReluFirst {
  readonly conv: Conv2d; readonly bn: BatchNorm2d;
  constructor(cin: number, cout: number, k: number, stride: number, padding: number, affine: boolean) {
    super();
    this.conv = this.child('conv', conv(cin, cout, k, { stride, padding }));
    this.bn = this.child('bn', bn(cout, affine));
  }
  forwardActivated(xr: Tensor): Tensor { return pipe(xr, (t) => this.conv.forward(t), (t) => this.bn.forward(t)); }
}

export class Pool extends Layer {
  readonly bn: BatchNorm2d | null;
  constructor(readonly kind: 'max' | 'avg', readonly channels: number, readonly stride: number, withBn: boolean) {
    super();
    this.bn = withBn ? this.child('bn', bn(channels, false)) : null;
  }
  forward(x: Tensor): Tensor {
    const y = this.kind === 'max'
      ? F.maxPool2d(x, 3, { stride: this.stride, padding: 1 })
      : F.avgPool2d(x, 3, { stride: this.stride, padding: 1, countIncludePad: false });
    if (!this.bn) return y;
    const z = this.bn.forward(y);
    y.dispose();
    return z;
  }
}

export class Identity extends Layer {
  forward(x: Tensor): Tensor { return x; }
}

/** The zero op. MixedOp never calls it (its output is zero); derived cells never contain it. */
export class Zero extends Layer {
  constructor(readonly stride: number) { super(); }
  forward(x: Tensor): Tensor {
    const s = this.stride === 1 ? x : x.slice(2, 0, x.shape[2] as number, this.stride).slice(3, 0, x.shape[3] as number, this.stride);
    return s.mul(0);
  }
}

export type OpFactory = (c: OpContext) => Layer;

export const OPS: Record<Primitive, OpFactory> = {
  none: (c) => new Zero(c.stride),
  max_pool_3x3: (c) => new Pool('max', c.channels, c.stride, c.search),
  avg_pool_3x3: (c) => new Pool('avg', c.channels, c.stride, c.search),
  skip_connect: (c) => (c.stride === 1 ? new Identity() : new FactorizedReduce(c.channels, c.channels, c.affine)),
  sep_conv_3x3: (c) => new SepConv(c.channels, c.channels, 3, c.stride, 1, c.affine),
  sep_conv_5x5: (c) => new SepConv(c.channels, c.channels, 5, c.stride, 2, c.affine),
  dil_conv_3x3: (c) => new DilConv(c.channels, c.channels, 3, c.stride, 2, 2, c.affine),
  dil_conv_5x5: (c) => new DilConv(c.channels, c.channels, 5, c.stride, 4, 2, c.affine),
};
