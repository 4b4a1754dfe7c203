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

/** A character for a message: quoted, or as an escape when it would not print (control bytes, U+FFFD from binary input). */
function quoteChar(c: string): string {
  if (!/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFD]/u.test(c)) return `'${c}'`;
  const cp = c.codePointAt(0) as number;
  return `'\\${cp < 0x100 ? `x${cp.toString(16).padStart(2, '0')}` : `u${cp.toString(16).padStart(4, '0')}`}' (not a printable character)`;
}

const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f; // A-Z a-z _
const isDigitCode = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** Characters of a number-ish token after its first: letters, digits, _ . + - */
const isNumberPart = (c: number): boolean => isLetter(c) || isDigitCode(c) || c === 0x2e || c === 0x2b || c === 0x2d;

/**
 * Tokens on demand: the parser stops at the first error, so a huge input (a megabyte of
 * brackets pasted by mistake) is only read as far as that error, not tokenized whole first.
 */
export class Lexer {
  private readonly tokens: Token[] = [];
  private i = 0;
  private done = false;

  constructor(private readonly source: string, private readonly origin?: string) {}

  /** The n-th token (0-based); past the end, the eof token. */
  at(n: number): Token {
    while (this.tokens.length <= n && !this.done) this.advance();
    return this.tokens[Math.min(n, this.tokens.length - 1)] as Token;
  }

  private advance(): void {
    const source = this.source;
    let i = this.i;
    for (;;) {
      if (i >= source.length) {
        this.tokens.push({ kind: 'eof', text: '', pos: source.length });
        this.done = true;
        break;
      }
      const c = source[i] as string;
      const code = source.charCodeAt(i);
      if (isSpace(c)) {
        i++;
      } else if (c === '#') {
        // Python comments let users paste straight from genotypes.py.
        while (i < source.length && source[i] !== '\n') i++;
      } else if (PUNCT.has(c)) {
        this.tokens.push({ kind: c as TokenKind, text: c, pos: i });
        i++;
        break;
      } else if (c === "'" || c === '"') {
        const start = i;
        i++;
        while (i < source.length && source[i] !== c && source[i] !== '\n') i++;
        if (source[i] !== c) throw parseErrorAt(source, start, `unterminated string; close it with ${c}`, this.origin);
        this.tokens.push({ kind: 'string', text: source.slice(start + 1, i), pos: start });
        i++;
        break;
      } else if (isLetter(code)) {
        const start = i;
        while (i < source.length && (isLetter(source.charCodeAt(i)) || isDigitCode(source.charCodeAt(i)))) i++;
        this.tokens.push({ kind: 'ident', text: source.slice(start, i), pos: start });
        break;
      } else if (isDigitCode(code) || c === '-' || c === '+' || c === '.') {
        // Take everything that looks number-ish (1.5, -1, 3x) so the parser can reject it whole,
        // pointing at its start, instead of failing on a confusing second token.
        const start = i;
        i++;
        while (i < source.length && isNumberPart(source.charCodeAt(i))) i++;
        this.tokens.push({ kind: 'number', text: source.slice(start, i), pos: start });
        break;
      } else {
        throw parseErrorAt(source, i, `unexpected character ${quoteChar(String.fromCodePoint(source.codePointAt(i) as number))}`, this.origin);
      }
    }
    this.i = i;
  }
}

/** All tokens of `source`, ending with eof (throws ParseError at the first bad character). */
export function tokenize(source: string, origin?: string): Token[] {
  const lexer = new Lexer(source, origin);
  const tokens: Token[] = [];
  for (let n = 0; ; n++) {
    const t = lexer.at(n);
    tokens.push(t);
    if (t.kind === 'eof') return tokens;
  }
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
