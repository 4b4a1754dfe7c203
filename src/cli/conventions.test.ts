// The command-line conventions: YAML config files (read safely), `--` ending the options, "did
// you mean" for commands and flags, --version from package.json, and `lnas schema`, whose JSON
// Schema is checked against what lnas itself accepts and refuses (with Ajv, a real validator).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { configJsonSchema } from '../config/json-schema.js';
import { type Field, bool, int, list, num, oneOf, optStr, resolve } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { parseArgs } from './args.js';
import { COMMANDS } from './commands/index.js';
import { closest, editDistance } from './suggest.js';

const here = dirname(fileURLToPath(import.meta.url));
const MAIN = join(here, 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'lnas-cli-conv-'));
const file = (name: string, text: string) => { const p = join(tmp, name); writeFileSync(p, text); return p; };

const sections = {
  optim: { lr: num('learning rate', 0.1, { min: 0 }), epochs: int('epochs', 1, { min: 1 }), nesterov: bool('nesterov', false) },
  data: { dataset: oneOf('dataset', ['cifar10', 'synthetic'], 'cifar10'), dataDir: optStr('data folder'), sizes: list('sizes', [1, 2], { min: 0 }) },
} as const;

const rejects = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof ConfigError && pattern.test(e.message));

describe('YAML config files', () => {
  it('reads sections from .yaml and .yml like JSON; flags override them; $schema is not an option', () => {
    const y = file('a.yaml', '# yaml-language-server: $schema=train.schema.json\n$schema: ./train.schema.json\noptim:\n  lr: 0.05\n  epochs: 3\n  nesterov: true\ndata:\n  dataset: synthetic\n  dataDir: null\n  sizes: [3, 4]\n');
    const { config } = parseArgs(['--config', y, '--epochs', '5'], sections, 't');
    assert.deepEqual(config.optim, { lr: 0.05, epochs: 5, nesterov: true });
    assert.deepEqual(config.data, { dataset: 'synthetic', dataDir: null, sizes: [3, 4] });
    const j = file('a.json', JSON.stringify({ optim: { lr: 0.05, epochs: 3, nesterov: true }, data: { dataset: 'synthetic', dataDir: null, sizes: [3, 4] } }));
    const yml = file('b.yml', 'optim: {lr: 0.05, epochs: 3, nesterov: true}\ndata: {dataset: synthetic, dataDir: null, sizes: [3, 4]}\n');
    assert.deepEqual(parseArgs(['--config', j], sections, 't').config, parseArgs(['--config', yml], sections, 't').config);
  });

  it('refuses what it cannot read safely, naming the problem', () => {
    rejects(() => parseArgs(['--config', file('t.yaml', 'optim:\n  lr: !!js/function "function () { return 1 }"\n')], sections, 't'), /YAML.*tag/i);
    rejects(() => parseArgs(['--config', file('u.yaml', 'optim:\n  lr: 0.1\n  lr: 0.2\n')], sections, 't'), /unique/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    rejects(() => parseArgs(['--config', file('bomb.yaml', bomb)], sections, 't'), /alias/i);
    rejects(() => parseArgs(['--config', file('s.yaml', 'optim:\n  lr: [1\n')], sections, 't'), /cannot read config file .*\(YAML\)/);
    rejects(() => parseArgs(['--config', file('p.yaml', 'optim:\n  __proto__: {polluted: 1}\n')], sections, 't'), /unknown option "optim.__proto__"/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    rejects(() => parseArgs(['--config', file('l.yaml', '- 1\n- 2\n')], sections, 't'), /must hold a YAML object/);
    rejects(() => parseArgs(['--config', file('o.yaml', 'optm:\n  lr: 1\n')], sections, 't'), /unknown section "optm"; did you mean optim\?/);
    rejects(() => parseArgs(['--config', file('r.yaml', 'optim:\n  lr: -1\n')], sections, 't'), /optim\.lr: -1 is below the minimum 0/);
  });
});

describe('-- and did you mean', () => {
  it('-- ends the options: what follows is a word even if it starts with --', () => {
    const r = parseArgs(['--epochs', '2', '--', '--weird-folder', '-x'], sections, 't', {}, undefined, [], { positionals: 'any' });
    assert.deepEqual(r.positionals, ['--weird-folder', '-x']);
    assert.equal(r.config.optim.epochs, 2);
    rejects(() => parseArgs(['--', 'x'], sections, 't'), /unexpected argument "x" after --/);
    assert.deepEqual(parseArgs(['--'], sections, 't').positionals, []);
  });

  it('suggests the closest flag, section or command when it is a likely typo, and nothing otherwise', () => {
    rejects(() => parseArgs(['--epoch', '2'], sections, 't'), /unknown option --epoch for `lnas t`; did you mean --epochs\?/);
    rejects(() => parseArgs(['--nestrov'], sections, 't'), /did you mean --nesterov\?/);
    rejects(() => parseArgs(['--cofnig', 'x'], sections, 't'), /did you mean --config\?/);
    assert.throws(() => parseArgs(['--zzzzzzzz', '1'], sections, 't'), (e: Error) => !/did you mean/.test(e.message));
    assert.equal(editDistance('serch', 'search'), 1);
    assert.equal(editDistance('saerch', 'search'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(closest('evlove', Object.keys(COMMANDS)), 'evolve');
    assert.equal(closest('xyz', Object.keys(COMMANDS)), undefined);
  });

  it('the CLI: unknown command with a suggestion (exit 2), --version from package.json', () => {
    const bad = spawnSync(process.execPath, [MAIN, 'serch'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown command "serch"; did you mean search\?/);
    const v = spawnSync(process.execPath, [MAIN, '--version'], { encoding: 'utf8' });
    assert.equal(v.status, 0);
    const pkg = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string };
    assert.equal(v.stdout.trim(), pkg.version);
  });
});

describe('lnas schema', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });

  /** A value the field refuses, if there is one to try. */
  const badValue = (f: Field): unknown => {
    switch (f.kind) {
      case 'number': return f.min !== undefined ? f.min - 1 : f.max !== undefined ? f.max + 1 : 'x';
      case 'enum': return '__none__';
      case 'bool': return 'yes';
      case 'list': return f.min !== undefined ? [f.min - 1] : ['x'];
      case 'string': return 3;
      case 'optional-string': return 3;
    }
  };

  for (const [name, command] of Object.entries(COMMANDS)) {
    if (!command.sections) continue;
    const cmdSections = command.sections;
    it(`${name}: the schema agrees with lnas on defaults, every field's bad value and unknown keys`, () => {
      const validate = ajv.compile(configJsonSchema(cmdSections, { title: name }));
      const defaults: Record<string, Record<string, unknown>> = {};
      for (const [s, schema] of Object.entries(cmdSections)) defaults[s] = Object.fromEntries(Object.entries(schema).map(([k, f]) => [k, f.default]));
      assert.ok(validate({ $schema: 'x', ...defaults }), JSON.stringify(validate.errors));
      for (const [s, schema] of Object.entries(cmdSections)) {
        for (const [k, f] of Object.entries(schema)) {
          if (f.kind === 'number' && f.integer) {
            assert.ok(!validate({ [s]: { [k]: (f.min ?? 0) + 0.5 } }), `${s}.${k} accepts a fraction`);
            assert.throws(() => resolve(schema, { [k]: (f.min ?? 0) + 0.5 }, s), ConfigError);
          }
          const bad = badValue(f);
          assert.ok(!validate({ [s]: { [k]: bad } }), `the schema accepts ${s}.${k} = ${JSON.stringify(bad)}`);
          assert.throws(() => resolve(schema, { [k]: bad }, s), ConfigError, `lnas accepts ${s}.${k} = ${JSON.stringify(bad)}`);
        }
        assert.ok(!validate({ [s]: { noSuchOption: 1 } }));
        assert.throws(() => resolve(schema, { noSuchOption: 1 }, s), ConfigError);
      }
      assert.ok(!validate({ noSuchSection: {} }));
    });
  }

  it('lnas schema train prints it; a command without a config file is refused with a suggestion', () => {
    const r = spawnSync(process.execPath, [MAIN, 'schema', 'train'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const schema = JSON.parse(r.stdout) as { $schema: string; properties: Record<string, unknown> };
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.deepEqual(Object.keys(schema.properties), ['$schema', ...Object.keys(COMMANDS.train?.sections ?? {})]);
    const bad = spawnSync(process.execPath, [MAIN, 'schema', 'tarin'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /did you mean train\?/);
  });
});
