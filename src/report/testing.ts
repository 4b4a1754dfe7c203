// Assertions shared by this folder's tests (not used at runtime).

import assert from 'node:assert/strict';
import { wellFormedErrors } from './xml-check.js';

/** A standalone, well-formed SVG with no leaked non-numbers and no external references. */
export function assertCleanSvg(svg: string): void {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.deepEqual(wellFormedErrors(svg), []);
  assert.doesNotMatch(svg, /NaN|Infinity|undefined|\[object /);
  // Nothing fetched from elsewhere: no scripts, no linked images, fonts or stylesheets.
  assert.doesNotMatch(svg, /<script|href=|@import|url\((?!#)/i);
}

/** All values of one attribute, in document order. */
export function attrValues(markup: string, attr: string): string[] {
  return [...markup.matchAll(new RegExp(`\\s${attr}="([^"]*)"`, 'g'))].map((m) => m[1] ?? '');
}

/** Text content of every <text> element, entities decoded. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
}
