import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderSamples } from './samples.js';
import { assertCleanSvg } from './testing.js';
import { wellFormedErrors } from './xml-check.js';

test('every sample renders clean, and the sample page is well-formed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnas-report-'));
  try {
    const files = renderSamples(dir);
    assert.equal(files.filter((f) => f.endsWith('.svg')).length, 4);
    for (const f of files) {
      const content = readFileSync(f, 'utf8');
      if (f.endsWith('.svg')) assertCleanSvg(content);
      else assert.deepEqual(wellFormedErrors(content, { html: true }), []);
      assert.doesNotMatch(content, /NaN/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
