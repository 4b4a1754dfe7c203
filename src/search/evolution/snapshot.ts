// Reading a snapshot back: it may come from disk, so it is checked before anything is trusted,
// and every problem is a DataError that says which field is wrong.

import { DataError } from '../../errors.js';
import type { RngState } from '../../util/rng.js';
import type { Genome, SearchSpace } from '../../spaces/space.js';
import { STRATEGIES, type EngineOptions, type EngineSnapshot, type HistoryEntry, type Proposal } from './types.js';

export function snapshotError(message: string, path: string): DataError {
  return new DataError('LNAS_SNAPSHOT', `search snapshot: ${message} (at ${path}); use a snapshot written by this version of lnas`, { path });
}

/** Checks shape and genomes; returns the snapshot typed for `space`. */
export function checkSnapshot<G extends Genome>(space: SearchSpace<G>, raw: unknown): EngineSnapshot<G> {
  const s = obj(raw, 'snapshot');
  if (s['format'] !== 'lnas-search-snapshot') throw snapshotError("not a search snapshot (format is not 'lnas-search-snapshot')", 'format');
  if (s['version'] !== 1) throw snapshotError(`unsupported version ${String(s['version'])}`, 'version');
  const strategy = s['strategy'];
  if (!STRATEGIES.includes(strategy as never)) throw snapshotError(`unknown strategy ${String(strategy)}`, 'strategy');
  if (s['space'] !== space.name) {
    throw snapshotError(`it was written for space '${String(s['space'])}', not '${space.name}'`, 'space');
  }
  const rng = s['rng'];
  if (!Array.isArray(rng) || rng.length !== 4 || !rng.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)) {
    throw snapshotError('rng must be four 32-bit unsigned integers', 'rng');
  }
  const nextId = int(s['nextId'], 'nextId');
  const pending = arr(s['pending'], 'pending').map((p, i) => checkSnapshotProposal(space, p, `pending[${i}]`));
  const history = arr(s['history'], 'history').map((h, i): HistoryEntry<G> => {
    const path = `history[${i}]`;
    const e = obj(h, path);
    const fitness = e['fitness'];
    if (typeof fitness !== 'number' || !Number.isFinite(fitness)) throw snapshotError('fitness must be a finite number', `${path}.fitness`);
    return { ...checkSnapshotProposal(space, e, path), fitness, member: genome(space, e['member'], `${path}.member`), result: obj(e['result'], `${path}.result`) as never };
  });
  const ids = new Set<number>();
  for (const { id } of [...history, ...pending]) {
    if (id >= nextId || ids.has(id)) throw snapshotError(`id ${id} is repeated or not below nextId ${nextId}`, 'history');
    ids.add(id);
  }
  if (typeof s['finished'] !== 'boolean') throw snapshotError('finished must be a boolean', 'finished');
  const o = obj(s['options'], 'options');
  return {
    ...(s as unknown as EngineSnapshot<G>),
    rng: rng as unknown as RngState, nextId, history, pending,
    options: obj(o, 'options') as never, params: obj(s['params'], 'params') as never,
  };
}

/** Engine options as stored in a snapshot, back in constructor form (re-checked there). */
export function optionsOf(snap: EngineSnapshot): EngineOptions {
  const o = snap.options;
  return {
    budget: o.budget, seed: o.seed, concurrency: o.concurrency, maxAttempts: o.maxAttempts,
    ...(o.constraint === null ? {} : { constraint: o.constraint }),
  };
}

export function checkSnapshotProposal<G extends Genome>(space: SearchSpace<G>, raw: unknown, path: string): Proposal<G> {
  const p = obj(raw, path);
  return { id: int(p['id'], `${path}.id`), generation: int(p['generation'], `${path}.generation`), genome: genome(space, p['genome'], `${path}.genome`) };
}

function genome<G extends Genome>(space: SearchSpace<G>, raw: unknown, path: string): G {
  try {
    return space.validate(raw);
  } catch (e) {
    throw new DataError('LNAS_SNAPSHOT', `search snapshot: invalid genome at ${path}: ${(e as Error).message}`, { path, cause: e });
  }
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw snapshotError('expected an object', path);
  return v as Record<string, unknown>;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw snapshotError('expected an array', path);
  return v;
}

function int(v: unknown, path: string): number {
  if (!Number.isInteger(v) || (v as number) < 0) throw snapshotError('expected a non-negative integer', path);
  return v as number;
}
