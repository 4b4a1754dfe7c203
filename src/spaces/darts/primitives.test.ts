import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CELL_EDGES,
  DEFAULT_CONCAT,
  NUM_EDGES,
  NUM_OPS,
  PRIMITIVES,
  edgeAt,
  edgeIndex,
  edgesOfNode,
  isPrimitive,
  nodeOfSlot,
  primitiveIndex,
} from './primitives.js';

test('PRIMITIVES keep the DARTS column order', () => {
  assert.deepEqual(PRIMITIVES, [
    'none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect',
    'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5',
  ]);
  assert.equal(NUM_OPS, 8);
  assert.equal(primitiveIndex('none'), 0);
  assert.equal(primitiveIndex('skip_connect'), 3);
  assert.equal(primitiveIndex('dil_conv_5x5'), 7);
});

test('isPrimitive accepts exactly the listed names', () => {
  for (const p of PRIMITIVES) assert.equal(isPrimitive(p), true);
  assert.equal(isPrimitive('conv_7x1_1x7'), false);
  assert.equal(isPrimitive('Sep_conv_3x3'), false);
  assert.equal(isPrimitive(3), false);
  assert.equal(isPrimitive(undefined), false);
});

test('edges are enumerated node by node, inputs ascending', () => {
  const pairs = CELL_EDGES.map((e) => [e.node, e.input]);
  assert.deepEqual(pairs, [
    [2, 0], [2, 1],
    [3, 0], [3, 1], [3, 2],
    [4, 0], [4, 1], [4, 2], [4, 3],
    [5, 0], [5, 1], [5, 2], [5, 3], [5, 4],
  ]);
  assert.equal(NUM_EDGES, 14);
  CELL_EDGES.forEach((e, i) => assert.equal(e.index, i));
});

test('edgeIndex and edgeAt are inverse', () => {
  for (let i = 0; i < NUM_EDGES; i++) {
    const e = edgeAt(i);
    assert.equal(edgeIndex(e.node, e.input), i);
  }
  assert.equal(edgeIndex(3, 0), 2);
  assert.equal(edgeIndex(4, 3), 8);
  assert.equal(edgeIndex(5, 4), 13);
});

test('out-of-range edges are rejected', () => {
  assert.throws(() => edgeIndex(3, 3), RangeError);
  assert.throws(() => edgeIndex(1, 0), RangeError);
  assert.throws(() => edgeIndex(6, 0), RangeError);
  assert.throws(() => edgeIndex(4, -1), RangeError);
  assert.throws(() => edgeAt(14), RangeError);
  assert.throws(() => edgeAt(1.5), RangeError);
  assert.throws(() => edgesOfNode(6), RangeError);
});

test('edgesOfNode and nodeOfSlot', () => {
  assert.deepEqual(edgesOfNode(4).map((e) => e.index), [5, 6, 7, 8]);
  assert.deepEqual(edgesOfNode(2).map((e) => e.input), [0, 1]);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map(nodeOfSlot), [2, 2, 3, 3, 4, 4, 5, 5]);
  assert.deepEqual(DEFAULT_CONCAT, [2, 3, 4, 5]);
});
