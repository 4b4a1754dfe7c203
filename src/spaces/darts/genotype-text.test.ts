import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../errors.js';
import { genotypesEqual } from './genotype.js';
import { formatGenotype, parseGenotype } from './genotype-text.js';
import { DARTS_V1, DARTS_V2 } from './genotypes.js';

// Verbatim from quark0/darts cnn/genotypes.py.
const V2_TEXT =
  "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), " +
  "('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], " +
  "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), " +
  "('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

/** Asserts a ParseError at `position`, with a message matching `message`. */
function failsAt(text: string, position: number, message: RegExp): void {
  assert.throws(
    () => parseGenotype(text),
    (e: unknown) => {
      assert.ok(e instanceof ParseError, `expected ParseError, got ${String(e)}`);
      assert.equal(e.position, position, e.message);
      assert.match(e.message, message);
      return true;
    },
  );
}

test('parses the published DARTS_V2 text', () => {
  assert.ok(genotypesEqual(parseGenotype(V2_TEXT), DARTS_V2));
});

test('formatGenotype produces the canonical DARTS text and round-trips', () => {
  assert.equal(formatGenotype(DARTS_V2), V2_TEXT);
  for (const g of [DARTS_V1, DARTS_V2]) assert.ok(genotypesEqual(parseGenotype(formatGenotype(g)), g));
});

test('accepts range(), double quotes, newlines, comments, trailing commas and any field order', () => {
  const text = `DARTS_V2 = Genotype(
    reduce_concat = range(2, 6),
    reduce=[("max_pool_3x3", 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1),
            ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1,),],
    # the normal cell
    normal=[
      ('sep_conv_3x3', 0), ('sep_conv_3x3', 1),
      ('sep_conv_3x3', 0), ('sep_conv_3x3', 1),
      ('sep_conv_3x3', 1), ('skip_connect', 0),
      ('skip_connect', 0), ("dil_conv_3x3", 2),
    ],
    normal_concat=[2, 3, 4, 5,],
  )`;
  assert.ok(genotypesEqual(parseGenotype(text), DARTS_V2));
  const singleArg = V2_TEXT.replace('normal_concat=[2, 3, 4, 5]', 'normal_concat=[3, 4, 5]');
  assert.deepEqual(parseGenotype(singleArg).normalConcat, [3, 4, 5]);
});

test('missing closing bracket points at the token where ] was due', () => {
  const text = V2_TEXT.replace("('dil_conv_3x3', 2)], normal_concat", "('dil_conv_3x3', 2), normal_concat");
  failsAt(text, text.indexOf('normal_concat'), /expected '\(' .*or '\]' to close the list opened at position 16/);
  const noComma = V2_TEXT.replace("('sep_conv_3x3', 1), ('sep_conv_3x3', 0)", "('sep_conv_3x3', 1) ('sep_conv_3x3', 0)");
  failsAt(noComma, noComma.indexOf("('sep_conv_3x3', 0)", 20), /expected ',' or '\]'/);
});

test('unknown op points at the name itself', () => {
  const text = V2_TEXT.replace("('skip_connect', 0), ('dil", "('conv_9x9', 0), ('dil");
  failsAt(text, text.indexOf('conv_9x9'), /unknown op 'conv_9x9'/);
  const none = V2_TEXT.replace("reduce=[('max_pool_3x3', 0)", "reduce=[('none', 0)");
  failsAt(none, none.indexOf("none'"), /'none' cannot appear/);
});

test('bad numbers are rejected at their start', () => {
  const frac = V2_TEXT.replace("('dil_conv_3x3', 2)", "('dil_conv_3x3', 2.5)");
  failsAt(frac, frac.indexOf('2.5'), /non-negative integer.*'2\.5'/);
  const neg = V2_TEXT.replace("('dil_conv_3x3', 2)", "('dil_conv_3x3', -1)");
  failsAt(neg, neg.indexOf('-1'), /non-negative integer/);
  const word = V2_TEXT.replace('normal_concat=[2, 3', 'normal_concat=[two, 3');
  failsAt(word, word.indexOf('two'), /node index/);
  const range = V2_TEXT.replace("('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0)", "('sep_conv_3x3', 0), ('sep_conv_3x3', 2), ('sep_conv_3x3', 0)");
  failsAt(range, range.indexOf("2), ('sep_conv_3x3', 0)"), /node 2, which can read nodes 0\.\.1/);
  const concat = V2_TEXT.replace('reduce_concat=[2, 3, 4, 5]', 'reduce_concat=[2, 3, 4, 6]');
  failsAt(concat, concat.lastIndexOf('6'), /concat entry 6 is out of range/);
});

test('missing field points at the closing parenthesis', () => {
  const text = V2_TEXT.replace(', reduce_concat=[2, 3, 4, 5])', ')');
  failsAt(text, text.length - 1, /missing field 'reduce_concat'/);
  failsAt('Genotype()', 9, /missing fields 'normal', 'reduce', 'normal_concat', 'reduce_concat'/);
});

test('duplicate and unknown fields point at the second name', () => {
  const dup = V2_TEXT.replace('reduce_concat=[2, 3, 4, 5])', 'normal_concat=[2, 3])');
  failsAt(dup, dup.lastIndexOf('normal_concat'), /duplicate field 'normal_concat' \(first given at position/);
  const unknown = V2_TEXT.replace('reduce_concat=', 'reduction_concat=');
  failsAt(unknown, unknown.indexOf('reduction_concat'), /unknown field 'reduction_concat'/);
});

test('wrong entry counts are located', () => {
  const short = V2_TEXT.replace(", ('dil_conv_3x3', 2)]", ']');
  failsAt(short, short.indexOf('], normal_concat'), /exactly 8 .* got 7/);
  const long = V2_TEXT.replace("('dil_conv_3x3', 2)]", "('dil_conv_3x3', 2), ('skip_connect', 1)]");
  failsAt(long, long.indexOf("('skip_connect', 1)]"), /too many entries/);
});

test('other structural errors', () => {
  failsAt("Genotype(normal=[('sep_conv_3x3, 0)])", 18, /unterminated string/);
  failsAt(`${V2_TEXT} extra`, V2_TEXT.length + 1, /expected end of input/);
  failsAt('Genome(normal=[])', 0, /expected 'Genotype\('/);
  failsAt('', 0, /found end of input/);
  failsAt(V2_TEXT.replace('normal_concat=[2, 3, 4, 5]', 'normal_concat=[]'), V2_TEXT.indexOf('[2, 3, 4, 5]'), /concat list is empty/);
  failsAt(V2_TEXT.replace("('sep_conv_3x3', 0)", '(sep_conv_3x3, 0)'), 18, /quoted op name/);
  failsAt(V2_TEXT.replace('normal_concat=', 'normal_concat=;'), V2_TEXT.indexOf('normal_concat=') + 14, /unexpected character ';'/);
});

test('the error message shows a caret under the position, also for multi-line text', () => {
  const text = "Genotype(\n  normal=[('bogus', 0)])";
  assert.throws(
    () => parseGenotype(text, { origin: 'cell.txt' }),
    (e: unknown) => {
      assert.ok(e instanceof ParseError);
      const lines = e.message.split('\n');
      const source = lines[lines.length - 2] ?? '';
      const caret = lines[lines.length - 1] ?? '';
      assert.equal(source.charAt(caret.indexOf('^')), 'b');
      assert.match(e.message, /^cell\.txt: unknown op 'bogus'.*\(line 2, column 13\)/);
      return true;
    },
  );
});
