import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlPage, slug, tableToHtml } from './html.js';
import { lineChart } from './svg/line-chart.js';
import { wellFormedErrors } from './xml-check.js';

const evil = '<img src=x onerror="alert(1)"> & co';

test('escapes every piece of user text', () => {
  const page = htmlPage({
    title: evil,
    subtitle: evil,
    sections: [{
      heading: evil,
      markdownParagraph: evil,
      caption: evil,
      table: { columns: [{ key: 'a', title: evil }], rows: [{ a: evil }] },
      tableCaption: evil,
    }],
  });
  assert.deepEqual(wellFormedErrors(page, { html: true }), []);
  assert.ok(!page.includes('<img'));
  assert.ok(!page.includes('onerror="'));
  // title, h1, subtitle, h2, paragraph, figcaption, th, td, caption
  assert.equal(page.split('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co').length - 1, 9);
});

test('a standalone page: doctype, charset, inline CSS, inline SVG, no external resources', () => {
  const svg = lineChart({ title: 'c', series: [{ name: 's', points: [[0, 1], [1, 2]] }] });
  const page = htmlPage({ title: 'Report', sections: [{ heading: 'Results', svg: ['<?xml version="1.0"?>\n' + svg, svg], caption: 'Figure 1' }] });
  assert.ok(page.startsWith('<!DOCTYPE html>'));
  assert.match(page, /<meta charset="utf-8">/);
  assert.match(page, /<style>[^<]*figure svg\{max-width:100%/);
  assert.match(page, /<meta name="viewport"/);
  assert.equal((page.match(/<svg /g) ?? []).length, 2);
  assert.ok(!page.includes('<?xml'));
  assert.doesNotMatch(page, /<script|<link|src=|@import/);
  assert.deepEqual(wellFormedErrors(page, { html: true }), []);
});

test('subsections go one level down and ids are unique', () => {
  const page = htmlPage({ title: 'T', sections: [
    { heading: 'Results', sections: [{ heading: 'Results', html: '<p>raw</p>' }] },
  ] });
  assert.match(page, /<h2 id="results">Results<\/h2>/);
  assert.match(page, /<h3 id="results-2">Results<\/h3>/);
  assert.ok(page.includes('<p>raw</p>'), 'trusted html passes through');
  assert.equal(slug('Table 1: DARTS vs. LNAS!'), 'table-1-darts-vs-lnas');
  assert.equal(slug('***'), 'section');
});

test('tables: numeric columns right-aligned, cells formatted', () => {
  const h = tableToHtml({ columns: [{ key: 'n', title: 'N', format: (v) => `#${String(v)}` }, { key: 's', title: 'S' }],
    rows: [{ n: 1, s: 'a' }] });
  assert.ok(h.includes('<th scope="col" style="text-align:right">N</th>'));
  assert.ok(h.includes('<td style="text-align:right">#1</td><td>a</td>'));
  assert.deepEqual(wellFormedErrors(h, { html: true }), []);
});
