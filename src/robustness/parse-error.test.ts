// ParseError shows a short window of the source around the caret (… where cut), with
// non-printable characters escaped; never the whole input.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParseError } from '../errors.js';
import { genotypeFromJSON } from '../spaces/darts/genotype.js';
import { parseGenotype } from '../spaces/darts/genotype-text.js';
import { resolveGenotype } from '../spaces/darts/genotypes.js';
import { tmp } from './testing.js';

/** The two last lines of a ParseError message: the source excerpt and the caret line. */
function excerpt(e: ParseError): { source: string; caret: string; under: string } {
  const lines = e.message.split('\n');
  const source = lines[lines.length - 2] ?? '';
  const caret = lines[lines.length - 1] ?? '';
  return { source, caret, under: source.charAt(caret.indexOf('^')) };
}

const catchParse = (f: () => unknown): ParseError => {
  try { f(); } catch (e) { if (e instanceof ParseError) return e; throw e; }
  throw new Error('no ParseError');
};

test('ParseError on a 1 MB input shows about 80 characters around the caret, with … on both sides', () => {
  const source = `${'a'.repeat(500_000)}X${'b'.repeat(500_000)}`;
  const e = new ParseError('bad thing', 500_000, source);
  assert.equal(e.position, 500_000);
  assert.ok(e.message.length < 300, `message is ${e.message.length} characters`);
  const { source: shown, under } = excerpt(e);
  assert.equal(under, 'X');
  assert.ok(shown.trimStart().startsWith('…') && shown.endsWith('…'), shown);
  assert.ok(shown.length <= 90, shown);
  assert.match(e.message, /^bad thing at position 500000:\n/);
});

test('ParseError near either end cuts only the other side; a short source is shown whole', () => {
  const long = 'x'.repeat(1000);
  const start = excerpt(new ParseError('m', 0, long));
  assert.ok(!start.source.trimStart().startsWith('…') && start.source.endsWith('…'));
  assert.equal(start.caret.indexOf('^'), start.source.indexOf('x'));
  const end = excerpt(new ParseError('m', 1000, long)); // at end of input
  assert.ok(end.source.trimStart().startsWith('…') && !end.source.endsWith('…'));
  assert.equal(end.caret.indexOf('^'), end.source.length, 'caret just past the last character');
  const short = new ParseError('m', 4, 'Genotype(');
  assert.equal(short.message, 'm at position 4:\n  Genotype(\n      ^');
});

test('ParseError escapes non-printable characters and keeps the caret under the right one', () => {
  const source = `ab\u0000\u0001\u001b[31m\u007f\u0085\u202e\ufffdcd!ef`;
  const e = new ParseError('m', source.indexOf('!'), source);
  assert.doesNotMatch(e.message, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\ufffd]/u, 'no raw control characters');
  const { source: shown, under } = excerpt(e);
  assert.equal(under, '!');
  assert.ok(shown.includes('\\x00') && shown.includes('\\x1b') && shown.includes('\\u202e'), shown);
  // The caret also lands on an escaped character itself (its backslash).
  assert.equal(excerpt(new ParseError('m', 2, source)).under, '\\');
});

test('a binary genotype file gives a short ParseError with escaped bytes', () => {
  const dir = tmp();
  const path = join(dir, 'cell.txt');
  const bytes = new Uint8Array(200_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
  writeFileSync(path, bytes);
  const e = catchParse(() => resolveGenotype(path));
  assert.ok(e.message.length < 600, `message is ${e.message.length} characters`);
  assert.doesNotMatch(e.message, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufffd]/u);
});

test('genotype text and JSON errors on a large input stay short, with the caret on the error', () => {
  const text = `Genotype(normal=[('sep_conv_3x3', 0), ('bogus', 1)], ${' '.repeat(1_000_000)})`;
  const e = catchParse(() => parseGenotype(text));
  assert.ok(e.message.length < 500, `message is ${e.message.length} characters`);
  assert.equal(excerpt(e).under, 'b');
  const json = `{"normal": [["sep_conv_3x3", 0],, ${' '.repeat(1_000_000)}]}`;
  const j = catchParse(() => genotypeFromJSON(json));
  assert.ok(j.message.length < 500, `message is ${j.message.length} characters`);
  assert.equal(excerpt(j).under, ',');
});

test('deeply nested genotype JSON is a ParseError, in well under 100 ms', () => {
  for (const text of [`{"normal": ${'['.repeat(50_000)}`, `{"normal": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`, `{"a":${'{"a":'.repeat(50_000)}`]) {
    const t0 = performance.now();
    const e = catchParse(() => genotypeFromJSON(text));
    const ms = performance.now() - t0;
    assert.ok(ms < 100, `${ms.toFixed(1)} ms`);
    assert.match(e.message, /nested too deeply/);
    assert.ok(e.message.length < 500);
  }
});
