// Builds the optimizer and learning-rate schedule an OptimConfig describes.
import { Adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { RMSprop } from '../optim/rmsprop.js';
import type { Schedule } from '../optim/schedule.js';
import { SGD } from '../optim/sgd.js';
import type { Tensor } from '../tensor/tensor.js';
import type { OptimConfig } from './config.js';

export function makeOptimizer(params: Tensor[], c: OptimConfig): Optimizer<{ lr: number }> {
  switch (c.optimizer) {
    case 'sgd': return new SGD(params, { lr: c.lr, momentum: c.momentum, nesterov: c.nesterov, weightDecay: c.weightDecay });
    case 'adam': return new Adam(params, { lr: c.lr, weightDecay: c.weightDecay });
    case 'rmsprop': return new RMSprop(params, { lr: c.lr, momentum: c.momentum, weightDecay: c.weightDecay, alpha: 0.9, eps: 1e-3 });
    case 'rmsprop-tf': return new RMSprop(params, { lr: c.lr, momentum: c.momentum, weightDecay: c.weightDecay, alpha: 0.9, eps: 1e-3, tfStyle: true });
  }
}

export function makeSchedule(c: OptimConfig): Schedule {
  const main: Schedule = c.schedule === 'cosine' ? { kind: 'cosine', lr: c.lr, etaMin: c.etaMin, epochs: Math.max(1e-9, c.epochs - c.warmupEpochs) }
    : c.schedule === 'step' ? { kind: 'step', lr: c.lr, gamma: c.decayRate, every: c.decayEvery }
    : { kind: 'constant', lr: c.lr };
  return c.warmupEpochs > 0 ? { kind: 'warmup', epochs: c.warmupEpochs, from: c.lr * 0.01, then: main } : main;
}
