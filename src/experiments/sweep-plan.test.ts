import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from '../cli/args.js';
import { kebab } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { SWEEP_PRESETS, sweepConfigOf, sweepSections } from './sweep-config.js';
import { planSweep } from './sweep-plan.js';

const parse = (argv: string[]) => sweepConfigOf(parseArgs(argv, sweepSections, 'sweep', SWEEP_PRESETS).config);
const parseDefault = (argv: string[]) => sweepConfigOf(parseArgs(argv, sweepSections, 'sweep', SWEEP_PRESETS, 'quick').config);

test('every sweep flag has one meaning (search and retraining flags do not collide)', () => {
  const names = Object.values(sweepSections).flatMap((s) => Object.keys(s).map(kebab));
  assert.equal(new Set(names).size, names.length, `duplicate flags: ${names.filter((n, i) => names.indexOf(n) !== i).join(', ')}`);
  const cfg = parse(['--search-epochs', '3', '--epochs', '6', '--search-lr', '0.1', '--lr', '0.2', '--search-channels', '4', '--channels', '12', '--prune-schedule', 'iterative', '--schedule', 'step']);
  assert.equal(cfg.search.epochs, 3); assert.equal(cfg.optim.epochs, 6);
  assert.equal(cfg.search.lr, 0.1); assert.equal(cfg.optim.lr, 0.2);
  assert.equal(cfg.search.channels, 4); assert.equal(cfg.model.channels, 12);
  assert.equal(cfg.prune.schedule, 'iterative'); assert.equal(cfg.optim.schedule, 'step');
});

test('plan: shared stages appear once (v1 uses the baseline search, alg3 uses v2\'s search)', () => {
  const cfg = parse(['--variants', 'alg3,v2,v1', '--sparsities', '0.5,0.25,0.5', '--epochs', '4']);
  assert.deepEqual(cfg.variants, ['v1', 'v2', 'alg3']);
  assert.deepEqual(cfg.sparsities, [0.25, 0.5]);
  const plan = planSweep(cfg, '/runs');
  assert.equal(plan.runs.length, 1 + 3 * 2);
  assert.deepEqual(plan.searches.map((s) => s.id), ['search-baseline', 'search-alpha0.25', 'search-alpha0.5']);
  assert.equal(plan.trains.length, 7);
  assert.equal(new Set(plan.searches.map((s) => s.dir)).size, 3);
  const run = (name: string) => plan.runs.find((r) => r.name === name)!;
  assert.equal(run('v1-p0.25').search, run('baseline').search);
  assert.equal(run('alg3-p0.5').search, run('v2-p0.5').search);
  assert.notEqual(run('alg3-p0.5').train, run('v2-p0.5').train);
  const train = (id: string) => plan.trains.find((t) => t.id === id)!;
  assert.equal(train(run('alg3-p0.5').train).weightSparsity, 0.5);
  assert.equal(train(run('v2-p0.5').train).weightSparsity, 0);
  assert.equal(plan.searches.find((s) => s.id === run('v2-p0.25').search)!.job.search.alphaSparsity, 0.25);
  assert.ok(plan.dir.startsWith('/runs/sweep-'));
});

test('plan identity: runtime flags do not change the sweep folder, results-defining flags do', () => {
  const dir = (argv: string[]) => planSweep(parse(argv), '/r').dir;
  const base = ['--sparsities', '0.5', '--epochs', '4'];
  assert.equal(dir(base), dir([...base, '--threads', '1', '--workers', '1', '--checkpoint-every', '7']));
  assert.notEqual(dir(base), dir(['--sparsities', '0.25', '--epochs', '4']));
  assert.notEqual(dir(base), dir([...base, '--search-epochs', '3']));
  // The retraining's batch size and split do not fork the (expensive) searches.
  const searches = (argv: string[]) => planSweep(parse(argv), '/r').searches.map((s) => s.dir);
  assert.deepEqual(searches(base), searches([...base, '--batch-size', '17', '--val-size', '100']));
});

test('bad sweep flags are ConfigErrors naming the flag', () => {
  for (const [argv, re] of [
    [['--variants', 'v4'], /unknown variant "v4"/],
    [['--variants', ''], /at least one/],
    [['--sparsities', '0.99'], /above the maximum/],
    [['--sparsity', '0.5'], /unknown option --sparsity/],
    [['--alpha-sparsity', '0.5'], /unknown option --alpha-sparsity/],
    [['--genotype', 'DARTS_V2'], /unknown option --genotype/],
    [['--variants', 'v1', '--epochs', '1'], /one-shot pruning needs/],
    [['--preset', 'slow'], /unknown preset/],
  ] as [string[], RegExp][]) {
    assert.throws(() => parse(argv), (e: unknown) => e instanceof ConfigError && re.test(e.message), argv.join(' '));
  }
  assert.doesNotThrow(() => parse(['--variants', 'v2', '--epochs', '1']), 'dense retraining needs no pruning epoch');
});

test('the quick preset prunes at half of an even number of epochs', () => {
  const cfg = parseDefault([]);
  assert.deepEqual(cfg, parse(['--preset', 'quick']), 'quick is the default preset');
  assert.equal(cfg.optim.epochs % 2, 0);
  assert.equal(cfg.prune.pruneAt, 0);
  assert.equal(cfg.sparsities.length, 3);
  const paper = parseDefault(['--preset', 'paper']);
  assert.equal(paper.optim.epochs, 20);
  assert.equal(paper.search.epochs, 10);
  assert.equal(paper.sparsities.length, 8);
});
