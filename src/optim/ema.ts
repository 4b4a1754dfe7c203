// Exponential moving average of model weights (and a copy of its buffers), for evaluation.
import type { Module } from '../nn/module.js';
import { noGrad } from '../tensor/runtime.js';
import type { Tensor } from '../tensor/tensor.js';

export class Ema {
  readonly shadow = new Map<string, Tensor>();

  constructor(model: Module, readonly decay: number) {
    noGrad(() => {
      for (const [k, t] of model.stateDict()) this.shadow.set(k, t.clone().keep());
    });
  }

  /** shadow = decay * shadow + (1 - decay) * current; buffers are copied. */
  update(model: Module): void {
    noGrad(() => {
      const params = new Set(model.parameters());
      for (const [k, t] of model.stateDict()) {
        const s = this.shadow.get(k);
        if (!s) continue;
        if (params.has(t)) s.lerp_(t, 1 - this.decay);
        else s.copy_(t);
      }
    });
  }

  /** Runs fn with the averaged weights loaded into the model, then restores the live ones. */
  withAveraged<T>(model: Module, fn: () => T): T {
    const live = new Map<string, Tensor>();
    noGrad(() => { for (const [k, t] of model.stateDict()) live.set(k, t.clone().keep()); });
    model.loadStateDict(this.shadow);
    try {
      return fn();
    } finally {
      model.loadStateDict(live);
      for (const t of live.values()) t.dispose();
    }
  }

  dispose(): void {
    for (const t of this.shadow.values()) t.dispose();
    this.shadow.clear();
  }
}
