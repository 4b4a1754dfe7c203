import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../errors.js';
import { alphaEntropy, countOp, deriveCell, deriveGenotype, edgeWeights } from './derive.js';
import { genotypesEqual, type GenotypeEdge } from './genotype.js';
import { DARTS_V1, DARTS_V2 } from './genotypes.js';
import { NUM_EDGES, NUM_OPS, edgeIndex, nodeOfSlot, primitiveIndex } from './primitives.js';

const zeros = (): number[][] => Array.from({ length: NUM_EDGES }, () => new Array<number>(NUM_OPS).fill(0));
const ones = (): number[][] => Array.from({ length: NUM_EDGES }, () => new Array<number>(NUM_OPS).fill(1));

function set(m: number[][], node: number, input: number, op: Parameters<typeof primitiveIndex>[0], value: number): void {
  (m[edgeIndex(node, input)] as number[])[primitiveIndex(op)] = value;
}

/** α under which DARTS derivation yields `ops` (the first entry of each node is the stronger one). */
function alphaFor(ops: readonly GenotypeEdge[]): number[][] {
  const alpha = zeros();
  ops.forEach(([op, input], slot) => set(alpha, nodeOfSlot(slot), input, op, slot % 2 === 0 ? 6 : 5));
  return alpha;
}

test('derivation reproduces published genotypes from matching α', () => {
  for (const g of [DARTS_V1, DARTS_V2]) {
    const derived = deriveGenotype({ alphaNormal: alphaFor(g.normal), alphaReduce: alphaFor(g.reduce) });
    assert.ok(genotypesEqual(derived, g));
  }
});

test("'none' is ignored when picking the op but lowers the edge's strength", () => {
  const alpha = zeros();
  // Node 3: edge 0 has the largest raw logit but 'none' dominates it after the softmax.
  set(alpha, 3, 0, 'none', 10);
  set(alpha, 3, 0, 'sep_conv_5x5', 4);
  set(alpha, 3, 1, 'dil_conv_3x3', 1);
  set(alpha, 3, 2, 'avg_pool_3x3', 2);
  const { ops } = deriveCell(alpha);
  assert.deepEqual(ops.slice(2, 4), [['avg_pool_3x3', 2], ['dil_conv_3x3', 1]]);
});

test('ties go to the lower op and the lower input', () => {
  const { ops, fallbackSlots } = deriveCell(zeros());
  assert.deepEqual(ops.map(([, input]) => input), [0, 1, 0, 1, 0, 1, 0, 1]);
  assert.ok(ops.every(([op]) => op === 'max_pool_3x3'));
  assert.deepEqual(fallbackSlots, []);
});

test('masked ops are excluded and the softmax renormalizes over the rest', () => {
  const alpha = zeros();
  set(alpha, 2, 0, 'sep_conv_3x3', 3);
  set(alpha, 2, 0, 'skip_connect', 2);
  const mask = ones();
  set(mask, 2, 0, 'sep_conv_3x3', 0);
  assert.deepEqual(deriveCell(alpha, mask).ops[0], ['skip_connect', 0]);
  assert.deepEqual(deriveCell(alpha).ops[0], ['sep_conv_3x3', 0]);

  const weights = edgeWeights(alpha, mask);
  const row = weights[edgeIndex(2, 0)] as number[];
  assert.equal(row[primitiveIndex('sep_conv_3x3')], 0);
  assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(Math.abs((row[primitiveIndex('skip_connect')] ?? 0) - Math.exp(2) / (Math.exp(2) + 6)) < 1e-12);
});

test('masking raises the strength of an edge with fewer remaining ops', () => {
  const alpha = zeros();
  set(alpha, 3, 0, 'sep_conv_3x3', 1);
  set(alpha, 3, 1, 'sep_conv_3x3', 1);
  set(alpha, 3, 2, 'sep_conv_3x3', 1.5);
  // Unmasked, edge 2 is strongest; with most of edge 1's ops removed, edge 1 wins.
  assert.deepEqual(deriveCell(alpha).ops[2], ['sep_conv_3x3', 2]);
  const mask = ones();
  for (const op of ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_5x5', 'dil_conv_3x3'] as const) {
    set(mask, 3, 1, op, 0);
  }
  assert.deepEqual(deriveCell(alpha, mask).ops.slice(2, 4), [['sep_conv_3x3', 1], ['sep_conv_3x3', 2]]);
});

