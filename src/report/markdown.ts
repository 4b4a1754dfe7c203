// A deliberately tiny Markdown subset for report prose: paragraphs (blank-line separated),
// **bold**, *italic* / _italic_, `code` and [links](url). Text is HTML-escaped first, so
// nothing a user writes can become markup; only the constructs above produce tags.

import { escapeHtml } from '../util/escape.js';

/** Links may only go to http(s), mailto, relative or in-page targets (no javascript:). */
function safeUrl(url: string): string | undefined {
  const u = url.trim();
  if (/^(https?:|mailto:)/i.test(u)) return u;
  if (/^[a-z][a-z0-9+.-]*:/i.test(u)) return undefined;
  return u;
}

function emphasis(escaped: string): string {
  return escaped
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1<em>$2</em>');
}

const LINK = /\[([^\]]+)\]\(([^)\s]+)\)/g;

function unescapeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Links are cut out first so emphasis rules never rewrite the inside of an href. */
function inlineNoCode(escaped: string): string {
  let out = '';
  let last = 0;
  for (const m of escaped.matchAll(LINK)) {
    const at = m.index ?? 0;
    out += emphasis(escaped.slice(last, at));
    const label = emphasis(m[1] ?? '');
    // The url was escaped with the text; undo that only to validate it, then re-escape.
    const url = safeUrl(unescapeEntities(m[2] ?? ''));
    out += url === undefined ? label : `<a href="${escapeHtml(url)}">${label}</a>`;
    last = at + m[0].length;
  }
  return out + emphasis(escaped.slice(last));
}

/** One paragraph's inline content as HTML. */
export function markdownInline(src: string): string {
  // Code spans first, so their contents are never treated as emphasis or links.
  return src.split(/(`[^`]+`)/).map((part) => {
    if (part.length >= 2 && part.startsWith('`') && part.endsWith('`')) {
      return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
    }
    return inlineNoCode(escapeHtml(part));
  }).join('');
}

/** Paragraphs separated by blank lines, each wrapped in <p>. */
export function markdownParagraphs(src: string): string {
  return src
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${markdownInline(p.replace(/\s*\r?\n\s*/g, ' '))}</p>`)
    .join('\n');
}
