// Discretizes architecture weights into a genotype, as DARTS does at the end of a search: softmax
// each edge's logits, score an edge by its strongest non-'none' op, keep each node's 2 best edges
// with that op. α arrives as plain numbers (14 edges × 8 ops, PRIMITIVES column order).
//
// Masks (0/1, same shape) come from α pruning: a masked op is removed from the mixed op, so the
// softmax runs over the unmasked ops only and masked entries get weight 0.
//
// Degenerate nodes (fewer than 2 edges that still have an unmasked non-'none' op) are not an
// error: each node first takes its usable edges, then fills the missing picks from the other
// edges ranked by a plain softmax over all 8 ops (the mask ignored), each with its best
// non-'none' op. Every node has >= 2 incoming edges, so derivation always yields a valid
// genotype; `fallbackSlots` says which entries ignored the mask so callers can warn.

import { ConfigError } from '../../errors.js';
import { cellOps, validateGenotype, type CellKind, type Genotype, type GenotypeEdge } from './genotype.js';
import {
  DEFAULT_CONCAT,
  INPUTS_PER_NODE,
  INTERMEDIATE_NODES,
  NUM_EDGES,
  NUM_OPS,
  PRIMITIVES,
  edgesOfNode,
  primitiveIndex,
  type Primitive,
} from './primitives.js';

export type AlphaMatrix = readonly (readonly number[])[];
/** 1 keeps an op, 0 removes it. */
export type AlphaMask = readonly (readonly number[])[];

export type DeriveInput = {
  readonly alphaNormal: AlphaMatrix;
  readonly alphaReduce: AlphaMatrix;
  readonly maskNormal?: AlphaMask;
  readonly maskReduce?: AlphaMask;
};

export type DerivedCell = {
  /** 2 entries per node in node order, the stronger edge of each node first (as DARTS prints). */
  readonly ops: readonly GenotypeEdge[];
  /** Indices into `ops` that were chosen by the fallback rule, ignoring the mask. */
  readonly fallbackSlots: readonly number[];
};

const NONE = primitiveIndex('none');

function checkMatrix(value: unknown, name: string, isMask: boolean): void {
  if (!Array.isArray(value) || value.length !== NUM_EDGES) {
    throw new ConfigError(`${name} must have ${NUM_EDGES} rows (one per edge), got ${Array.isArray(value) ? value.length : typeof value}`, name);
  }
  value.forEach((row: unknown, e) => {
    if (!Array.isArray(row) || row.length !== NUM_OPS) {
      throw new ConfigError(`${name}[${e}] must have ${NUM_OPS} entries (one per op: ${PRIMITIVES.join(', ')})`, `${name}[${e}]`);
    }
    row.forEach((v: unknown, k) => {
      const ok = isMask ? v === 0 || v === 1 : typeof v === 'number' && Number.isFinite(v);
      if (!ok) {
        const want = isMask ? '0 or 1' : 'a finite number';
        throw new ConfigError(`${name}[${e}][${k}] must be ${want}, got ${String(v)}`, `${name}[${e}][${k}]`);
      }
    });
  });
}

function checkInputs(alpha: AlphaMatrix, mask: AlphaMask | undefined, name: string, maskName: string): void {
  checkMatrix(alpha, name, false);
  if (mask !== undefined) checkMatrix(mask, maskName, true);
}