test('a node with one usable edge takes it plus the best masked edge, reported as fallback', () => {
  const alpha = zeros();
  set(alpha, 5, 0, 'sep_conv_3x3', 2);
  set(alpha, 5, 3, 'dil_conv_5x5', 4);
  set(alpha, 5, 4, 'skip_connect', 1);
  const mask = ones();
  // Node 5: edges 0, 1 and 3 fully masked, edge 2 keeps only 'none' (unusable); only edge 4 is usable.
  for (const input of [0, 1, 2, 3]) for (let k = 0; k < NUM_OPS; k++) (mask[edgeIndex(5, input)] as number[])[k] = 0;
  set(mask, 5, 2, 'none', 1);
  const { ops, fallbackSlots } = deriveCell(alpha, mask);
  assert.deepEqual(ops.slice(6), [['skip_connect', 4], ['dil_conv_5x5', 3]]);
  assert.deepEqual(fallbackSlots, [7]);
});

test('a node with no usable edge falls back for both picks', () => {
  const alpha = zeros();
  set(alpha, 2, 1, 'avg_pool_3x3', 3);
  const mask = ones();
  for (const input of [0, 1]) for (let k = 1; k < NUM_OPS; k++) (mask[edgeIndex(2, input)] as number[])[k] = 0;
  const { ops, fallbackSlots } = deriveCell(alpha, mask);
  assert.deepEqual(ops.slice(0, 2), [['avg_pool_3x3', 1], ['max_pool_3x3', 0]]);
  assert.deepEqual(fallbackSlots, [0, 1]);
  const g = deriveGenotype({ alphaNormal: alpha, alphaReduce: zeros(), maskNormal: mask });
  assert.ok(g.normal.every(([op]) => op !== 'none'));
});

test('bad shapes and values are ConfigErrors with a path', () => {
  const short = zeros().slice(1);
  assert.throws(() => deriveGenotype({ alphaNormal: short, alphaReduce: zeros() }), (e: unknown) => e instanceof ConfigError && e.path === 'alphaNormal');
  const nan = zeros();
  (nan[2] as number[])[3] = Number.NaN;
  assert.throws(() => deriveGenotype({ alphaNormal: zeros(), alphaReduce: nan }), (e: unknown) => e instanceof ConfigError && e.path === 'alphaReduce[2][3]');
  const narrow = zeros();
  narrow[4] = [0, 0, 0];
  assert.throws(() => alphaEntropy(narrow), (e: unknown) => e instanceof ConfigError && e.path === 'alpha[4]');
  const mask = ones();
  (mask[0] as number[])[0] = 0.5;
  assert.throws(() => deriveCell(zeros(), mask, 'alphaNormal'), (e: unknown) => e instanceof ConfigError && e.path === 'maskNormal[0][0]');
});

test('alphaEntropy is the mean per-edge softmax entropy in nats', () => {
  assert.ok(Math.abs(alphaEntropy(zeros()) - Math.log(8)) < 1e-12);
  const peaked = zeros();
  for (const row of peaked) row[4] = 50;
  assert.ok(alphaEntropy(peaked) < 1e-12);
  const mask = zeros();
  (mask[0] as number[])[1] = 1;
  (mask[0] as number[])[2] = 1;
  (mask[1] as number[])[3] = 1;
  // Edge 0: two equal ops -> ln 2; edge 1: one op -> 0; fully masked edges do not count.
  assert.ok(Math.abs(alphaEntropy(zeros(), mask) - Math.log(2) / 2) < 1e-12);
  assert.equal(alphaEntropy(zeros(), zeros()), 0);
});

test('countOp counts per cell', () => {
  assert.equal(countOp(DARTS_V2, 'skip_connect', 'normal'), 2);
  assert.equal(countOp(DARTS_V2, 'skip_connect', 'reduce'), 3);
  assert.equal(countOp(DARTS_V2, 'skip_connect'), 5);
  assert.equal(countOp(DARTS_V1, 'skip_connect', 'normal'), 3);
  assert.equal(countOp(DARTS_V2, 'max_pool_3x3', 'reduce'), 5);
  assert.equal(countOp(DARTS_V2, 'none'), 0);
});
