import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegularizedEvolution } from './rea.js';
import { runSearch } from './run.js';
import { toyEvaluate, toySpace, type ToyGenome } from './toy-space.js';

const space = toySpace();
const diff = (a: ToyGenome, b: ToyGenome) => (Object.keys(a) as (keyof ToyGenome)[]).filter((l) => a[l] !== b[l]).length;

test('REA: P random members, then mutants of a tournament winner from the P most recent', async () => {
  const engine = new RegularizedEvolution(space, { budget: 80, seed: 6, populationSize: 10, sampleSize: 10 });
  await runSearch(engine, toyEvaluate);
  const h = [...engine.history].sort((a, b) => a.id - b.id);
  assert.ok(h.slice(0, 10).every((e) => e.generation === 0));
  for (const child of h.slice(10)) {
    // sampleSize = populationSize: the parent is the fittest of the 10 most recent trials.
    const window = h.slice(child.id - 10, child.id);
    const parent = window.reduce((b, e) => (e.fitness > b.fitness ? e : b));
    assert.equal(child.generation, parent.generation + 1, `child ${child.id}`);
    assert.ok(diff(child.genome, parent.genome) >= 1);
  }
});
