// MENAS generational loop specifics: generations, top-k parents, lottery-ticket members.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Evolution } from './evolution.js';
import { runSearch } from './run.js';
import { toyEvaluate, toyFitness, toySpace, type ToyGenome } from './toy-space.js';

const space = toySpace();

test('generations: each holds populationSize candidates and the cap ends the run', async () => {
  const engine = new Evolution(space, { budget: 100, seed: 2, populationSize: 7, generations: 3 });
  const summary = await runSearch(engine, toyEvaluate);
  assert.equal(summary.evaluations, 21);
  assert.ok(summary.done);
  const perGen = [0, 1, 2].map((g) => engine.history.filter((e) => e.generation === g).length);
  assert.deepEqual(perGen, [7, 7, 7]);
});

test('the last generation is cut to the budget exactly', async () => {
  const engine = new Evolution(space, { budget: 25, seed: 2, populationSize: 10 });
  await runSearch(engine, toyEvaluate);
  assert.deepEqual([0, 1, 2].map((g) => engine.history.filter((e) => e.generation === g).length), [10, 10, 5]);
});

test('children are bred from the top-k: without mutation they only recombine parent genes', async () => {
  const engine = new Evolution(space, { budget: 24, seed: 9, populationSize: 12, topK: 3, mutationProb: 0, crossoverProb: 1, generations: 2 });
  await runSearch(engine, toyEvaluate);
  const gen0 = engine.history.filter((e) => e.generation === 0).sort((a, b) => b.fitness - a.fitness || a.id - b.id);
  const parents = gen0.slice(0, 3).map((e) => e.genome);
  const children = engine.history.filter((e) => e.generation === 1);
  const recombined = children.filter((c) => (Object.keys(c.genome) as (keyof ToyGenome)[]).every((l) => parents.some((p) => p[l] === c.genome[l])));
  // Three parents differ in most genes, so there are far more than 12 new recombinations.
  assert.equal(children.length, 12);
  assert.equal(recombined.length, 12, 'a child has a gene no top-3 parent has');
});

test('a result\'s member (lottery ticket) stands in for the trial as a parent and is never proposed', async () => {
  // Every trial is "pruned" to a ticket with g0 = 0; crossover without mutation keeps g0 = 0.
  const ticket = (g: ToyGenome): ToyGenome => ({ ...g, g0: 0 });
  const engine = new Evolution(space, { budget: 40, seed: 4, populationSize: 10, topK: 5, mutationProb: 0, crossoverProb: 1, generations: 2 });
  await runSearch(engine, async (g) => ({ fitness: toyFitness(g), member: ticket(g) }));
  for (const e of engine.history) assert.deepEqual(e.member, ticket(e.genome));
  const children = engine.history.filter((e) => e.generation === 1);
  const ticketKeys = new Set(engine.history.filter((e) => e.generation === 0).map((e) => space.key(e.member)));
  for (const c of children) assert.ok(!ticketKeys.has(space.key(c.genome)), 'a ticket was evaluated again');
  assert.ok(children.filter((c) => c.genome.g0 === 0).length >= 8, 'children were not bred from the tickets');
});

test('the best genome improves over generations on a smooth problem', async () => {
  const engine = new Evolution(space, { budget: 200, seed: 3 });
  await runSearch(engine, toyEvaluate);
  const bestIn = (g: number) => Math.max(...engine.history.filter((e) => e.generation === g).map((e) => e.fitness));
  assert.ok(bestIn(9) > bestIn(0), `${bestIn(9)} <= ${bestIn(0)}`);
  assert.ok((engine.best()?.fitness ?? -Infinity) >= -2);
});
