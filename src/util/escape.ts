// Every piece of user text (titles, series names, table cells) ends up inside SVG or HTML.
// One stray `<` or `&` makes a standalone file unparseable, and control characters are not
// even legal in XML 1.0, so all text goes through here before it is written out.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// XML 1.0 forbids most C0 controls; a lone UTF-16 surrogate cannot be encoded as UTF-8 at all.
const ILLEGAL_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Makes any value safe as XML/HTML text content or as a double- or single-quoted attribute. */
export function escapeXml(value: unknown): string {
  const s = value === undefined || value === null ? '' : String(value);
  return s
    .replace(ILLEGAL_CONTROLS, '')
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** HTML text and attributes need exactly the same treatment; the alias documents intent. */
export const escapeHtml = escapeXml;
