// LNAS Variant 2's α pruner on a real (tiny) supernet: exact counts per round, the schedule of
// rounds, the last live input of a node kept, `none` handled like any op, and resume of the mask.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor } from '../tensor/creation.js';
import { manualSeed, noGrad } from '../tensor/runtime.js';
import { CELL_EDGES, NUM_EDGES, NUM_OPS } from '../spaces/darts/primitives.js';
import { Supernet } from '../spaces/darts/supernet.js';
import { AlphaPruner, pruneTo } from './alpha.js';

const TOTAL = 2 * NUM_EDGES * NUM_OPS;
const net = () => new Supernet({ channels: 2, layers: 3, classes: 10 });
const pruned = (n: Supernet) => (['normal', 'reduce'] as const).reduce((s, k) => s + n.mask[k].reduce((t, r) => t + [...r].filter((v) => !v).length, 0), 0);

test('alpha pruning: rounds fall evenly over the epochs, the last at the end; exact counts 1 − (1 − p)^(r/n) per round', () => {
  manualSeed(0);
  const n = net();
  const p = new AlphaPruner(0.5, 4, 8);
  assert.deepEqual(p.roundEpochs(), [1, 3, 5, 7]);
  for (let epoch = 0; epoch < 8; epoch++) {
    p.afterEpoch(n, epoch);
    const rounds = p.roundEpochs().filter((e) => e <= epoch).length;
    assert.equal(pruned(n), TOTAL - Math.round(TOTAL * 0.5 ** (rounds / 4)), `after epoch ${epoch}`);
  }
  assert.equal(pruned(n), TOTAL / 2);
  assert.equal(p.achieved(n), 0.5);
  n.dispose();
});

test('alpha pruning: the weakest softmax shares go first, `none` included; the last live input of a node is never pruned', () => {
  manualSeed(1);
  const n = net();
  // Make `none` (column 0) the strongest op on every edge, and give edge e's op k a share rising with k.
  const v = Array.from({ length: NUM_EDGES }, (_, e) => Array.from({ length: NUM_OPS }, (_, k) => (k === 0 ? 5 : k * 0.1 + e * 0.001))).flat();
  noGrad(() => { for (const a of [n.alpha.normal, n.alpha.reduce]) a.copy_(tensor(new Float32Array(v), [NUM_EDGES, NUM_OPS])); });
  // Half: the strong `none` entries all survive, the weakest op (column 1) goes first.
  pruneTo(n, TOTAL / 2);
  for (const kind of ['normal', 'reduce'] as const) {
    assert.ok(n.mask[kind].every((row) => row[0] === 1 && row[1] === 0), `${kind}: none kept, op 1 pruned on every edge`);
  }
  // Almost everything: `none` goes too, but each intermediate node keeps exactly one live non-none input.
  pruneTo(n, TOTAL - 1);
  const nodes = [...new Set(CELL_EDGES.map((e) => e.node))];
  assert.equal(pruned(n), TOTAL - 2 * nodes.length);
  for (const kind of ['normal', 'reduce'] as const) {
    for (const node of nodes) {
      const live = CELL_EDGES.filter((e) => e.node === node).reduce((s, e) => s + [...n.mask[kind][e.index]!].slice(1).filter(Boolean).length, 0);
      assert.equal(live, 1, `${kind} node ${node} keeps exactly one live non-none input`);
    }
  }
  n.dispose();
});

test('alpha pruning: state() and restore() bring back the mask and the round count (a resumed search prunes the same)', () => {
  manualSeed(2);
  const a = net(); const b = net();
  noGrad(() => { b.alpha.normal.copy_(a.alpha.normal); b.alpha.reduce.copy_(a.alpha.reduce); });
  const pa = new AlphaPruner(0.75, 3, 3);
  pa.afterEpoch(a, 0);
  const saved = JSON.parse(JSON.stringify(pa.state(a)));
  const pb = new AlphaPruner(0.75, 3, 3);
  pb.restore(b, saved);
  assert.deepEqual(b.mask.normal.map((r) => [...r]), a.mask.normal.map((r) => [...r]));
  for (const epoch of [1, 2]) { pa.afterEpoch(a, epoch); pb.afterEpoch(b, epoch); }
  assert.deepEqual(b.mask.reduce.map((r) => [...r]), a.mask.reduce.map((r) => [...r]));
  assert.equal(pruned(b), TOTAL - Math.round(TOTAL * 0.25));
  a.dispose(); b.dispose();
});
