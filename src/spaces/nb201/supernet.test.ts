import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Layer } from '../../nn/module.js';
import { randn, tensor } from '../../tensor/creation.js';
import * as F from '../../tensor/functional.js';
import { liveTensors, manualSeed, noGrad, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Rng } from '../../util/rng.js';
import { ReluFirst } from '../darts/ops.js';
import { formatArch, parseArch } from './arch-string.js';
import { codeToGenome, genomeToCell, NB201_CELLS, NB201_OPS, type Nb201Cell } from './ops.js';
import { deriveNb201Cell, NB201_NUM_EDGES, NB201_NUM_OPS, Nb201Network, Nb201Supernet, nb201AlphaEntropy } from './supernet.js';

setNumThreads(1);
const REAL = join(process.env['LNAS_DATA_DIR'] ?? '/work/shared/data', 'nasbench201', 'nb201_full.csv');
const OPTS = { channels: 4, cellsPerStage: 2, classes: 10 };

function setAlpha(net: Nb201Supernet, rows: number[][]): void {
  noGrad(() => scope(() => { net.alpha.copy_(tensor(rows.flat(), [NB201_NUM_EDGES, NB201_NUM_OPS])); }));
}

/** Logits that make the softmax exactly one-hot in float32 (exp(-1000) is 0). */
const oneHot = (cell: Nb201Cell) => cell.map((op) => NB201_OPS.map((o) => (o === op ? 1000 : 0)));

function fixedFrom(net: Nb201Supernet, cell: Nb201Cell): Nb201Network {
  const fixed = new Nb201Network(cell, { ...OPTS, affine: false });
  const own = fixed.stateDict();
  fixed.loadStateDict(new Map([...net.stateDict()].filter(([k]) => own.has(k))));
  return fixed;
}

function maxDiff(a: Tensor, b: Tensor): number {
  return noGrad(() => scope(() => a.sub(b).abs().max().item()));
}

test('with α one-hot on a cell, the supernet computes exactly the fixed network of that cell with the same weights', () => {
  manualSeed(3);
  const net = new Nb201Supernet(OPTS);
  const rng = new Rng(11);
  const cells: Nb201Cell[] = [
    parseArch('|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'),
    parseArch('|none~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|'), // nodes 1, 2 are zeros
    ...Array.from({ length: 4 }, () => genomeToCell(codeToGenome(rng.int(NB201_CELLS)))),
  ];
  scope(() => {
    const x = randn([3, 3, 16, 16]);
    for (const cell of cells) {
      setAlpha(net, oneHot(cell));
      const fixed = fixedFrom(net, cell);
      for (const mode of ['train', 'eval'] as const) {
        net.train(mode === 'train'); fixed.train(mode === 'train');
        const d = maxDiff(net.forward(x), fixed.forward(x));
        assert.ok(d <= 1e-6, `${formatArch(cell)} (${mode}): max |difference| ${d}`);
      }
      fixed.dispose();
    }
    // The check can fail: the fixed network of another cell differs.
    setAlpha(net, oneHot(cells[0] as Nb201Cell));
    const other = fixedFrom(net, cells[2] as Nb201Cell);
    net.eval(); other.eval();
    assert.ok(maxDiff(net.forward(x), other.forward(x)) > 1e-3);
    other.dispose();
  });
  net.dispose();
});

test('derivation: each edge takes its argmax (none included) over surviving ops, as the table\'s canonical arch string', () => {
  const rng = new Rng(5);
  const tableArchs = existsSync(REAL)
    ? new Set(readFileSync(REAL, 'utf8').split('\n').slice(1).map((l) => l.split(',')[1]).filter((s): s is string => Boolean(s)))
    : null;
  const net = new Nb201Supernet({ ...OPTS, cellsPerStage: 1 });
  let sawNone = 0;
  for (let t = 0; t < 200; t++) {
    const alpha = Array.from({ length: NB201_NUM_EDGES }, () => Array.from({ length: NB201_NUM_OPS }, () => rng.normal()));
    const expected = alpha.map((row) => NB201_OPS[row.indexOf(Math.max(...row))]);
    const arch = formatArch(deriveNb201Cell(alpha));
    assert.deepEqual(parseArch(arch), expected);
    assert.equal(formatArch(parseArch(arch)), arch, 'canonical form');
    if (tableArchs) assert.ok(tableArchs.has(arch), `${arch} is not an arch_str of the table`);
    sawNone += expected.filter((o) => o === 'none').length;
    if (t < 20) {
      setAlpha(net, alpha);
      // α round-trips through float32; the argmax of these well-separated normals does not move.
      assert.equal(formatArch(net.derive()), arch);
    }
  }
  assert.ok(sawNone > 100, 'none wins edges too');
  // Masked ops do not compete; an edge with nothing left is none.
  const alpha = Array.from({ length: NB201_NUM_EDGES }, () => [5, 4, 3, 2, 1]);
  const mask = Array.from({ length: NB201_NUM_EDGES }, (_, e) => (e === 5 ? [0, 0, 0, 0, 0] : e === 1 ? [0, 0, 0, 1, 1] : [0, 1, 1, 1, 1]));
  assert.equal(formatArch(deriveNb201Cell(alpha, mask)), '|skip_connect~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|skip_connect~1|none~2|');
  assert.ok(Math.abs(nb201AlphaEntropy(Array.from({ length: 6 }, () => [0, 0, 0, 0, 0])) - Math.log(5)) < 1e-12);
  net.dispose();
});

