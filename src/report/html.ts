// One standalone HTML report page: inline CSS, charts embedded as inline SVG, tables as
// HTML tables. No scripts and no external resources, so the file can be mailed, archived
// or opened offline and looks the same. All user text is escaped; `html` and `svg` blocks
// are trusted markup (the SVGs come from this folder's chart functions).

import { escapeHtml } from '../util/escape.js';
import { markdownParagraphs } from './markdown.js';
import { cellText, columnAlign, type Table } from './table.js';

export interface Section {
  heading: string;
  /** Anchor id; default derived from the heading. */
  id?: string;
  /** Prose in the small Markdown subset of markdown.ts. */
  markdownParagraph?: string;
  /** One or more charts, each an SVG document string. */
  svg?: string | readonly string[];
  /** Caption under the chart(s). */
  caption?: string;
  table?: Table;
  /** Caption above the table. */
  tableCaption?: string;
  /** Raw, trusted HTML appended last. */
  html?: string;
  /** Subsections, one heading level down. */
  sections?: readonly Section[];
}

export interface PageOptions {
  title: string;
  /** Line under the title, e.g. the run id and date (plain text). */
  subtitle?: string;
  sections: readonly Section[];
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:1.7em;margin:0 0 4px}
.subtitle{color:#666;margin:0 0 24px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:16px 20px;margin:0 0 20px}
section section{border:0;padding:0;margin:16px 0 0}
h2{font-size:1.3em;margin:0 0 12px}h3{font-size:1.1em;margin:0 0 8px}h4,h5,h6{font-size:1em;margin:0 0 8px}
figure{margin:12px 0;display:flex;flex-wrap:wrap;gap:12px;justify-content:center}
figure svg{max-width:100%;height:auto}
figcaption{flex-basis:100%;color:#555;font-size:.9em;text-align:center}
.table-wrap{overflow-x:auto;margin:12px 0}
table{border-collapse:collapse;font-size:.9em;font-variant-numeric:tabular-nums}
caption{caption-side:top;text-align:left;color:#555;padding:0 0 6px}
th,td{padding:4px 10px;border-bottom:1px solid #e6e6e6}
thead th{border-bottom:2px solid #999;background:#f4f4f4}
tbody tr:hover{background:#f7f9fc}
code{background:#f1f1f1;padding:0 3px;border-radius:3px}
@media (max-width:600px){main{padding:12px 8px}section{padding:12px}}
`;

/** An HTML table with escaped, formatted cells; numeric columns right-aligned. */
export function tableToHtml(t: Table, caption?: string): string {
  const aligns = t.columns.map((c) => columnAlign(t, c));
  const style = (i: number): string => (aligns[i] === 'left' ? '' : ` style="text-align:${aligns[i]}"`);
  const head = t.columns.map((c, i) => `<th scope="col"${style(i)}>${escapeHtml(c.title)}</th>`).join('');
  const body = t.rows.map((row) =>
    '<tr>' + t.columns.map((c, i) => `<td${style(i)}>${escapeHtml(cellText(c, row))}</td>`).join('') + '</tr>').join('\n');
  return `<div class="table-wrap"><table>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** Heading text -> a stable anchor id (letters, digits and dashes only). */
export function slug(s: string): string {
  const base = s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return base || 'section';
}

/** An XML declaration or doctype is legal in a .svg file but not inside HTML. */
function inlineSvg(svg: string): string {
  return svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '').trim();
}

function renderSection(s: Section, level: number, used: Set<string>): string {
  let id = s.id ?? slug(s.heading);
  for (let k = 2; used.has(id); k++) id = `${s.id ?? slug(s.heading)}-${k}`;
  used.add(id);
  const h = `h${Math.min(6, level)}`;
  const parts = [`<${h} id="${escapeHtml(id)}">${escapeHtml(s.heading)}</${h}>`];
  if (s.markdownParagraph) parts.push(markdownParagraphs(s.markdownParagraph));
  const svgs = s.svg === undefined ? [] : typeof s.svg === 'string' ? [s.svg] : s.svg;
  if (svgs.length > 0 || s.caption) {
    const caption = s.caption ? `<figcaption>${escapeHtml(s.caption)}</figcaption>` : '';
    parts.push(`<figure>\n${svgs.map(inlineSvg).join('\n')}\n${caption}</figure>`);
  }
  if (s.table) parts.push(tableToHtml(s.table, s.tableCaption));
  if (s.html) parts.push(s.html);
  for (const sub of s.sections ?? []) parts.push(renderSection(sub, level + 1, used));
  return `<section>\n${parts.join('\n')}\n</section>`;
}

/** The complete page as a string, ready to write to report.html. */
export function htmlPage(o: PageOptions): string {
  const used = new Set<string>();
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(o.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body><main>',
    `<h1>${escapeHtml(o.title)}</h1>`,
    o.subtitle ? `<p class="subtitle">${escapeHtml(o.subtitle)}</p>` : '',
    ...o.sections.map((s) => renderSection(s, 2, used)),
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}
