// Test support: stop a run part-way the way a user does (an aborted signal, as SIGINT gives the
// CLI), counted in training steps reported to the progress display.
import type { Progress } from './progress.js';
import { silentProgress } from './progress.js';

/** A progress sink that aborts `signal` once `steps` training steps have been reported. */
export function abortAfterSteps(steps: number, base: Progress = silentProgress): { progress: Progress; signal: AbortSignal } {
  const controller = new AbortController();
  let seen = 0;
  return {
    signal: controller.signal,
    progress: { ...base, update(info) { base.update(info); if (++seen >= steps) controller.abort(); }, log: (l) => base.log(l), done: () => base.done() },
  };
}

/** What crashAfterSteps throws. */
export class SimulatedKill extends Error {}

/**
 * A progress sink that throws SimulatedKill when step `steps + 1` is reported: fit() leaves the
 * run exactly as a process killed after `steps` steps would (their checkpoints written, nothing after).
 */
export function crashAfterSteps(steps: number, base: Progress = silentProgress): Progress {
  let seen = 0;
  return { update(info) { if (++seen > steps) throw new SimulatedKill(`killed after ${steps} steps`); base.update(info); }, log: (l) => base.log(l), done: () => base.done() };
}
