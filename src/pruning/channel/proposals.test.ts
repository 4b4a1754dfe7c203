import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../util/rng.js';
import { gene } from '../../spaces/mobilenet/genome.js';
import { allowedRates, sampleProposals } from './proposals.js';
import { testGenome, tinySpace } from './testing.js';

const space = tinySpace();
const genome = testGenome(1);

test('proposals: rates on the grid, within [min, max], never below the current rate; valid genomes', () => {
  const ps = sampleProposals(genome, space.config, { count: 20, rng: new Rng(1), minRate: 0.125, maxRate: 0.375 });
  assert.equal(ps.length, 20);
  assert.equal(new Set(ps.map((p) => JSON.stringify(p.rates))).size, 20);
  const active = space.arch(genome).layers.map((l) => l.label);
  for (const p of ps) {
    assert.deepEqual(Object.keys(p.rates), active);
    for (const [label, r] of Object.entries(p.rates)) {
      const current = gene(genome, `${label}_prune`) as number;
      assert.ok(space.config.choices.pruneRates.includes(r));
      assert.ok(r >= Math.max(0.125, current) && (r <= 0.375 || r === current), `${label}: ${r}`);
      assert.equal(gene(p.genome, `${label}_prune`), r);
    }
    assert.deepEqual(space.validate(p.genome), p.genome);
    assert.equal(p.macs, space.macs(p.genome));
    assert.equal(p.params, space.params(p.genome));
    assert.ok(p.macs <= space.macs(genome));
  }
  // A layer already pruned beyond maxRate keeps its rate.
  const allowed = allowedRates(space.validate({ ...genome, s2_i1_prune: 0.5 }), space.config, 0, 0.25);
  assert.deepEqual(allowed.get('s2_i1'), [0.5]);
  assert.deepEqual(allowed.get('s2_i2'), [0, 0.125, 0.25]);
});

test('a FLOPs target is held by rejection sampling; an unreachable one is a typed error', () => {
  const full = space.macs(genome);
  const target = Math.round(full * 0.8);
  const ps = sampleProposals(genome, space.config, { count: 10, rng: new Rng(2), flops: { target, tolerance: 0.03 } });
  assert.ok(ps.length > 0);
  for (const p of ps) assert.ok(Math.abs(p.macs - target) <= 0.03 * target, `${p.macs} vs ${target}`);
  assert.throws(() => sampleProposals(genome, space.config, { count: 5, rng: new Rng(3), flops: { target: full * 0.1, tolerance: 0.05 } }),
    (e: unknown) => (e as { code?: string }).code === 'LNAS_PRUNE_INFEASIBLE' && /allowed rates give/.test((e as Error).message));
  assert.throws(() => sampleProposals(genome, space.config, { count: 0, rng: new Rng(3) }), ConfigError);
  assert.throws(() => sampleProposals(genome, space.config, { count: 3, rng: new Rng(3), minRate: 0.5, maxRate: 0.25 }),
    (e: unknown) => e instanceof ConfigError && e.path === 'pruning.minRate');
});

test('same seed, same proposals', () => {
  const a = sampleProposals(genome, space.config, { count: 5, rng: new Rng(9) });
  const b = sampleProposals(genome, space.config, { count: 5, rng: new Rng(9) });
  assert.deepEqual(a.map((p) => p.rates), b.map((p) => p.rates));
});
