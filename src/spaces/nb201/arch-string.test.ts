import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../errors.js';
import { archToGenome, formatArch, genomeToArch, parseArch } from './arch-string.js';
import { cellCode, codeToGenome, NB201_CELLS } from './ops.js';

const EXAMPLE = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

test('parses the README example into edge-labelled ops', () => {
  assert.deepEqual(archToGenome(EXAMPLE), {
    edge_1_0: 'nor_conv_3x3', edge_2_0: 'nor_conv_3x3', edge_2_1: 'avg_pool_3x3',
    edge_3_0: 'skip_connect', edge_3_1: 'nor_conv_3x3', edge_3_2: 'skip_connect',
  });
  assert.equal(formatArch(parseArch(EXAMPLE)), EXAMPLE);
});

test('all 15,625 cells round-trip: code -> genome -> string -> genome -> code', () => {
  const strings = new Set<string>();
  for (let code = 0; code < NB201_CELLS; code++) {
    const s = genomeToArch(codeToGenome(code));
    strings.add(s);
    assert.equal(cellCode(archToGenome(s)), code);
  }
  assert.equal(strings.size, NB201_CELLS);
});

test('malformed strings are ParseErrors pointing at the problem', () => {
  const cases: [string, number, RegExp][] = [
    ['', 0, /expected '\|' but the string ended/],
    ['nor_conv_3x3~0|+', 0, /expected '\|', found 'n'/],
    ['|conv_5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|', 1, /unknown operation 'conv_5x5'/],
    ['|none~1|+|none~0|none~1|+|none~0|none~1|none~2|', 6, /input ~0 here, found ~1/],
    ['|none~0|+|none~0|none~1|+|none~0|none~1|', 40, /unknown operation ''/],
    ['|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+', 47, /unexpected '\+'/],
    ['|none~0|+|none~0|none~1|none~2|+|none~0|none~1|none~2|', 24, /expected '\+', found 'n'/],
    ['|none~0||none~0|none~1|+|none~0|none~1|none~2|', 8, /expected '\+', found '\|'/],
    ['|none~|+|none~0|none~1|+|none~0|none~1|none~2|', 6, /node 1 must list input ~0 here/],
    ['|none|+|none~0|none~1|+|none~0|none~1|none~2|', 5, /expected '~', found '\|'/],
  ];
  for (const [source, position, msg] of cases) {
    assert.throws(() => parseArch(source), (e: unknown) => {
      assert.ok(e instanceof ParseError, `${source}: ${String(e)}`);
      assert.equal(e.code, 'LNAS_PARSE');
      assert.equal(e.position, position, `${source}: ${e.message}`);
      assert.match(e.message, msg);
      return true;
    });
  }
});
