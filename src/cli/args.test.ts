import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bool, int, num, oneOf } from '../config/schema.js';
import { ConfigError } from '../errors.js';
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

const TRAIN_LIKE = {
  optim: { lr: num('learning rate', 0.1, { min: 0 }), nesterov: bool('nesterov momentum', false) },
  data: { batchSize: int('batch size', 32, { min: 1 }) },
} as const;

function withConfig(json: string, argv: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'lnas-args-'));
  writeFileSync(join(dir, 'c.json'), json);
  return parseArgs(['--config', join(dir, 'c.json'), ...argv], TRAIN_LIKE, 'train');
}

test('config keys never reach Object.prototype: __proto__, constructor, toString are unknown in every section and at the top', () => {
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    // As a section.
    assert.throws(() => withConfig(`{"${key}": {"optim": {"lr": 99}}}`), (e: unknown) => e instanceof ConfigError && /unknown section/.test(e.message), key);
    // As an option in each section.
    for (const section of Object.keys(TRAIN_LIKE)) {
      assert.throws(() => withConfig(`{"${section}": {"${key}": {"lr": 99}}}`), (e: unknown) => e instanceof ConfigError && /unknown option/.test(e.message), `${section}.${key}`);
    }
  }
  assert.equal(({} as { lr?: number }).lr, undefined, 'Object.prototype untouched');
  assert.equal(withConfig('{"optim": {"lr": 0.5}}').config.optim.lr, 0.5);
});

test('presets and flags named like Object.prototype members are refused', () => {
  assert.throws(() => parseArgs(['--preset', 'constructor'], TRAIN_LIKE, 'train', { quick: {} }), /unknown preset/);
  assert.throws(() => parseArgs(['--constructor', '1'], TRAIN_LIKE, 'train'), /unknown option --constructor/);
  assert.throws(() => parseArgs(['--preset'], TRAIN_LIKE, 'train', { quick: {} }), /--preset needs a value; presets: quick/);
  assert.throws(() => parseArgs(['--preset', '--lr', '1'], TRAIN_LIKE, 'train', { quick: {} }), /--preset needs a value/);
});

test('words that would be ignored are errors: positionals, short flags, a bool flag followed by a non-bool word', () => {
  assert.throws(() => parseArgs(['--lr', '0.1', 'extra', 'words'], TRAIN_LIKE, 'train'), /unexpected argument "extra" for `lnas train`/);
  assert.throws(() => parseArgs(['-e', '1'], TRAIN_LIKE, 'train'), /unknown option "-e".*long options only/);
  assert.throws(() => parseArgs(['--nesterov', 'maybe'], TRAIN_LIKE, 'train'), /--nesterov takes true or false, or no value; got "maybe"/);
  assert.equal(parseArgs(['--nesterov', 'yes'], TRAIN_LIKE, 'train').config.optim.nesterov, true);
  assert.equal(parseArgs(['--nesterov', '--lr', '0.2'], TRAIN_LIKE, 'train').config.optim.nesterov, true);
  assert.equal(parseArgs(['--no-nesterov'], TRAIN_LIKE, 'train').config.optim.nesterov, false);
  // A negative number is a value, not a short flag.
  assert.throws(() => parseArgs(['--lr', '-1'], TRAIN_LIKE, 'train'), /below the minimum 0/);
  // Commands that take words still get them.
  assert.deepEqual(parseArgs(['a', 'b'], TRAIN_LIKE, 'bench', {}, undefined, [], { positionals: 'any' }).positionals, ['a', 'b']);
});

test('messages: non-finite numbers by name, long values cut to about 80 characters', () => {
  assert.throws(() => parseArgs(['--lr', 'Infinity'], TRAIN_LIKE, 'train'), /expected a finite number, got Infinity/);
  assert.throws(() => parseArgs(['--lr', '1e999'], TRAIN_LIKE, 'train'), /expected a finite number, got Infinity/);
  const long = 'x'.repeat(1_000_000);
  for (const f of [() => withConfig(`{"optim": {"lr": "${long}"}}`), () => withConfig(`{"optim": {"${long}": 1}}`), () => withConfig(`{"${long}": {}}`),
    () => parseArgs([`--${long}`, '1'], TRAIN_LIKE, 'train'), () => parseArgs(['--lr', long], TRAIN_LIKE, 'train'), () => withConfig(`{"optim": {"lr": 0.1, ${long}}}`)]) {
    assert.throws(f, (e: unknown) => e instanceof ConfigError && e.message.length < 400 && (e.path ?? '').length <= 80);
  }
});
