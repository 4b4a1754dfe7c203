import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownInline, markdownParagraphs } from './markdown.js';

test('inline subset', () => {
  assert.equal(markdownInline('**bold** and *it* and _it_ and `x<y`'),
    '<strong>bold</strong> and <em>it</em> and <em>it</em> and <code>x&lt;y</code>');
  assert.equal(markdownInline('see [paper](https://arxiv.org/abs/1806.09055?a=1&b=2)'),
    'see <a href="https://arxiv.org/abs/1806.09055?a=1&amp;b=2">paper</a>');
});

test('user text cannot become markup', () => {
  assert.equal(markdownInline('<script>alert(1)</script>'), '&lt;script&gt;alert(1)&lt;/script&gt;');
  assert.equal(markdownInline('[x](javascript:alert(1))'), 'x)');
  assert.equal(markdownInline('[x](" onmouseover="y)'), '[x](&quot; onmouseover=&quot;y)');
  // emphasis markers inside an href stay in the href
  assert.equal(markdownInline('[a](https://x.org/_b_)'), '<a href="https://x.org/_b_">a</a>');
  // identifiers with underscores and lone asterisks are left alone
  assert.equal(markdownInline('s2_i1_exp and 2 * 3 * 4'), 's2_i1_exp and 2 * 3 * 4');
});

test('paragraphs split on blank lines and join wrapped lines', () => {
  assert.equal(markdownParagraphs('one\ntwo\n\n\nthree\n'), '<p>one two</p>\n<p>three</p>');
  assert.equal(markdownParagraphs('  \n '), '');
});
