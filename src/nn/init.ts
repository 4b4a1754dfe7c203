// Weight initialisation (in place, under noGrad), following PyTorch's definitions.
import { rand, randn } from '../tensor/creation.js';
import { noGrad } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';

/** [fanIn, fanOut] of a linear (out, in) or conv (out, in/groups, kh, kw) weight. */
export function fans(w: Tensor): [number, number] {
  const [out = 1, inp = 1, ...rest] = w.shape;
  const receptive = rest.reduce((a, b) => a * b, 1);
  return [inp * receptive, out * receptive];
}

export function uniform_(t: Tensor, low: number, high: number): Tensor {
  noGrad(() => scope(() => { t.copy_(rand(t.shape, { dtype: t.dtype }).mul(high - low).add(low)); }));
  return t;
}

export function normal_(t: Tensor, mean: number, std: number): Tensor {
  noGrad(() => scope(() => { t.copy_(randn(t.shape, { dtype: t.dtype }).mul(std).add(mean)); }));
  return t;
}

export function constant_(t: Tensor, v: number): Tensor {
  noGrad(() => t.fill_(v));
  return t;
}

/** He initialisation: std = gain / sqrt(fan), gain = sqrt(2) for ReLU. */
export function kaimingNormal_(t: Tensor, mode: 'fanIn' | 'fanOut' = 'fanOut'): Tensor {
  const [fanIn, fanOut] = fans(t);
  return normal_(t, 0, Math.sqrt(2) / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut));
}

/** PyTorch's default for Conv2d/Linear weights: kaiming_uniform(a=sqrt(5)), i.e. U(±1/sqrt(fanIn)). */
export function kaimingUniformDefault_(t: Tensor): Tensor {
  const bound = 1 / Math.sqrt(fans(t)[0]);
  return uniform_(t, -bound, bound);
}

/** Glorot initialisation: U(±gain*sqrt(6/(fanIn+fanOut))). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = fans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound);
}
