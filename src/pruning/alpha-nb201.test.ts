import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveNb201Cell, NB201_NUM_EDGES, NB201_NUM_OPS, Nb201Supernet } from '../spaces/nb201/supernet.js';
import { tensor } from '../tensor/creation.js';
import { manualSeed, noGrad, setNumThreads } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { Rng } from '../util/rng.js';
import { everyNodeLive, Nb201AlphaPruner, nb201PruneTo } from './alpha-nb201.js';
import { nb201Connected } from '../search/nb201/search-job.js';

setNumThreads(1);

function net(alpha: number[][]): Nb201Supernet {
  const n = new Nb201Supernet({ channels: 2, cellsPerStage: 1, classes: 10 });
  noGrad(() => scope(() => { n.alpha.copy_(tensor(alpha.flat(), [NB201_NUM_EDGES, NB201_NUM_OPS])); }));
  return n;
}
const alive = (n: Nb201Supernet) => n.mask.reduce((s, r) => s + r.reduce((a, b) => a + b, 0), 0);

test('Variant 2 on NB201: the round schedule reaches the exact sparsity, weakest shares first, every node keeps a live input', () => {
  manualSeed(0);
  const rng = new Rng(9);
  for (const p of [0.5, 0.75, 0.9]) {
    for (let trial = 0; trial < 10; trial++) {
      const alpha = Array.from({ length: NB201_NUM_EDGES }, () => Array.from({ length: NB201_NUM_OPS }, () => 2 * rng.normal()));
      const n = net(alpha);
      const pruner = new Nb201AlphaPruner(p, 4, 8);
      assert.deepEqual(pruner.roundEpochs(), [1, 3, 5, 7]);
      for (let e = 0; e < 8; e++) {
        if (pruner.afterEpoch(n, e) === 0) continue;
        assert.ok(everyNodeLive(alpha, n.mask), `p=${p} epoch ${e}: a node lost its last live input`);
        assert.ok(nb201Connected(n.derive()));
      }
      assert.equal(alive(n), Math.round(30 * (1 - p)), `p=${p}: ${alive(n)} entries alive`);
      // What survives on an edge is its strongest ops: no pruned op outranks a kept one on its edge,
      // unless it was kept to keep a node live (then it beats `none`).
      n.mask.forEach((row, e) => {
        const a = alpha[e] as number[];
        const keptMin = Math.min(...a.filter((_, i) => row[i]));
        const prunedMax = Math.max(...a.filter((_, i) => !row[i]));
        if (row.some(Boolean) && row.some((v) => !v) && prunedMax > keptMin) assert.ok(row[0] === 0 || a[0]! < keptMin, `edge ${e}`);
      });
      const copy = net(alpha);
      const again = new Nb201AlphaPruner(p, 4, 8);
      again.restore(copy, JSON.parse(JSON.stringify(pruner.state(n))));
      assert.deepEqual(copy.mask, n.mask);
      assert.equal(again.achieved(copy), pruner.achieved(n));
      n.dispose(); copy.dispose();
    }
  }
});

test('Variant 2 on NB201: an op that would disconnect the derived cell is kept, and none may be pruned', () => {
  // Node 1's only input is edge 0: none wins it unless pruned, so conv_3x3 must stay and none goes first.
  const alpha = Array.from({ length: NB201_NUM_EDGES }, () => [0, 0, 0, 0, 0]);
  alpha[0] = [3, -5, -5, -4, -5];
  const n = net(alpha);
  nb201PruneTo(n, 27);
  assert.ok(everyNodeLive(alpha, n.mask));
  const cell = deriveNb201Cell(alpha, n.mask);
  assert.equal(cell[0], 'nor_conv_3x3');
  assert.deepEqual(Array.from(n.mask[0] as Uint8Array), [0, 0, 0, 1, 0]);
  assert.equal(alive(n), 3);
  n.dispose();
});
