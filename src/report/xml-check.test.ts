import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wellFormedErrors } from './xml-check.js';

test('accepts well-formed markup with comments, entities and self-closing tags', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><!-- a <b> --><g a="1 &amp; 2"><rect/><text>x &lt; y &#39;q&#x27;</text></g></svg>';
  assert.deepEqual(wellFormedErrors(svg), []);
});

test('reports each kind of breakage', () => {
  const cases: [string, RegExp][] = [
    ['<svg><g></svg>', /closes <g>/],
    ['<svg><g>', /never closed/],
    ['<svg></g></svg>', /closes <svg>|closes nothing/],
    ['<svg><text>a < b</text></svg>', /unescaped </],
    ['<svg><text>a & b</text></svg>', /unescaped & in text/],
    ['<svg a="1" a="2"></svg>', /duplicate attribute/],
    ['<svg a="x & y"></svg>', /unescaped & in attribute/],
    ['<svg a="1></svg>', /malformed tag/],
    ['<svg/><svg/>', /one root/],
    ['<svg><!-- open</svg>', /unterminated/],
  ];
  for (const [src, want] of cases) {
    const errors = wellFormedErrors(src);
    assert.ok(errors.some((e) => want.test(e)), `${src}: ${JSON.stringify(errors)}`);
  }
});

test('html mode allows void elements and raw <style> text', () => {
  const html = '<!DOCTYPE html><html><head><meta charset="utf-8"><style>a>b{x:1}</style></head><body><br></body></html>';
  assert.deepEqual(wellFormedErrors(html, { html: true }), []);
  assert.notDeepEqual(wellFormedErrors(html), []);
});
