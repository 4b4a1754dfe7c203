// Accuracy on a fixed set of batches (eval mode, no gradient): every proposal is judged on
// exactly the same images.

import type { Layer } from '../../nn/module.js';
import * as F from '../../tensor/functional.js';
import { noGrad } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { batchTensors } from '../../train/loop.js';
import type { BatchSet } from './recalibrate.js';

export interface Accuracy { readonly top1: number; readonly loss: number; readonly n: number }

export function evaluateBatches(model: Layer, data: BatchSet): Accuracy {
  const wasTraining = model.training;
  let correct = 0;
  let loss = 0;
  let n = 0;
  model.eval();
  try {
    noGrad(() => {
      for (const b of data.batches) {
        scope(() => {
          const { x, y } = batchTensors(b, data.geometry, data.layout);
          const logits = model.forward(x);
          loss += F.crossEntropy(logits, y, { reduction: 'sum' }).item();
          correct += F.correctTopK(logits, y, [1])[0] ?? 0;
          n += b.size;
        });
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return { top1: correct / Math.max(1, n), loss: loss / Math.max(1, n), n };
}
