// One training step and one evaluation pass. Every step runs in scope(): no tensor outlives it.
import type { Geometry } from '../data/types.js';
import type { Batch, Batcher } from '../data/batcher.js';
import type { Layout } from '../data/augment.js';
import type { Layer } from '../nn/module.js';
import { clipGradNorm } from '../optim/clip.js';
import type { Optimizer } from '../optim/optimizer.js';
import { tensor } from '../tensor/creation.js';
import * as F from '../tensor/functional.js';
import { noGrad } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';

export type { Geometry };

/** Batch as tensors: x is logically NCHW; with layout 'nhwc' its strides are channels_last. */
export function batchTensors(b: Batch, g: Geometry, layout: Layout): { x: Tensor; y: Tensor } {
  const x = layout === 'nhwc'
    ? tensor(b.x, [b.size, g.height, g.width, g.channels]).permute([0, 3, 1, 2])
    : tensor(b.x, [b.size, g.channels, g.height, g.width]);
  return { x, y: tensor(b.y, [b.size]).to('int64') };
}

export interface StepStats { loss: number; correct1: number; correct5: number; n: number }

export interface StepOptions {
  clip: number;
  labelSmoothing: number;
  /** Weight of an auxiliary head's loss (models exposing `auxLogits`). */
  auxWeight?: number;
  /** Runs after every optimizer step (e.g. re-applying pruning masks). */
  afterStep?: () => void;
}

export function trainStep(model: Layer, opt: Optimizer<{ lr: number }>, x: Tensor, y: Tensor, o: StepOptions): StepStats {
  return scope(() => {
    const logits = model.forward(x);
    let loss = F.crossEntropy(logits, y, { labelSmoothing: o.labelSmoothing });
    const aux = (model as { auxLogits?: Tensor | null }).auxLogits;
    if (aux && o.auxWeight) loss = loss.add(F.crossEntropy(aux, y, { labelSmoothing: o.labelSmoothing }), o.auxWeight);
    opt.zeroGrad();
    loss.backward();
    if (o.clip > 0) clipGradNorm(opt.parameters(), o.clip);
    opt.step();
    o.afterStep?.();
    const [c1, c5] = noGrad(() => F.correctTopK(logits, y, [1, 5]));
    return { loss: loss.item(), correct1: c1 ?? 0, correct5: c5 ?? 0, n: y.numel };
  });
}

export interface EvalResult { loss: number; top1: number; top5: number; n: number }

export function evaluate(model: Layer, batcher: Batcher, g: Geometry, layout: Layout): EvalResult {
  const wasTraining = model.training;
  model.eval();
  let loss = 0; let c1 = 0; let c5 = 0; let n = 0;
  try {
    noGrad(() => {
      for (const b of batcher.batches()) {
        scope(() => {
          const { x, y } = batchTensors(b, g, layout);
          const logits = model.forward(x);
          loss += F.crossEntropy(logits, y, { reduction: 'sum' }).item();
          const [a, b5] = F.correctTopK(logits, y, [1, 5]);
          c1 += a ?? 0; c5 += b5 ?? 0; n += y.numel;
        });
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return { loss: loss / Math.max(1, n), top1: c1 / Math.max(1, n), top5: c5 / Math.max(1, n), n };
}
