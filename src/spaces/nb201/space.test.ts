import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../errors.js';
import { createEngine } from '../../search/evolution/factory.js';
import { runSearch } from '../../search/evolution/run.js';
import { Rng } from '../../util/rng.js';
import { genomeToArch } from './arch-string.js';
import { NB201_EDGES, NB201_OPS } from './ops.js';
import { nb201Evaluator, nb201Space } from './space.js';
import { loadNb201Table } from './table.js';

const REAL = join(process.env['LNAS_DATA_DIR'] ?? '/work/shared/data', 'nasbench201', 'nb201_full.csv');
const skip = existsSync(REAL) ? false : `NAS-Bench-201 table not found at ${REAL}; set LNAS_DATA_DIR`;

test('mutation changes edge ops and crossover mixes per edge; both keep genomes valid', () => {
  const space = nb201Space();
  const rng = new Rng(8);
  let changedEdges = 0;
  for (let i = 0; i < 300; i++) {
    const a = space.sample(rng);
    const b = space.sample(rng);
    const m = space.mutate(a, 0.5, rng);
    assert.deepEqual(space.validate(m), m);
    changedEdges += NB201_EDGES.filter((e) => m[e.label] !== a[e.label]).length;
    const [c1, c2] = space.crossover(a, b, rng);
    for (const e of NB201_EDGES) assert.deepEqual([c1[e.label], c2[e.label]].sort(), [a[e.label], b[e.label]].sort());
  }
  assert.ok(changedEdges > 700 && changedEdges < 1100, `${changedEdges} edges changed`);
  assert.equal(space.key(space.sample(new Rng(1))), genomeToArch(space.sample(new Rng(1))));
  assert.throws(() => space.validate({ ...space.sample(rng), edge_2_1: 'conv_7x7' }),
    (e: unknown) => e instanceof ConfigError && e.path === 'edge_2_1' && e.message.includes(NB201_OPS.join("', '")));
});

test('a FLOPs-constrained search only queries cells within the budget', { skip }, async () => {
  const table = loadNb201Table(REAL);
  const space = nb201Space(table);
  for (const strategy of ['evolution', 'rea', 'random'] as const) {
    const engine = createEngine(space, { strategy, budget: 60, seed: 4, constraint: { maxCost: 40 } });
    await runSearch(engine, nb201Evaluator(table));
    assert.equal(engine.history.length, 60);
    for (const e of engine.history) assert.ok(table.row(e.genome).flopsM <= 40, `${strategy}: ${genomeToArch(e.genome)}`);
  }
});
