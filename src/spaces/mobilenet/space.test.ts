import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../errors.js';
import { Evolution } from '../../search/evolution/evolution.js';
import { Rng } from '../../util/rng.js';
import { mobilenetConfig } from './config.js';
import { countDownsamples, downLabels, gene, geneLabels, type MobileNetGenome } from './genome.js';
import { mobilenetSpace } from './space.js';

const space = mobilenetSpace(mobilenetConfig('cifar'));
const labels = geneLabels();
const with_ = (g: MobileNetGenome, over: Record<string, unknown>) => ({ ...g, ...over }) as unknown as MobileNetGenome;

test('the genome is a flat record of 131 labelled choices in canonical order', () => {
  const g = space.sample(new Rng(1));
  assert.equal(labels.length, 1 + 5 * (2 + 6 * 4));
  assert.deepEqual(Object.keys(g), labels);
  assert.deepEqual(labels.slice(0, 7), ['width_mult', 's1_depth', 's1_down', 's1_i1_exp', 's1_i1_k', 's1_i1_se', 's1_i1_prune']);
});

test('sample, mutate and crossover only produce valid genomes (at most maxDownsamples downs)', () => {
  const rng = new Rng(7);
  const patterns = new Set<string>();
  for (let i = 0; i < 400; i++) {
    const a = space.sample(rng);
    const b = space.sample(rng);
    patterns.add(downLabels().map((l) => gene(a, l)).join());
    assert.deepEqual(space.validate(a), a);
    const m = space.mutate(a, 0.5, rng);
    assert.deepEqual(space.validate(m), m);
    for (const c of space.crossover(a, b, rng)) assert.deepEqual(space.validate(c), c);
  }
  assert.equal(patterns.size, 26, 'every allowed down pattern is sampled (C(5,0..3) = 26)');
});

test('mutation from a parent at the downsample limit is repaired, not rejected', () => {
  const rng = new Rng(11);
  const parent = with_(space.sample(rng), { s1_down: true, s2_down: true, s3_down: true, s4_down: false, s5_down: false });
  let flippedOn = 0;
  for (let i = 0; i < 300; i++) {
    const m = space.mutate(parent, 0.5, rng);
    assert.ok(countDownsamples(m) <= 3);
    if (gene(m, 's4_down') || gene(m, 's5_down')) flippedOn++;
  }
  assert.ok(flippedOn > 20, `${flippedOn}`);
});

test('crossover takes every gene from a parent and moves the down flags as one unit', () => {
  const rng = new Rng(5);
  let mixed = 0;
  for (let i = 0; i < 200; i++) {
    const a = space.sample(rng);
    const b = space.sample(rng);
    const [c1, c2] = space.crossover(a, b, rng);
    for (const l of labels) assert.deepEqual([gene(c1, l), gene(c2, l)].sort(), [gene(a, l), gene(b, l)].sort(), l);
    const downsFrom = (c: MobileNetGenome, p: MobileNetGenome) => downLabels().every((l) => gene(c, l) === gene(p, l));
    assert.ok(downsFrom(c1, a) || downsFrom(c1, b));
    if (labels.some((l) => gene(c1, l) !== gene(a, l)) && labels.some((l) => gene(c1, l) !== gene(b, l))) mixed++;
  }
  assert.ok(mixed > 190);
});

test('mutation changes each gene with probability p, to a different choice', () => {
  const rng = new Rng(3);
  const g = space.sample(rng);
  assert.deepEqual(space.mutate(g, 0, rng), g);
  let changed = 0;
  for (let i = 0; i < 300; i++) {
    const m = space.mutate(g, 0.08, rng);
    changed += labels.filter((l) => gene(m, l) !== gene(g, l)).length;
  }
  const rate = changed / (300 * labels.length);
  assert.ok(rate > 0.07 && rate < 0.09, `rate ${rate}`);
});

test('validate: ConfigError with the offending label as path', () => {
  const g = with_(space.sample(new Rng(2)), { s1_down: true, s2_down: true, s3_down: true, s4_down: false, s5_down: false });
  const cases: [unknown, string | undefined, RegExp][] = [
    [with_(g, { s2_i1_exp: 7 }), 's2_i1_exp', /not a choice/],
    [with_(g, { s3_i4_k: 4 }), 's3_i4_k', /not a choice/],
    [with_(g, { width_mult: 2 }), 'width_mult', /not a choice/],
    [with_(g, { s5_down: true }), 's5_down', /at most 3 stages may downsample/],
    [with_(g, { s6_depth: 1 }), 's6_depth', /unknown gene/],
    [Object.fromEntries(Object.entries(g).filter(([k]) => k !== 's4_i6_prune')), 's4_i6_prune', /missing/],
    ['ir_r1_k3', undefined, /must be an object/],
  ];
  for (const [bad, path, msg] of cases) {
    assert.throws(() => space.validate(bad), (e: unknown) => e instanceof ConfigError && e.path === path && msg.test(e.message), String(path));
  }
});

test('key: genes of layers beyond a stage depth do not count, active genes do', () => {
  const g = with_(space.sample(new Rng(4)), { s2_depth: 2 });
  assert.equal(space.key(with_(g, { s2_i5_k: 7, s2_i6_exp: 1, s2_i3_se: true })), space.key(g));
  assert.notEqual(space.key(with_(g, { s2_i2_k: gene(g, 's2_i2_k') === 3 ? 5 : 3 })), space.key(g));
  assert.notEqual(space.key(with_(g, { s2_i1_prune: gene(g, 's2_i1_prune') === 0 ? 0.5 : 0 })), space.key(g));
});

test('block strings are timm-style, one per layer', () => {
  const g = with_(space.sample(new Rng(6)), {
    width_mult: 1, s2_depth: 2, s2_down: true, s2_i1_exp: 4, s2_i1_k: 5, s2_i1_se: true, s2_i1_prune: 0,
    s2_i2_exp: 3, s2_i2_k: 3, s2_i2_se: false, s2_i2_prune: 0.25, s4_depth: 1, s4_i1_exp: 6, s4_i1_k: 7, s4_i1_se: true, s4_i1_prune: 0.5,
  });
  const s = space.blockStrings(space.validate(g));
  assert.deepEqual(s[1], ['ir_r1_k5_s2_e4_c40_se0.25_nre', 'ir_r1_k3_s1_e3_c40_nre_p0.25']);
  assert.match(s[3]?.[0] ?? '', /^ir_r1_k7_s[12]_e6_c112_se0\.25_p0\.5$/);
  assert.match(space.describe(g), /^stem: cn_r1_k3_s1_c16 .*\nstage 1: .*\n.*\n.*\n.*\nstage 5: .*\nhead: cn_r1_k1_s1_c960 @\d+x\d+ -> pool -> fc10$/);
});

test('an evolution run under a FLOPs constraint only proposes valid genomes inside it', () => {
  const maxCost = 60;
  const engine = new Evolution(space, { budget: 120, seed: 9, constraint: { maxCost }, populationSize: 20, topK: 5 });
  const rng = new Rng(1);
  let n = 0;
  for (let p = engine.ask(); p !== 'done'; p = engine.ask()) {
    assert.notEqual(p, 'wait');
    if (p === 'wait') break;
    assert.deepEqual(space.validate(p.genome), p.genome);
    assert.ok(space.mmacs(p.genome) <= maxCost, `${space.mmacs(p.genome)} MMACs`);
    engine.tell(p.id, { fitness: rng.next() });
    n++;
  }
  assert.equal(n, 120);
  assert.ok(engine.history.some((e) => e.generation >= 3));
});
