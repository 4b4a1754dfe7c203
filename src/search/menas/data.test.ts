// Screening splits the held-out images without copying them: the validation set is the two parts.
import { loadData } from '../../data/setup.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults } from '../../config/schema.js';
import { imagesIn } from '../../pruning/channel/recalibrate.js';
import { DataSchema } from '../../data/config.js';
import { exploreSets, trialData } from './data.js';

test('trialData with screening: first N held-out images, the rest, and the validation set is both in order', async () => {
  const data = { ...defaults(DataSchema), dataset: 'synthetic' as const, trainLimit: 160, valSize: 64, batchSize: 32, evalBatchSize: 24 };
  const ds = await loadData(data, { syntheticSize: 16 });
  const plain = trialData(ds, data, { layout: 'nhwc', seed: 3, recalImages: 32 });
  const screened = trialData(ds, data, { layout: 'nhwc', seed: 3, recalImages: 32, screenImages: 20 });
  assert.equal(plain.screen, null);
  assert.equal(exploreSets(plain, 4).screening, undefined);
  assert.ok(screened.screen);
  assert.equal(imagesIn(screened.screen.first), 20);
  assert.equal(imagesIn(screened.screen.rest), 44);
  const order = (s: typeof plain.valSet) => s.batches.flatMap((b) => [...b.indices]);
  assert.deepEqual(order(screened.valSet), order(plain.valSet));
  assert.deepEqual([...order(screened.screen.first), ...order(screened.screen.rest)], order(plain.valSet));
  const pixels = (s: typeof plain.valSet) => s.batches.flatMap((b) => [...b.x]);
  assert.deepEqual(pixels(screened.valSet), pixels(plain.valSet));
  assert.equal(exploreSets(screened, 4).screening?.keep, 4);
  // Screening on at least all held-out images is no screening.
  assert.equal(trialData(ds, data, { layout: 'nhwc', seed: 3, recalImages: 32, screenImages: 64 }).screen, null);
});
