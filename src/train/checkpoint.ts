// A checkpoint is one safetensors file: model tensors, optimizer state, extra tensors (e.g. α,
// masks) and libtorch's RNG state, with everything else (epoch, step, data-loader position,
// TypeScript RNG, metrics so far) as JSON in the file's metadata. One file means one atomic
// rename: a killed process leaves either the previous checkpoint or the new one.
//
// Loading checks everything it restores, and the shape of the JSON state, before the caller
// uses it: a damaged or foreign checkpoint is a DataError (LNAS_CHECKPOINT_CORRUPT) that names
// what is wrong and says to remove the run folder, never a crash halfway into a resumed run.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError, LnasError } from '../errors.js';
import { shellPath } from '../runs/paths.js';
import type { Module } from '../nn/module.js';
import { disposeAll, loadSafetensors, saveSafetensors } from '../nn/safetensors.js';
import type { Optimizer } from '../optim/optimizer.js';
import { getTorchRngState, noGrad, setTorchRngState } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';

export interface CheckpointTarget {
  model: Module;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  optimizers: Record<string, Optimizer<any>>;
  /** Long-lived tensors saved and restored in place (α, masks, θ0 copies). */
  extra?: ReadonlyMap<string, Tensor>;
}

const FORMAT = 'lnas-checkpoint-1';

export function saveCheckpoint(path: string, target: CheckpointTarget, state: unknown): void {
  scope(() => {
    const tensors = new Map<string, Tensor>();
    for (const [k, t] of target.model.stateDict()) tensors.set(`model.${k}`, t);
    const optimJson: Record<string, unknown> = {};
    for (const [name, opt] of Object.entries(target.optimizers)) {
      const s = opt.stateDict();
      optimJson[name] = s.json;
      for (const [k, t] of s.tensors) tensors.set(`optim.${name}.${k}`, t);
    }
    for (const [k, t] of target.extra ?? []) tensors.set(`extra.${k}`, t);
    tensors.set('rng.torch', getTorchRngState());
    saveSafetensors(path, tensors, { format: FORMAT, state: JSON.stringify(state), optim: JSON.stringify(optimJson) });
  });
}

// ---- checking the JSON state ----------------------------------------------------------------

/** Describes what is wrong with a checkpoint's JSON state, or returns undefined when it is usable. */
export type StateCheck = (state: unknown) => string | undefined;

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const show = (v: unknown): string => { const s = JSON.stringify(v) ?? String(v); return s.length > 60 ? `${s.slice(0, 57)}...` : s; };

/** Checks fields of `s` in order; each check returns a problem or undefined. */
export function fields(s: unknown, checks: Readonly<Record<string, (v: unknown) => string | undefined>>): string | undefined {
  if (!isRecord(s)) return `the state is ${show(s)}, not a JSON object`;
  for (const [k, check] of Object.entries(checks)) {
    const problem = check(s[k]);
    if (problem !== undefined) return `'${k}' ${problem}`;
  }
  return undefined;
}

export const count = (v: unknown): string | undefined => (isCount(v) ? undefined : `is ${show(v)}, not a count`);
export const optional = (check: (v: unknown) => string | undefined) => (v: unknown): string | undefined => (v === undefined ? undefined : check(v));
export const records = (v: unknown): string | undefined => (Array.isArray(v) && v.every(isRecord) ? undefined : 'is not a list of objects');
export const numbers = (keys: readonly string[]) => (v: unknown): string | undefined =>
  (isRecord(v) && keys.every((k) => typeof v[k] === 'number') ? undefined : `is not an object of numbers ${keys.join(', ')}`);
/** Four 32-bit words (some are written signed). */
const rngState = (v: unknown): boolean => Array.isArray(v) && v.length === 4 && v.every((x) => Number.isInteger(x) && x >= -0x80000000 && x <= 0xffffffff);
/** A Batcher's state (src/data/batcher.ts BatcherState). */
export const batcherState = (v: unknown): string | undefined =>
  (isRecord(v) && isCount(v.epoch) && isCount(v.cursor) && isCount(v.n) && isCount(v.batchSize) && rngState(v.shuffleRng) && rngState(v.augRng)
    ? undefined : 'is not a data-loader (batcher) position');

/** The state fit() (src/train/fit.ts) writes: its FitState. The default check of loadCheckpoint. */
export const checkFitState: StateCheck = (s) => fields(s, {
  epoch: count, stepInEpoch: count, batcher: batcherState, partial: numbers(['loss', 'c1', 'n', 'seconds']), history: records, emaUpdates: optional(count),
});