test('a masked op is never executed (forward and backward), and none never is; the rest still are', () => {
  manualSeed(4);
  const net = new Nb201Supernet(OPTS);
  const calls = new Map<Layer, number>();
  const names = new Map<Layer, string>();
  for (const [ci, cell] of net.cells().entries()) {
    cell.edges.forEach((edge, e) => edge.ops.forEach((op, i) => {
      if (!op) { assert.equal(NB201_OPS[i], 'none'); return; }
      calls.set(op, 0);
      names.set(op, `cell ${ci} edge ${e} ${NB201_OPS[i]}`);
      const bump = () => calls.set(op, (calls.get(op) as number) + 1);
      const fwd = op.forward.bind(op);
      op.forward = (x: Tensor) => { bump(); return fwd(x); };
      if (op instanceof ReluFirst) {
        const act = op.forwardActivated.bind(op);
        op.forwardActivated = (x: Tensor) => { bump(); return act(x); };
      }
    }));
  }
  const rng = new Rng(2);
  const mask = Array.from({ length: NB201_NUM_EDGES }, (_, e) => Array.from({ length: NB201_NUM_OPS }, () => (e === 4 ? 0 : rng.int(2))));
  mask[0] = [1, 1, 0, 1, 0];
  net.setMask(mask);
  scope(() => {
    const loss = F.crossEntropy(net.forward(randn([2, 3, 16, 16])), tensor([1, 7], [2], { dtype: 'int64' }));
    loss.backward();
    assert.ok(Number.isFinite(loss.item()));
    assert.ok(net.alpha.grad !== null);
    // α of a pruned op gets no gradient: it left the softmax.
    const g = net.alpha.grad.toNumbers();
    mask.forEach((row, e) => row.forEach((alive, i) => { if (!alive) assert.equal(g[e * NB201_NUM_OPS + i], 0, `α grad of masked edge ${e} op ${i}`); }));
  });
  for (const [op, n] of calls) {
    const [, , , e, opName] = (names.get(op) as string).split(' ');
    const alive = mask[Number(e)]?.[NB201_OPS.indexOf(opName as never)] === 1;
    if (alive) assert.ok(n > 0, `${names.get(op)} should run`);
    else assert.equal(n, 0, `${names.get(op)} is masked but ran ${n} times`);
  }
  net.dispose();
});

test('the supernet has the benchmark\'s skeleton: C -> 2C -> 4C with residual reductions, and frees what it allocates', () => {
  manualSeed(1);
  const net = new Nb201Supernet({ channels: 4, cellsPerStage: 1, classes: 10 });
  assert.equal(net.cells().length, 3);
  assert.deepEqual(net.cells().map((c) => c.channels), [4, 8, 16]);
  assert.deepEqual(net.blocks.map((b) => b.constructor.name), ['Nb201SearchCell', 'ResidualReduction', 'Nb201SearchCell', 'ResidualReduction', 'Nb201SearchCell']);
  assert.equal(net.classifier.inFeatures, 16);
  const before = liveTensors().tensors;
  scope(() => {
    const y = net.forward(randn([2, 3, 16, 16]));
    assert.deepEqual(y.shape, [2, 10]);
    y.sum().backward();
  });
  for (const p of [...net.parameters(), net.alpha]) p.grad = null;
  assert.equal(liveTensors().tensors, before, 'no tensor leaked');
  net.dispose();
});
