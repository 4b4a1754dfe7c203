import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmt } from './format.js';
import { csvField, toCsv, toJson, toMarkdown, type Table } from './table.js';

const t: Table = {
  columns: [
    { key: 'method', title: 'Method' },
    { key: 'err', title: 'Test error (%)', format: fmt.meanStd(2) },
    { key: 'params', title: 'Params', format: fmt.si(2) },
    { key: 'note', title: 'Note' },
  ],
  rows: [
    { method: 'DARTS | 1st', err: { mean: 3.0, std: 0.14 }, params: 3_300_000, note: 'says "hi", ok' },
    { method: 'LNAS', err: [2.7, 2.8, 2.9], params: 3_100_000, note: 'line1\nline2' },
    { method: 'broken', err: null, params: NaN },
  ],
};

test('csvField quotes only when needed and doubles quotes (RFC 4180)', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "x"'), '"say ""x"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\r'), '"cr\r"');
  assert.equal(csvField(''), '');
});

test('CSV: header of titles, formatted cells, CRLF rows', () => {
  assert.equal(toCsv(t),
    'Method,Test error (%),Params,Note\r\n' +
    'DARTS | 1st,3.00 ± 0.14,3.3M,"says ""hi"", ok"\r\n' +
    'LNAS,2.80 ± 0.10,3.1M,"line1\nline2"\r\n' +
    'broken,,,\r\n');
});

test('CSV raw mode writes full-precision numbers', () => {
  const raw = toCsv({ columns: [{ key: 'v', title: 'v', format: fmt.fixed(1) }], rows: [{ v: 0.123456789 }, { v: NaN }] }, { raw: true });
  assert.equal(raw, 'v\r\n0.123456789\r\n\r\n');
});

test('Markdown: escaped pipes, no line breaks in cells, aligned columns', () => {
  const md = toMarkdown(t);
  const lines = md.trimEnd().split('\n');
  assert.equal(lines.length, 5);
  assert.ok(lines[2]?.includes('DARTS \\| 1st'));
  assert.ok(lines[3]?.includes('line1 line2'));
  // every line has the same number of unescaped pipes, and the same length (padded)
  const pipes = lines.map((l) => (l.match(/(?<!\\)\|/g) ?? []).length);
  assert.deepEqual(new Set(pipes), new Set([5]));
  assert.equal(new Set(lines.map((l) => [...l].length)).size, 1);
});

test('Markdown: numeric columns are right-aligned', () => {
  const md = toMarkdown({ columns: [{ key: 'a', title: 'name' }, { key: 'n', title: 'n' }], rows: [{ a: 'x', n: 5 }, { a: 'y', n: 123 }] });
  assert.equal(md, '| name |   n |\n| ---- | --: |\n| x    |   5 |\n| y    | 123 |\n');
  // summaries count as numbers; explicit alignment wins
  const rule = toMarkdown(t).split('\n')[1] ?? '';
  assert.deepEqual(rule.split('|').slice(1, -1).map((c) => c.trim().endsWith(':')), [false, true, true, false]);
  const centered = toMarkdown({ columns: [{ key: 'a', title: 'a', align: 'center' }], rows: [{ a: 1 }] });
  assert.equal(centered.split('\n')[1], '| :-: |');
});

test('JSON: raw values keyed by column, NaN as null; formatted on request', () => {
  const rows = JSON.parse(toJson(t)) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(rows[0] ?? {}), ['method', 'err', 'params', 'note']);
  assert.equal(rows[0]?.['params'], 3_300_000);
  assert.equal(rows[2]?.['params'], null);
  assert.equal(rows[2]?.['note'], null);
  const f = JSON.parse(toJson(t, { formatted: true })) as Record<string, unknown>[];
  assert.equal(f[1]?.['err'], '2.80 ± 0.10');
});
