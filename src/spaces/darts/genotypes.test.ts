import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, LnasError, ParseError } from '../../errors.js';
import { genotypeToJSON, genotypesEqual } from './genotype.js';
import { formatGenotype, parseGenotype } from './genotype-text.js';
import { DARTS_V1, DARTS_V2, NAMED_GENOTYPES, UnknownGenotypeError, genotypeNames, resolveGenotype } from './genotypes.js';

// Verbatim from quark0/darts cnn/genotypes.py.
const PUBLISHED_V1 =
  "Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 0), ('sep_conv_3x3', 1), " +
  "('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)], normal_concat=[2, 3, 4, 5], " +
  "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('max_pool_3x3', 0), " +
  "('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5])";

const dir = mkdtempSync(join(tmpdir(), 'lnas-genotypes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('DARTS_V1 matches the published text', () => {
  assert.equal(formatGenotype(DARTS_V1), PUBLISHED_V1);
});

test('DARTS_V2 spot checks and the DARTS alias', () => {
  assert.deepEqual(DARTS_V2.normal[7], ['dil_conv_3x3', 2]);
  assert.deepEqual(DARTS_V2.reduce[3], ['max_pool_3x3', 1]);
  assert.equal(NAMED_GENOTYPES['DARTS'], DARTS_V2);
  assert.equal(genotypesEqual(DARTS_V1, DARTS_V2), false);
  assert.deepEqual(genotypeNames(), ['DARTS_V1', 'DARTS_V2', 'DARTS']);
});

test('names resolve case-insensitively', () => {
  assert.equal(resolveGenotype('darts_v1'), DARTS_V1);
  assert.equal(resolveGenotype(' Darts_V2 '), DARTS_V2);
  assert.equal(resolveGenotype('darts'), DARTS_V2);
});

test('inline text and JSON resolve', () => {
  assert.ok(genotypesEqual(resolveGenotype(PUBLISHED_V1), DARTS_V1));
  assert.ok(genotypesEqual(resolveGenotype(`x = ${PUBLISHED_V1}`), DARTS_V1));
  assert.ok(genotypesEqual(resolveGenotype(JSON.stringify(genotypeToJSON(DARTS_V2))), DARTS_V2));
});

test('.json and .txt files resolve, with either content form', () => {
  const json = join(dir, 'v2.json');
  writeFileSync(json, JSON.stringify(genotypeToJSON(DARTS_V2), null, 2));
  assert.ok(genotypesEqual(resolveGenotype(json), DARTS_V2));
  const txt = join(dir, 'v1.txt');
  writeFileSync(txt, `# searched on CIFAR-10\n${PUBLISHED_V1}\n`);
  assert.ok(genotypesEqual(resolveGenotype(txt), DARTS_V1));
  const jsonInTxt = join(dir, 'v2-as-json.txt');
  writeFileSync(jsonInTxt, JSON.stringify(genotypeToJSON(DARTS_V2)));
  assert.ok(genotypesEqual(resolveGenotype(jsonInTxt), DARTS_V2));
});

test('errors inside files name the file', () => {
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, PUBLISHED_V1.replace("('avg_pool_3x3', 0)", "('avg_pool_9x9', 0)"));
  assert.throws(
    () => resolveGenotype(bad),
    (e: unknown) => e instanceof ParseError && e.message.startsWith(`${bad}: unknown op 'avg_pool_9x9'`),
  );
  const badJson = join(dir, 'bad.json');
  const json = genotypeToJSON(DARTS_V2);
  writeFileSync(badJson, JSON.stringify({ ...json, reduce_concat: [1] }));
  assert.throws(
    () => resolveGenotype(badJson),
    (e: unknown) => e instanceof ConfigError && e.path === 'reduce_concat[0]' && e.message.startsWith(`${badJson}: `),
  );
});

test('missing files and unsupported extensions are typed errors', () => {
  assert.throws(
    () => resolveGenotype(join(dir, 'missing.json')),
    (e: unknown) => e instanceof LnasError && e.code === 'LNAS_GENOTYPE_FILE' && /check the path/.test(e.message),
  );
  const yaml = join(dir, 'g.yaml');
  writeFileSync(yaml, 'normal: []');
  assert.throws(() => resolveGenotype(yaml), (e: unknown) => e instanceof ConfigError && /\.json .*\.txt/.test(e.message));
});

test('an unknown name lists the known ones', () => {
  assert.throws(
    () => resolveGenotype('darts_v3'),
    (e: unknown) =>
      e instanceof UnknownGenotypeError &&
      e.code === 'LNAS_UNKNOWN_GENOTYPE' &&
      e.message.includes('DARTS_V1, DARTS_V2, DARTS') &&
      e.known.includes('DARTS_V2'),
  );
});

test('resolved text equals parsing it directly', () => {
  assert.ok(genotypesEqual(resolveGenotype(formatGenotype(DARTS_V2)), parseGenotype(formatGenotype(DARTS_V2))));
});
