// Properties every strategy must have: exact budget, no duplicate evaluation, the cost
// constraint, clean ending on a tiny space, and determinism for any concurrency.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, LnasError } from '../../errors.js';
import { choiceSpace } from '../../spaces/choice-space.js';
import { createEngine, type EngineConfig } from './factory.js';
import { runSearch } from './run.js';
import type { EvalResult, Genome, SearchSpace } from '../../spaces/space.js';
import { toyEvaluate, toyFitness, toySpace } from './toy-space.js';
import { STRATEGIES, type StrategyName } from './types.js';

const space = toySpace();

function config(strategy: StrategyName, extra: Partial<EngineConfig> = {}): EngineConfig {
  return { strategy, budget: 60, seed: 11, populationSize: 8, ...extra } as EngineConfig;
}

/** Resolves after a genome-dependent number of ticks, so completions come back out of order. */
function delayed<G extends Genome>(space: SearchSpace<G>, fitness: (g: G) => number, salt: number) {
  let calls = 0;
  const evaluate = async (g: G): Promise<EvalResult<G>> => {
    calls++;
    const key = space.key(g);
    let h = salt;
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
    for (let i = 0; i < h % 7; i++) await null;
    return { fitness: fitness(g) };
  };
  return { evaluate, calls: () => calls };
}

for (const strategy of STRATEGIES) {
  test(`${strategy}: uses the budget exactly and never evaluates a genome twice`, async () => {
    const seen: string[] = [];
    const engine = createEngine(space, config(strategy));
    const summary = await runSearch(engine, async (g) => { seen.push(space.key(g)); return toyEvaluate(g); });
    assert.equal(seen.length, 60);
    assert.equal(new Set(seen).size, 60);
    assert.equal(summary.evaluations, 60);
    assert.ok(summary.done);
    assert.deepEqual(engine.history.map((e) => e.id), [...Array(60).keys()]);
    assert.equal(engine.ask(), 'done');
  });

  test(`${strategy}: every evaluated genome satisfies the cost constraint`, async () => {
    const engine = createEngine(space, config(strategy, { constraint: { minCost: 10, maxCost: 14 } }));
    await runSearch(engine, toyEvaluate);
    assert.equal(engine.history.length, 60);
    for (const e of engine.history) {
      const cost = space.cost?.(e.genome) ?? NaN;
      assert.ok(cost >= 10 && cost <= 14, `cost ${cost}`);
    }
  });

  test(`${strategy}: the space's feasible() predicate (a latency budget) is respected, and checked after the cost`, async () => {
    let asked = 0;
    const feasible = (g: Parameters<NonNullable<typeof space.cost>>[0]) => {
      asked++;
      assert.ok((space.cost?.(g) ?? NaN) <= 14, 'feasible() was asked about a genome over the cost budget');
      return [...space.key(g)].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 1000003, 7) % 2 === 0;
    };
    const engine = createEngine({ ...space, feasible }, config(strategy, { constraint: { maxCost: 14 } }));
    await runSearch(engine, toyEvaluate);
    assert.ok(engine.history.length > 0 && asked > 0);
    for (const e of engine.history) assert.ok(feasible(e.genome), space.key(e.genome));
  });

  test(`${strategy}: same results for any concurrency and completion order`, async () => {
    const runs = [];
    for (const [concurrency, salt] of [[1, 1], [4, 2], [4, 3]] as const) {
      const engine = createEngine(space, config(strategy, { concurrency }));
      const { evaluate, calls } = delayed(space, toyFitness, salt);
      await runSearch(engine, evaluate);
      assert.equal(calls(), 60);
      runs.push([...engine.history].sort((a, b) => a.id - b.id).map((e) => [e.id, e.generation, space.key(e.genome)]));
    }
    if (strategy !== 'rea') assert.deepEqual(runs[1], runs[0]); // REA's population lags by concurrency - 1
    assert.deepEqual(runs[2], runs[1]);
  });

  test(`${strategy}: stops cleanly when the space runs out before the budget`, async () => {
    const tiny = choiceSpace('tiny', { a: [0, 1], b: ['x', 'y'] });
    const engine = createEngine(tiny, { strategy, budget: 10, seed: 1, populationSize: 3, maxAttempts: 200 } as EngineConfig);
    const summary = await runSearch(engine, async (g) => ({ fitness: (g['a'] as number) + (g['b'] === 'y' ? 2 : 0) }));
    assert.equal(summary.evaluations, 4);
    assert.ok(summary.done);
    assert.equal(summary.best?.fitness, 3);
  });
}

test('an unsatisfiable constraint is a ConfigError naming the constraint', async () => {
  const engine = createEngine(space, config('evolution', { constraint: { maxCost: -1 }, maxAttempts: 50 }));
  await assert.rejects(runSearch(engine, toyEvaluate), (e: unknown) => e instanceof ConfigError && e.path === 'constraint');
  const noCost = choiceSpace('nocost', { a: [1, 2] });
  assert.throws(() => createEngine(noCost, { strategy: 'random', budget: 1, seed: 0, constraint: { maxCost: 1 } }), ConfigError);
});

test('bad options are ConfigErrors with the option path', () => {
  const bad: [Partial<EngineConfig>, string][] = [
    [{ budget: 0 }, 'budget'], [{ budget: 1.5 }, 'budget'], [{ mutationProb: 1.2 }, 'evolution.mutationProb'],
    [{ topK: 0 }, 'evolution.topK'], [{ concurrency: 0 }, 'concurrency'],
  ];
  for (const [extra, path] of bad) {
    assert.throws(() => createEngine(space, config('evolution', extra)), (e: unknown) => e instanceof ConfigError && e.path === path, path);
  }
  assert.throws(() => createEngine(space, config('rea', { sampleSize: 0 } as never)), (e: unknown) => e instanceof ConfigError && e.path === 'rea.sampleSize');
  assert.throws(() => createEngine(space, { strategy: 'bogus' } as never), (e: unknown) => e instanceof ConfigError && e.path === 'strategy');
});

test('a non-finite fitness is rejected with a message that says what to return', async () => {
  const engine = createEngine(space, config('random'));
  await assert.rejects(runSearch(engine, async () => ({ fitness: NaN })), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_EVAL_RESULT' && /finite/.test(e.message));
});

test('maxEvaluations pauses a run that a second call continues', async () => {
  const engine = createEngine(space, config('evolution'));
  const first = await runSearch(engine, toyEvaluate, { maxEvaluations: 25 });
  assert.equal(first.evaluations, 25);
  assert.equal(first.done, false);
  const rest = await runSearch(engine, toyEvaluate);
  assert.equal(rest.evaluations, 60);
  const straight = createEngine(space, config('evolution'));
  await runSearch(straight, toyEvaluate);
  assert.deepEqual(engine.history.map((e) => e.genome), straight.history.map((e) => e.genome));
});

test('search beats random sampling on the toy problem at the same budget', async () => {
  let wins = 0;
  for (let seed = 0; seed < 10; seed++) {
    const best: Record<string, number> = {};
    for (const strategy of STRATEGIES) {
      const engine = createEngine(space, { ...config(strategy), seed, budget: 150 } as EngineConfig);
      best[strategy] = (await runSearch(engine, toyEvaluate)).best?.fitness ?? -Infinity;
    }
    if ((best['evolution'] as number) >= (best['random'] as number) && (best['rea'] as number) >= (best['random'] as number)) wins++;
  }
  assert.ok(wins >= 8, `evolution and REA matched or beat random in only ${wins}/10 seeds`);
});

