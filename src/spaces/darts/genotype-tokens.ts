// Tokenizer for the Python-literal genotype text that DARTS prints and stores in genotypes.py.
// Every token carries its source offset so parse errors can point at the exact character.

import { ParseError } from '../../errors.js';

export type TokenKind = 'ident' | 'string' | 'number' | '(' | ')' | '[' | ']' | ',' | '=' | 'eof';

export type Token = {
  readonly kind: TokenKind;
  /** Identifier name, string contents (without quotes) or the number's raw text. */
  readonly text: string;
  /** Offset of the token's first character (the opening quote for strings). */
  readonly pos: number;
};

const PUNCT = new Set<string>(['(', ')', '[', ']', ',', '=']);

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/**
 * A ParseError at `position`, showing the whole source on one line: newlines become spaces so the
 * caret still lands under the offset, and the message adds line:column for multi-line input.
 */
export function parseErrorAt(source: string, position: number, message: string, origin?: string): ParseError {
  const before = source.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  const where = source.includes('\n') ? ` (line ${line}, column ${column})` : '';
  const prefix = origin === undefined ? '' : `${origin}: `;
  return new ParseError(`${prefix}${message}${where}`, position, source.replace(/[\r\n\t]/g, ' '));
}

export function tokenize(source: string, origin?: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (isSpace(c)) {
      i++;
    } else if (c === '#') {
      // Python comments let users paste straight from genotypes.py.
      while (i < source.length && source[i] !== '\n') i++;
    } else if (PUNCT.has(c)) {
      tokens.push({ kind: c as TokenKind, text: c, pos: i });
      i++;
    } else if (c === "'" || c === '"') {
      const start = i;
      i++;
      while (i < source.length && source[i] !== c && source[i] !== '\n') i++;
      if (source[i] !== c) throw parseErrorAt(source, start, `unterminated string; close it with ${c}`, origin);
      tokens.push({ kind: 'string', text: source.slice(start + 1, i), pos: start });
      i++;
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < source.length && isIdentPart(source[i] as string)) i++;
      tokens.push({ kind: 'ident', text: source.slice(start, i), pos: start });
    } else if (isDigit(c) || c === '-' || c === '+' || c === '.') {
      // Take everything that looks number-ish (1.5, -1, 3x) so the parser can reject it whole,
      // pointing at its start, instead of failing on a confusing second token.
      const start = i;
      i++;
      while (i < source.length && /[A-Za-z0-9_.+-]/.test(source[i] as string)) i++;
      tokens.push({ kind: 'number', text: source.slice(start, i), pos: start });
    } else {
      throw parseErrorAt(source, i, `unexpected character '${c}'`, origin);
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: source.length });
  return tokens;
}

/** Reads a token as a non-negative decimal integer, or undefined if it is not one. */
export function integerValue(token: Token): number | undefined {
  if (token.kind !== 'number' || !/^[0-9]+$/.test(token.text)) return undefined;
  const value = Number(token.text);
  return Number.isSafeInteger(value) ? value : undefined;
}

export function describe(token: Token): string {
  if (token.kind === 'eof') return 'end of input';
  if (token.kind === 'string') return `string '${token.text}'`;
  return `'${token.text}'`;
}