// ---- loading --------------------------------------------------------------------------------

/** The error for a checkpoint that cannot be resumed from, with what to do about it. */
export function checkpointCorrupt(path: string, problem: string, cause?: unknown): DataError {
  return new DataError('LNAS_CHECKPOINT_CORRUPT',
    `${path} cannot be resumed from: ${problem}. The checkpoint is damaged or was written by another version of lnas; ` +
    `remove the run folder (rm -r ${shellPath(dirname(path))}) and run the same command again to start it over.`,
    { path, ...(cause === undefined ? {} : { cause }) });
}

const sameShape = (a: Tensor, b: Tensor) => a.shape.join(',') === b.shape.join(',') && a.dtype === b.dtype;

/**
 * Restores the target in place and returns the JSON state, or null when there is no checkpoint.
 * `check` validates the JSON state (default: fit()'s); the state is returned only if it passes.
 */
export function loadCheckpoint<S>(path: string, target: CheckpointTarget, check: StateCheck = checkFitState): S | null {
  if (!existsSync(path)) return null;
  let loaded: ReturnType<typeof loadSafetensors>;
  try {
    loaded = loadSafetensors(path);
  } catch (e) {
    if (e instanceof LnasError && e.code === 'LNAS_CHECKPOINT_CORRUPT') throw checkpointCorrupt(path, e.message.replace(`${path}: `, '').replace(`${path} `, ''), e);
    throw e;
  }
  const { tensors, metadata } = loaded;
  const fail = (problem: string, cause?: unknown): never => { throw checkpointCorrupt(path, problem, cause); };
  try {
    const meta = metadata as unknown;
    if (!isRecord(meta) || meta.format !== FORMAT || typeof meta.state !== 'string' || typeof meta.optim !== 'string') {
      fail(`it is not an lnas checkpoint (format ${isRecord(meta) ? show(meta.format ?? 'missing') : 'missing'}, or no state/optimizer JSON)`);
    }
    const parse = (what: string, text: string): unknown => {
      try { return JSON.parse(text); } catch (e) { return fail(`its ${what} JSON does not parse (${(e as Error).message})`, e); }
    };
    const state = parse('state', metadata.state as string);
    const problem = check(state);
    if (problem !== undefined) fail(`its state is not what this command writes: ${problem}`);
    const optimJson = parse('optimizer', metadata.optim as string);
    if (!isRecord(optimJson)) fail(`its optimizer JSON is ${show(optimJson)}, not an object`);
    const pick = (prefix: string) => new Map([...tensors].filter(([k]) => k.startsWith(prefix)).map(([k, t]) => [k.slice(prefix.length), t]));
    // Everything below throws typed errors (state mismatches, libtorch errors) that are reported as a corrupt checkpoint.
    try {
      target.model.loadStateDict(pick('model.'));
      for (const [name, opt] of Object.entries(target.optimizers)) {
        const json = (optimJson as Rec)[name];
        if (!isRecord(json)) fail(`it has no state for optimizer '${name}'`);
        opt.loadStateDict({ tensors: pick(`optim.${name}.`), json: json as never }, `optim.${name}.`);
      }
      const extra = pick('extra.');
      for (const [k, dst] of target.extra ?? []) {
        const src = extra.get(k);
        if (!src) fail(`it lacks tensor 'extra.${k}'`);
        if (!sameShape(src as Tensor, dst)) fail(`tensor 'extra.${k}' is ${src!.dtype} [${src!.shape.join(', ')}], expected ${dst.dtype} [${dst.shape.join(', ')}]`);
        noGrad(() => dst.copy_(src as Tensor));
      }
      const rng = tensors.get('rng.torch');
      if (rng) {
        scope(() => {
          const now = getTorchRngState();
          if (!sameShape(rng, now)) fail(`tensor 'rng.torch' is ${rng.dtype} [${rng.shape.join(', ')}], not a libtorch RNG state (${now.dtype} [${now.shape.join(', ')}])`);
        });
        setTorchRngState(rng);
      }
    } catch (e) {
      if (e instanceof LnasError && !(e instanceof DataError && e.code === 'LNAS_CHECKPOINT_CORRUPT')) fail(e.message, e);
      throw e;
    }
    return state as S;
  } finally {
    disposeAll(tensors);
  }
}
