// Run-folder names are a hash of the config that defines the result. These pins fail when a
// change to a schema, a default or the identity functions renames existing run folders (users
// would lose their resume); change a pin only on purpose, saying why in the commit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from '../cli/args.js';
import { defaults } from '../config/schema.js';
import { SearchSchema } from '../search/darts/config.js';
import { RETRAIN_PRESETS } from './retrain-presets.js';
import { SEARCH_PRESETS } from '../search/darts/presets.js';
import { searchIdentity } from '../search/darts/search-job.js';
import { NB201_SEARCH_PRESETS } from '../search/nb201/presets.js';
import { DataSchema } from '../data/config.js';
import { ModelSchema } from './models.js';
import { OptimSchema, RuntimeSchema } from '../train/config.js';
import { PruneSchema } from '../pruning/config.js';
import { trainIdentity } from './train-job.js';
import { planSweep } from './sweep-plan.js';
import { SWEEP_PRESETS, sweepConfigOf, sweepSections } from './sweep-config.js';
import { configHash } from '../runs/identity.js';

const searchSections = { data: DataSchema, search: SearchSchema, runtime: RuntimeSchema } as const;
const trainSections = { data: DataSchema, model: ModelSchema, optim: OptimSchema, prune: PruneSchema, runtime: RuntimeSchema } as const;
const dartsSections = { ...searchSections, model: ModelSchema, optim: OptimSchema, prune: PruneSchema } as const;

test('run-folder hashes are pinned: lnas search and lnas train presets', () => {
  const search = (preset: string) => configHash(searchIdentity(parseArgs(['--preset', preset], searchSections, 'search', SEARCH_PRESETS, undefined, ['data']).config));
  const train = (argv: string[]) => configHash(trainIdentity(parseArgs(argv, trainSections, 'train', RETRAIN_PRESETS, undefined, ['prune']).config));
  // quick moved from 4cb13d9ab5e0 on purpose: its α learning rate became 3e-2 (issue 12: α must move in a quick search).
  assert.equal(search('quick'), 'd3e35e356349');
  assert.equal(search('paper'), '25416bed772c');
  assert.equal(train(['--preset', 'quick']), 'a13aec37b74c');
  assert.equal(train([]), 'e61a33b7c1e0');
});

test('run-folder hashes are pinned: lnas search --preset nb201-quick / nb201-paper', () => {
  const search = (preset: string) => configHash(searchIdentity(parseArgs(['--preset', preset], searchSections, 'search', NB201_SEARCH_PRESETS, undefined, ['data']).config));
  assert.equal(search('nb201-quick'), '83cdfc0e8d11');
  assert.equal(search('nb201-paper'), '34934af088a6');
});

test('the same search has one identity under lnas search, lnas darts and lnas sweep (the retraining\'s data options do not fork it)', () => {
  const quickSearch = configHash(searchIdentity(parseArgs(['--preset', 'quick'], searchSections, 'search', SEARCH_PRESETS, undefined, ['data']).config));
  // lnas darts --preset quick: the retraining's batch size 96 and train limit 36,000 are in data.
  const presets = Object.fromEntries(Object.keys(SEARCH_PRESETS).map((k) => [k, { ...RETRAIN_PRESETS[k], ...SEARCH_PRESETS[k], data: { ...RETRAIN_PRESETS[k]?.data, ...SEARCH_PRESETS[k]?.data } }]));
  const darts = parseArgs(['--preset', 'quick'], dartsSections, 'darts', presets, undefined, ['search', 'prune']).config;
  assert.equal(darts.data.batchSize, 96);
  assert.equal(configHash(searchIdentity({ data: darts.data, search: darts.search, runtime: darts.runtime })), quickSearch);
  // Retraining-only data flags do not move it either.
  const withRetrainFlags = { ...darts.data, cutout: 16, valSize: 5000, testLimit: 100, crop: 'off' as const, evalBatchSize: 512 };
  assert.equal(configHash(searchIdentity({ data: withRetrainFlags, search: darts.search, runtime: darts.runtime })), quickSearch);
  // A train limit below the search's image count does change what the search sees.
  assert.notEqual(configHash(searchIdentity({ data: { ...darts.data, trainLimit: 1000 }, search: darts.search, runtime: darts.runtime })), quickSearch);
  // lnas sweep: its baseline search is the same search as lnas search with the sweep's search settings.
  const sweep = sweepConfigOf(parseArgs(['--preset', 'quick'], sweepSections, 'sweep', SWEEP_PRESETS).config);
  const plan = planSweep(sweep, '/runs');
  const baseline = plan.searches.find((s) => s.alphaSparsity === 0)!;
  const alone = searchIdentity({ data: { ...defaults(DataSchema), dataset: sweep.data.dataset, trainLimit: sweep.data.trainLimit }, search: { ...sweep.search, alphaSparsity: 0 }, runtime: sweep.runtime });
  assert.equal(baseline.dir, `/runs/search-${configHash(alone)}`);
});
