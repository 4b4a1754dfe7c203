import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, ParseError } from '../../errors.js';
import { genotypeFromJSON, genotypeToJSON, genotypesEqual, validateGenotype, type Genotype } from './genotype.js';

const base = (): { normal: unknown[][]; normalConcat: unknown[]; reduce: unknown[][]; reduceConcat: unknown[] } => ({
  normal: [
    ['sep_conv_3x3', 0], ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 0], ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 1], ['skip_connect', 0],
    ['skip_connect', 0], ['dil_conv_3x3', 2],
  ],
  normalConcat: [2, 3, 4, 5],
  reduce: [
    ['max_pool_3x3', 0], ['max_pool_3x3', 1],
    ['skip_connect', 2], ['max_pool_3x3', 1],
    ['max_pool_3x3', 0], ['skip_connect', 2],
    ['skip_connect', 2], ['max_pool_3x3', 1],
  ],
  reduceConcat: [2, 3, 4, 5],
});

function rejects(value: unknown, path: string, message: RegExp): void {
  assert.throws(
    () => validateGenotype(value),
    (e: unknown) => e instanceof ConfigError && e.path === path && message.test(e.message),
  );
}

test('a valid genotype is copied and frozen', () => {
  const input = base();
  const g = validateGenotype(input);
  assert.deepEqual(g.normal[7], ['dil_conv_3x3', 2]);
  assert.ok(Object.isFrozen(g) && Object.isFrozen(g.normal) && Object.isFrozen(g.normal[0]));
  input.normal[0] = ['max_pool_3x3', 1];
  assert.deepEqual(g.normal[0], ['sep_conv_3x3', 0], 'later edits of the input must not leak in');
});

test('unknown op is reported with its entry path', () => {
  const g = base();
  g.normal[3] = ['conv_7x7', 1];
  rejects(g, 'normal[3]', /unknown op 'conv_7x7'.*sep_conv_3x3/);
});

test("'none' is not allowed in a derived genotype", () => {
  const g = base();
  g.reduce[5] = ['none', 1];
  rejects(g, 'reduce[5]', /'none' cannot appear/);
});

test('input index must be an earlier node', () => {
  const g = base();
  g.normal[1] = ['sep_conv_3x3', 2]; // node 2 reads only 0..1
  rejects(g, 'normal[1]', /feeds node 2, which can read nodes 0\.\.1/);
  const h = base();
  h.normal[7] = ['sep_conv_3x3', 5]; // node 5 reads 0..4
  rejects(h, 'normal[7]', /node 5/);
  const k = base();
  k.normal[2] = ['sep_conv_3x3', 1.5];
  rejects(k, 'normal[2]', /out of range/);
  const m = base();
  m.normal[6] = ['sep_conv_3x3', 4]; // the largest input node 5 may read
  assert.deepEqual(validateGenotype(m).normal[6], ['sep_conv_3x3', 4]);
});

test('entries must be pairs and the count must be 8', () => {
  const g = base();
  g.normal.pop();
  rejects(g, 'normal', /exactly 8.*got 7/);
  const h = base();
  h.reduce[0] = ['max_pool_3x3'];
  rejects(h, 'reduce[0]', /must be a pair/);
  const k = base() as Record<string, unknown>;
  k['reduce'] = 'max_pool_3x3';
  rejects(k, 'reduce', /list of \[op, input\] pairs/);
});

test('concat entries must be distinct intermediate nodes', () => {
  const g = base();
  g.reduceConcat = [2, 6, 4, 5];
  rejects(g, 'reduceConcat[1]', /out of range.*2\.\.5/);
  const h = base();
  h.normalConcat = [2, 3, 3];
  rejects(h, 'normalConcat[2]', /twice/);
  const k = base();
  k.normalConcat = [];
  rejects(k, 'normalConcat', /non-empty/);
  const ok = base();
  ok.normalConcat = [5, 2];
  assert.deepEqual(validateGenotype(ok).normalConcat, [5, 2]);
});

test('missing and unknown fields are named', () => {
  const g = base() as Record<string, unknown>;
  delete g['reduceConcat'];
  rejects(g, 'reduceConcat', /missing field 'reduceConcat'/);
  rejects({ ...base(), extra: 1 }, 'extra', /unknown field 'extra'/);
  assert.throws(() => validateGenotype(null), ConfigError);
  assert.throws(() => validateGenotype([]), ConfigError);
});

test('JSON uses DARTS key names and round-trips', () => {
  const g: Genotype = validateGenotype(base());
  const json = genotypeToJSON(g);
  assert.deepEqual(Object.keys(json), ['normal', 'normal_concat', 'reduce', 'reduce_concat']);
  assert.ok(genotypesEqual(genotypeFromJSON(json), g));
  assert.ok(genotypesEqual(genotypeFromJSON(JSON.stringify(json, null, 2)), g));
  const changed = { ...json, reduce_concat: [2, 3] };
  assert.equal(genotypesEqual(genotypeFromJSON(changed), g), false);
});

test('JSON is validated with JSON paths', () => {
  const json = genotypeToJSON(validateGenotype(base())) as unknown as Record<string, unknown>;
  assert.throws(
    () => genotypeFromJSON({ ...json, normal_concat: [2, 9] }),
    (e: unknown) => e instanceof ConfigError && e.path === 'normal_concat[1]',
  );
  const camel: Record<string, unknown> = { ...json, normalConcat: json['normal_concat'] };
  delete camel['normal_concat'];
  assert.throws(() => genotypeFromJSON(camel), /unknown field 'normalConcat'/);
});

test('malformed JSON text is a ParseError near the problem', () => {
  const text = '{"normal": [["sep_conv_3x3", 0],, ]}';
  assert.throws(
    () => genotypeFromJSON(text),
    (e: unknown) => e instanceof ParseError && e.position === text.indexOf(",,") + 1 && /not valid JSON/.test(e.message),
  );
});
