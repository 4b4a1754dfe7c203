import assert from 'node:assert/strict';
import { test } from 'node:test';
import { int, oneOf } from '../config/schema.js';
import { parseArgs } from './args.js';

const sections = {
  search: { epochs: int('search epochs', 50, { min: 1 }) },
  optim: { epochs: int('training epochs', 1, { min: 1 }), schedule: oneOf('lr schedule', ['cosine', 'step'], 'cosine') },
  prune: { schedule: oneOf('prune schedule', ['one-shot', 'iterative'], 'one-shot') },
} as const;

test('colliding field names get a section prefix where asked, and reach the right section', () => {
  const { config } = parseArgs(['--epochs', '3', '--search-epochs', '7', '--schedule', 'step', '--prune-schedule', 'iterative'], sections, 't', {}, undefined, ['search', 'prune']);
  assert.equal(config.optim.epochs, 3);
  assert.equal(config.search.epochs, 7);
  assert.equal(config.optim.schedule, 'step');
  assert.equal(config.prune.schedule, 'iterative');
});

test('an unresolved collision is refused instead of silently picking one section', () => {
  assert.throws(() => parseArgs([], sections, 't'), /defined by sections/);
});
