import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeXml } from './escape.js';

test('escapes the five markup characters', () => {
  assert.equal(escapeXml(`<a href="x">Tom & 'Jerry'</a>`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;');
});

test('drops characters XML 1.0 forbids and repairs lone surrogates', () => {
  assert.equal(escapeXml('a\u0000b\u0007c\td\ne'), 'abc\td\ne');
  assert.equal(escapeXml('x\uD800y'), 'x\uFFFDy');
  assert.equal(escapeXml('\uD83D\uDE00'), '\uD83D\uDE00'); // a valid pair survives
});

test('null and undefined become empty text, other values their string', () => {
  assert.equal(escapeXml(undefined), '');
  assert.equal(escapeXml(null), '');
  assert.equal(escapeXml(3.5), '3.5');
});
