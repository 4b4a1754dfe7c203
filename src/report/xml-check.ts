// A minimal well-formedness checker for the SVG and HTML this folder writes, so tests can
// catch unbalanced tags, unescaped `<` / `&`, broken attributes and stray "NaN" without an
// XML parser dependency. It is not a validator: it checks structure, not vocabulary.

export interface CheckOptions {
  /** HTML mode: void elements need no closing tag, <style>/<script> hold raw text. */
  html?: boolean;
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['style', 'script']);
const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const ATTR = /([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const BAD_AMP = /&(?!(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9A-Fa-f]+);)/;

function lineOf(src: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < src.length; i++) if (src.charCodeAt(i) === 10) line++;
  return line;
}

/** Problems found, each with its line number; empty when the markup is well-formed. */
export function wellFormedErrors(src: string, o: CheckOptions = {}): string[] {
  const errors: string[] = [];
  const err = (pos: number, msg: string): void => { errors.push(`line ${lineOf(src, pos)}: ${msg}`); };
  const stack: { name: string; pos: number }[] = [];
  let roots = 0;
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const textEnd = lt === -1 ? src.length : lt;
    const txt = src.slice(i, textEnd);
    if (BAD_AMP.test(txt)) err(i, `unescaped & in text "${txt.slice(0, 40)}"`);
    if (!o.html && stack.length === 0 && txt.trim() !== '') err(i, 'text outside the root element');
    if (lt === -1) break;
    const skip = (open: string, close: string): boolean => {
      if (!src.startsWith(open, lt)) return false;
      const end = src.indexOf(close, lt + open.length);
      if (end === -1) err(lt, `unterminated ${open}`);
      i = end === -1 ? src.length : end + close.length;
      return true;
    };
    if (skip('<!--', '-->') || skip('<![CDATA[', ']]>') || skip('<?', '?>') || skip('<!', '>')) continue;
    TAG.lastIndex = lt;
    const m = TAG.exec(src);
    if (!m) {
      err(lt, `malformed tag or unescaped < near "${src.slice(lt, lt + 40)}"`);
      i = lt + 1;
      continue;
    }
    i = lt + m[0].length;
    const [, slash, rawName = '', attrText = '', selfClose] = m;
    const name = o.html ? rawName.toLowerCase() : rawName;
    if (slash) {
      const top = stack.pop();
      if (!top) err(lt, `</${name}> closes nothing`);
      else if (top.name !== name) err(lt, `</${name}> closes <${top.name}> from line ${lineOf(src, top.pos)}`);
      continue;
    }
    const seen = new Set<string>();
    for (const a of attrText.matchAll(ATTR)) {
      const [, attr = '', dq, sq] = a;
      if (seen.has(attr)) err(lt, `duplicate attribute ${attr} on <${name}>`);
      seen.add(attr);
      if (BAD_AMP.test(dq ?? sq ?? '')) err(lt, `unescaped & in attribute ${attr} of <${name}>`);
    }
    if (stack.length === 0) roots++;
    if (selfClose || (o.html && VOID.has(name))) continue;
    if (o.html && RAW_TEXT.has(name)) {
      const end = src.toLowerCase().indexOf(`</${name}>`, i);
      if (end === -1) err(lt, `unclosed <${name}>`);
      i = end === -1 ? src.length : end + name.length + 3;
      continue;
    }
    stack.push({ name, pos: lt });
  }
  for (const open of stack) err(open.pos, `<${open.name}> is never closed`);
  if (!o.html && roots !== 1) errors.push(`expected exactly one root element, found ${roots}`);
  return errors;
}
