// A small table model rendered to Markdown (for READMEs / terminals), CSV (for spreadsheets,
// RFC 4180) and JSON (for other programs). HTML rendering lives in html.ts.

import { formatNumber, type CellFormatter } from './format.js';

export interface Column {
  /** Property of each row this column shows. */
  key: string;
  /** Header text. */
  title: string;
  /** Turns the raw value into text; default: numbers via formatNumber, null/NaN as empty. */
  format?: CellFormatter;
  /** Default: right for columns whose values are all numbers, left otherwise. */
  align?: 'left' | 'right' | 'center';
}

export interface Table {
  columns: readonly Column[];
  rows: readonly Readonly<Record<string, unknown>>[];
}

/** Text for a value with no column formatter. */
export function defaultCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (Array.isArray(value)) return value.map(defaultCell).join(', ');
  return JSON.stringify(value) ?? '';
}

/** The text of one cell, through the column's formatter. */
export function cellText(col: Column, row: Readonly<Record<string, unknown>>): string {
  const value = row[col.key];
  return col.format ? col.format(value, row) : defaultCell(value);
}

/** Numbers, per-seed number arrays and {mean, std} summaries all print as numbers. */
function numberLike(v: unknown): boolean {
  if (typeof v === 'number') return true;
  if (Array.isArray(v)) return v.length > 0 && v.every((x) => typeof x === 'number');
  return typeof v === 'object' && v !== null && typeof (v as { mean?: unknown }).mean === 'number';
}

/** A column's alignment: explicit, or right when it holds only numbers (so digits line up). */
export function columnAlign(t: Table, col: Column): 'left' | 'right' | 'center' {
  if (col.align) return col.align;
  const present = t.rows.map((r) => r[col.key]).filter((v) => v !== undefined && v !== null);
  return present.length > 0 && present.every(numberLike) ? 'right' : 'left';
}

/** All cell texts, formatted, row by row. */
export function formatRows(t: Table): string[][] {
  return t.rows.map((row) => t.columns.map((c) => cellText(c, row)));
}

/** Markdown cells cannot contain a raw pipe or a line break. */
function mdEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, ' ');
}

function pad(s: string, width: number, align: 'left' | 'right' | 'center'): string {
  const gap = Math.max(0, width - [...s].length);
  if (align === 'right') return ' '.repeat(gap) + s;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + s + ' '.repeat(Math.ceil(gap / 2));
  return s + ' '.repeat(gap);
}

/** A GitHub-flavoured Markdown table, padded so it also reads well as plain text. */
export function toMarkdown(t: Table): string {
  const aligns = t.columns.map((c) => columnAlign(t, c));
  const header = t.columns.map((c) => mdEscape(c.title));
  const body = formatRows(t).map((r) => r.map(mdEscape));
  const widths = t.columns.map((_, i) =>
    Math.max(3, [...(header[i] ?? '')].length, ...body.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]): string =>
    '| ' + cells.map((s, i) => pad(s, widths[i] ?? 3, aligns[i] ?? 'left')).join(' | ') + ' |';
  const rule = '|' + widths.map((w, i) => {
    const a = aligns[i];
    const dashes = '-'.repeat(w);
    if (a === 'right') return ` ${dashes.slice(1)}: `;
    if (a === 'center') return ` :${dashes.slice(2)}: `;
    return ` ${dashes} `;
  }).join('|') + '|';
  return [line(header), rule, ...body.map(line)].join('\n') + '\n';
}

/** RFC 4180: quote a field containing a comma, quote, CR or LF, doubling inner quotes. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CsvOptions {
  /** Write numbers at full precision instead of through the column formatters. */
  raw?: boolean;
}

/** CSV with a header row of column titles, CRLF line endings as RFC 4180 specifies. */
export function toCsv(t: Table, o: CsvOptions = {}): string {
  const cell = (c: Column, row: Readonly<Record<string, unknown>>): string => {
    const v = row[c.key];
    if (o.raw && typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
    return cellText(c, row);
  };
  const lines = [t.columns.map((c) => csvField(c.title)),
    ...t.rows.map((row) => t.columns.map((c) => csvField(cell(c, row))))];
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}

export interface JsonOptions {
  /** Emit the formatted text of each cell instead of the raw values. */
  formatted?: boolean;
  /** Indentation passed to JSON.stringify (default 2). */
  indent?: number;
}

/** Rows as an array of objects keyed by column key (only the table's columns, in order). */
export function toJson(t: Table, o: JsonOptions = {}): string {
  const rows = t.rows.map((row) => Object.fromEntries(t.columns.map((c) => {
    const v = row[c.key];
    if (o.formatted) return [c.key, cellText(c, row)];
    // JSON has no NaN/Infinity; null is the honest stand-in for "no value".
    return [c.key, v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v];
  })));
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), o.indent ?? 2) + '\n';
}
