// Analytic cost of a network built from a genotype: multiply-accumulates per sample (conv and
// linear layers, inference, no auxiliary head) and parameters (including the auxiliary head when
// present). Checked against a count on the built model in cost.test.ts.
import { type CellKind, type Genotype, cellConcat, cellOps } from './genotype.js';
import type { Primitive } from './primitives.js';

export interface CostOptions { channels: number; layers: number; classes: number; inChannels?: number; auxiliary?: boolean; resolution?: number }
export interface Cost { macs: number; params: number }

function opCost(op: Primitive, c: number, stride: number, r: number): Cost {
  const ro = r / stride;
  const dil = (k: number): Cost => ({ macs: ro * ro * (c * k * k + c * c), params: c * k * k + c * c + 2 * c });
  switch (op) {
    case 'sep_conv_3x3': case 'sep_conv_5x5': {
      const k = op === 'sep_conv_3x3' ? 3 : 5;
      const one = dil(k);
      return { macs: 2 * one.macs, params: 2 * one.params };
    }
    case 'dil_conv_3x3': return dil(3);
    case 'dil_conv_5x5': return dil(5);
    case 'skip_connect': return stride === 1 ? { macs: 0, params: 0 } : { macs: ro * ro * c * c, params: c * c + 2 * c };
    case 'max_pool_3x3': case 'avg_pool_3x3': case 'none': return { macs: 0, params: 0 };
  }
}

export function genotypeCost(g: Genotype, o: CostOptions): Cost {
  const inC = o.inChannels ?? 3;
  let r = o.resolution ?? 32;
  const stemC = 3 * o.channels;
  let macs = r * r * inC * stemC * 9;
  let params = inC * stemC * 9 + 2 * stemC;
  let [cpp, cp, cur] = [stemC, stemC, o.channels];
  let auxC = 0;
  for (let i = 0; i < o.layers; i++) {
    const reduction = i === Math.floor(o.layers / 3) || i === Math.floor((2 * o.layers) / 3);
    if (reduction) cur *= 2;
    const kind: CellKind = reduction ? 'reduce' : 'normal';
    // Preprocessing (both 1×1: a factorized reduce after a reduction cell, else ReLU-conv-BN).
    macs += r * r * cpp * cur + r * r * cp * cur;
    params += cpp * cur + 2 * cur + cp * cur + 2 * cur;
    for (const [op, input] of cellOps(g, kind)) {
      // In a reduction cell the inputs are at r and stride-2 ops halve it; intermediate nodes are already at r/2.
      const c = reduction ? (input < 2 ? opCost(op, cur, 2, r) : opCost(op, cur, 1, r / 2)) : opCost(op, cur, 1, r);
      macs += c.macs;
      params += c.params;
    }
    if (reduction) r /= 2;
    [cpp, cp] = [cp, cellConcat(g, kind).length * cur];
    if (i === Math.floor((2 * o.layers) / 3)) auxC = cp;
  }
  macs += cp * o.classes;
  params += cp * o.classes + o.classes;
  if (o.auxiliary) params += auxC * 128 + 2 * 128 + 128 * 768 * 4 + 2 * 768 + 768 * o.classes + o.classes;
  return { macs, params };
}
