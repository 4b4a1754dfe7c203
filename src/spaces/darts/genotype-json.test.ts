import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonErrorPosition } from './genotype-json.js';

test('valid JSON has no error position', () => {
  for (const text of ['{}', ' [1, -2.5e3, "a\\"b\\u00e9", true, false, null, {"k": []}] ', '0', '"x"']) {
    assert.equal(jsonErrorPosition(text), undefined, text);
    assert.doesNotThrow(() => JSON.parse(text));
  }
});

test('the first syntax error is located', () => {
  const cases: [string, number][] = [
    ['{"normal": [["sep_conv_3x3", 0],, ]}', 32],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ["{'a': 1}", 1],
    ['[1, 2', 5],
    ['[01]', 2],
    ['{"a": tru}', 6],
    ['"abc', 4],
    ['"a\\x"', 2],
    ['{} x', 3],
    ['', 0],
  ];
  for (const [text, at] of cases) {
    assert.equal(jsonErrorPosition(text), at, text);
    assert.throws(() => JSON.parse(text), SyntaxError);
  }
});
