// Learning-rate schedules as data: a schedule is a plain object, and lrAt() is a pure function
// of the (possibly fractional) epoch, so resuming a run needs no scheduler state.

export type Schedule =
  | { kind: 'constant'; lr: number }
  | { kind: 'cosine'; lr: number; etaMin: number; epochs: number }
  | { kind: 'step'; lr: number; gamma: number; every: number }
  | { kind: 'exponential'; lr: number; gamma: number }
  | { kind: 'warmup'; epochs: number; from: number; then: Schedule };

/**
 * Learning rate at `epoch` (0-based, fractional allowed).
 * cosine: eta_min + (lr - eta_min)(1 + cos(pi * epoch / epochs)) / 2 (PyTorch CosineAnnealingLR).
 * step: lr * gamma^floor(epoch / every), `every` may be fractional (2.4 in MnasNet training).
 * warmup: linear from `from` to the wrapped schedule's value at the end of warmup, then the
 * wrapped schedule continues with its own epoch count starting at the warmup's end.
 */
export function lrAt(s: Schedule, epoch: number): number {
  switch (s.kind) {
    case 'constant': return s.lr;
    case 'cosine': {
      const t = Math.min(epoch, s.epochs);
      return s.etaMin + ((s.lr - s.etaMin) * (1 + Math.cos((Math.PI * t) / s.epochs))) / 2;
    }
    case 'step': return s.lr * s.gamma ** Math.floor(epoch / s.every + 1e-9);
    case 'exponential': return s.lr * s.gamma ** epoch;
    case 'warmup': {
      if (epoch >= s.epochs) return lrAt(s.then, epoch - s.epochs);
      const target = lrAt(s.then, 0);
      return s.from + ((target - s.from) * epoch) / s.epochs;
    }
  }
}