/** Softmax of one row over the entries where `keep` is true; the others get 0. */
function softmax(row: readonly number[], keep: (k: number) => boolean): number[] {
  let max = -Infinity;
  row.forEach((v, k) => {
    if (keep(k) && v > max) max = v;
  });
  if (max === -Infinity) return row.map(() => 0);
  const exps = row.map((v, k) => (keep(k) ? Math.exp(v - max) : 0));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

const kept = (mask: AlphaMask | undefined, e: number) => (k: number): boolean => mask === undefined || mask[e]?.[k] === 1;

/** Per-edge op weights: softmax over the unmasked ops of each edge, 0 for masked ones. */
export function edgeWeights(alpha: AlphaMatrix, mask?: AlphaMask): number[][] {
  checkInputs(alpha, mask, 'alpha', 'mask');
  return alpha.map((row, e) => softmax(row, kept(mask, e)));
}

/** Best non-'none' op of a row among the allowed ones; lowest index wins ties. */
function bestOp(values: readonly number[], allowed: (k: number) => boolean): { k: number; value: number } | undefined {
  let best: { k: number; value: number } | undefined;
  values.forEach((v, k) => {
    if (k !== NONE && allowed(k) && (best === undefined || v > best.value)) best = { k, value: v };
  });
  return best;
}

type Candidate = { input: number; op: Primitive; strength: number };

const byStrength = (a: Candidate, b: Candidate): number => b.strength - a.strength || a.input - b.input;

/** Derives one cell; see the file comment for the rule used when the mask leaves too few edges. */
export function deriveCell(alpha: AlphaMatrix, mask?: AlphaMask, name = 'alpha'): DerivedCell {
  checkInputs(alpha, mask, name, name.startsWith('alpha') ? name.replace(/^alpha/, 'mask') : `${name}Mask`);
  const ops: GenotypeEdge[] = [];
  const fallbackSlots: number[] = [];
  for (const node of INTERMEDIATE_NODES) {
    const usable: Candidate[] = [];
    const rest: Candidate[] = [];
    for (const edge of edgesOfNode(node)) {
      const row = alpha[edge.index] as readonly number[];
      const keep = kept(mask, edge.index);
      const best = bestOp(softmax(row, keep), keep);
      if (best !== undefined) {
        usable.push({ input: edge.input, op: PRIMITIVES[best.k] as Primitive, strength: best.value });
      } else {
        const all = (): boolean => true;
        const ignoringMask = bestOp(softmax(row, all), all) as { k: number; value: number };
        rest.push({ input: edge.input, op: PRIMITIVES[ignoringMask.k] as Primitive, strength: ignoringMask.value });
      }
    }
    const picks = usable.sort(byStrength).slice(0, INPUTS_PER_NODE);
    for (const extra of rest.sort(byStrength).slice(0, INPUTS_PER_NODE - picks.length)) {
      fallbackSlots.push(ops.length + picks.length);
      picks.push(extra);
    }
    for (const pick of picks) ops.push(Object.freeze([pick.op, pick.input] as const));
  }
  return { ops: Object.freeze(ops), fallbackSlots: Object.freeze(fallbackSlots) };
}

/** Derives a genotype from both cells' α (and optional pruning masks); concat is all of 2..5. */
export function deriveGenotype(input: DeriveInput): Genotype {
  const normal = deriveCell(input.alphaNormal, input.maskNormal, 'alphaNormal');
  const reduce = deriveCell(input.alphaReduce, input.maskReduce, 'alphaReduce');
  return validateGenotype({
    normal: normal.ops,
    normalConcat: DEFAULT_CONCAT,
    reduce: reduce.ops,
    reduceConcat: DEFAULT_CONCAT,
  });
}

/**
 * Mean over edges of the entropy (nats) of each edge's softmax over its unmasked ops. Edges with
 * every op masked are left out of the mean (they no longer exist); 0 if none remain. A low value
 * means the search has committed to one op per edge.
 */
export function alphaEntropy(alpha: AlphaMatrix, mask?: AlphaMask): number {
  checkInputs(alpha, mask, 'alpha', 'mask');
  let total = 0;
  let edges = 0;
  alpha.forEach((row, e) => {
    const keep = kept(mask, e);
    if (!row.some((_, k) => keep(k))) return;
    total += softmax(row, keep).reduce((h, p) => (p > 0 ? h - p * Math.log(p) : h), 0);
    edges++;
  });
  return edges === 0 ? 0 : total / edges;
}

/** How many entries of the given cell(s) use `op`, e.g. skip_connect counts for collapse checks. */
export function countOp(genotype: Genotype, op: Primitive, cell: CellKind | 'both' = 'both'): number {
  const cells: readonly CellKind[] = cell === 'both' ? ['normal', 'reduce'] : [cell];
  return cells.reduce((n, c) => n + cellOps(genotype, c).filter(([o]) => o === op).length, 0);
}
