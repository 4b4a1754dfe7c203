import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { Rng } from '../util/rng.js';
import { choiceSpace } from './choice-space.js';
import { toySpace, type ToyGenome } from '../search/evolution/toy-space.js';

const space = toySpace();
const labels = Object.keys(space.sample(new Rng(1)));

test('sample, mutate and crossover only produce valid genomes', () => {
  const rng = new Rng(7);
  for (let i = 0; i < 500; i++) {
    const a = space.sample(rng);
    const b = space.sample(rng);
    assert.deepEqual(space.validate(a), a);
    const m = space.mutate(a, 0.3, rng);
    assert.deepEqual(space.validate(m), m);
    for (const c of space.crossover(a, b, rng)) assert.deepEqual(space.validate(c), c);
  }
});

test('mutation changes each element with probability p, always to a different value', () => {
  const rng = new Rng(3);
  const g = space.sample(rng);
  assert.deepEqual(space.mutate(g, 0, rng), g);
  const all = space.mutate(g, 1, rng);
  for (const l of labels) assert.notEqual(all[l as keyof ToyGenome], g[l as keyof ToyGenome], l);
  let changed = 0;
  const trials = 2000;
  for (let i = 0; i < trials; i++) {
    const m = space.mutate(g, 0.08, rng);
    for (const l of labels) if (m[l as keyof ToyGenome] !== g[l as keyof ToyGenome]) changed++;
  }
  const rate = changed / (trials * labels.length);
  assert.ok(rate > 0.07 && rate < 0.09, `mutation rate ${rate}`);
});

test('crossover: each child takes every gene from a parent, and the two children use both', () => {
  const rng = new Rng(5);
  for (let i = 0; i < 200; i++) {
    const a = space.sample(rng);
    const b = space.sample(rng);
    const [c1, c2] = space.crossover(a, b, rng);
    for (const l of labels as (keyof ToyGenome)[]) {
      assert.deepEqual([c1[l], c2[l]].sort(), [a[l], b[l]].sort(), l);
    }
  }
});

test('validate names the offending gene in ConfigError.path', () => {
  const g = space.sample(new Rng(2));
  const cases: [unknown, string | undefined, RegExp][] = [
    [{ ...g, g3: 7 }, 'g3', /not a choice/],
    [{ ...g, g3: '1' }, 'g3', /not a choice/],
    [{ ...g, extra: 1 }, 'extra', /unknown gene/],
    [Object.fromEntries(Object.entries(g).filter(([k]) => k !== 'g5')), 'g5', /missing/],
    [[1, 2], undefined, /must be an object/],
    [null, undefined, /must be an object/],
  ];
  for (const [bad, path, msg] of cases) {
    assert.throws(() => space.validate(bad), (e: unknown) => e instanceof ConfigError && e.path === path && msg.test(e.message));
  }
});

test('key is canonical: property order does not matter, any difference does', () => {
  const g = space.sample(new Rng(4));
  const reversed = Object.fromEntries(Object.entries(g).reverse());
  assert.equal(space.key(space.validate(reversed)), space.key(g));
  assert.notEqual(space.key(space.mutate(g, 1, new Rng(1))), space.key(g));
});

test('a space definition with an empty or repeated choice list is rejected', () => {
  assert.throws(() => choiceSpace('bad', { a: [] }), ConfigError);
  assert.throws(() => choiceSpace('bad', { a: [1, 1] }), (e: unknown) => e instanceof ConfigError && e.path === 'a');
});
