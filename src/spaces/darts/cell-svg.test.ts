import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateGenotype } from './genotype.js';
import { DARTS_V1, DARTS_V2 } from './genotypes.js';
import { cellToSvg } from './cell-svg.js';
import { assertCleanSvg, texts } from '../../report/testing.js';

type Element = { name: string; attrs: Record<string, string>; children: Element[]; text: string };

/**
 * A deliberately small XML reader: enough to prove the output is well-formed (one root,
 * balanced and properly nested tags, quoted attributes, no stray '<' or unknown entities).
 */
function parseXml(xml: string): Element {
  let i = 0;
  const root: Element = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: Element[] = [root];
  const top = (): Element => stack[stack.length - 1] as Element;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(text), `bad entity in text ${JSON.stringify(text)}`);
    top().text += text;
    if (lt === -1) break;
    const gt = xml.indexOf('>', lt);
    assert.ok(gt !== -1, `unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    assert.ok(!tag.includes('<'), `'<' inside tag at ${lt}`);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      assert.equal(open?.name, tag.slice(1).trim(), `mismatched </${tag.slice(1)}> at ${lt}`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z][\w:-]*)(.*)$/s.exec(body);
    assert.ok(m, `bad tag <${tag}>`);
    const attrs: Record<string, string> = {};
    const rest = (m[2] ?? '').replace(/\s([\w:-]+)="([^"<]*)"/g, (_, k: string, v: string) => {
      assert.ok(!(k in attrs), `duplicate attribute ${k}`);
      attrs[k] = v;
      return '';
    });
    assert.equal(rest.trim(), '', `unparsed attribute text in <${tag}>`);
    const el: Element = { name: m[1] as string, attrs, children: [], text: '' };
    top().children.push(el);
    if (!selfClosing) stack.push(el);
  }
  assert.equal(stack.length, 1, `unclosed <${top().name}>`);
  assert.equal(root.children.length, 1, 'exactly one root element');
  return root.children[0] as Element;
}

function all(el: Element, pred: (e: Element) => boolean, out: Element[] = []): Element[] {
  if (pred(el)) out.push(el);
  for (const c of el.children) all(c, pred, out);
  return out;
}

const byClass = (root: Element, cls: string): Element[] => all(root, (e) => e.attrs['class'] === cls);

test('the tiny XML checker rejects malformed input', () => {
  assert.throws(() => parseXml('<svg><g></svg>'));
  assert.throws(() => parseXml('<svg><g x=1/></svg>'));
  assert.throws(() => parseXml('<svg/><svg/>'));
  assert.throws(() => parseXml('<svg>a & b</svg>'));
  assert.equal(parseXml('<svg a="1"><g/></svg>').children.length, 1);
});

test('normal cell SVG is well-formed and standalone', () => {
  const svg = cellToSvg(DARTS_V2, 'normal');
  assertCleanSvg(svg);
  const root = parseXml(svg);
  assert.equal(root.name, 'svg');
  assert.equal(root.attrs['xmlns'], 'http://www.w3.org/2000/svg');
  assert.ok(!/<script|<image|<foreignObject|@import|@font-face|href=/i.test(svg));
  // The only URL is the SVG namespace; url(...) references are local markers.
  assert.deepEqual(svg.match(/https?:\/\/[^"]*/g), ['http://www.w3.org/2000/svg']);
  assert.ok((svg.match(/url\(([^)]*)\)/g) ?? []).every((u) => u === 'url(#arrow-normal)'));
  assert.ok(all(root, (e) => e.name === 'marker' && e.attrs['id'] === 'arrow-normal').length === 1);
});

test('draws 8 labelled op edges and one concat edge per output node', () => {
  const root = parseXml(cellToSvg(DARTS_V2, 'normal'));
  const ops = byClass(root, 'edge op');
  assert.equal(ops.length, 8);
  assert.equal(byClass(root, 'edge concat').length, 4);
  assert.deepEqual(
    ops.map((e) => [e.attrs['data-op'], e.attrs['data-from'], e.attrs['data-to']]),
    [
      ['sep_conv_3x3', 'c_{k-2}', '0'], ['sep_conv_3x3', 'c_{k-1}', '0'],
      ['sep_conv_3x3', 'c_{k-2}', '1'], ['sep_conv_3x3', 'c_{k-1}', '1'],
      ['sep_conv_3x3', 'c_{k-1}', '2'], ['skip_connect', 'c_{k-2}', '2'],
      ['skip_connect', 'c_{k-2}', '3'], ['dil_conv_3x3', '0', '3'],
    ],
  );
  for (const e of ops) {
    const path = e.children[0];
    assert.equal(path?.name, 'path');
    assert.match(path?.attrs['d'] ?? '', /^M[\d.-]+,[\d.-]+ Q[\d.-]+,[\d.-]+ [\d.-]+,[\d.-]+$/);
    assert.equal(path?.attrs['marker-end'], 'url(#arrow-normal)');
  }
  const labels = byClass(root, 'op-label').map((t) => t.text);
  assert.deepEqual(labels, ops.map((e) => e.attrs['data-op']));
  const nodes = byClass(root, 'node').map((n) => n.attrs['data-node']);
  assert.deepEqual(nodes, ['c_{k-2}', 'c_{k-1}', '0', '1', '2', '3', 'c_{k}']);
});

test('reduction cell uses its own ops, markers and title', () => {
  const svg = cellToSvg(DARTS_V1, 'reduce');
  assertCleanSvg(svg);
  const root = parseXml(svg);
  const ops = byClass(root, 'edge op').map((e) => e.attrs['data-op']);
  assert.equal(ops.filter((o) => o === 'max_pool_3x3').length, 4);
  assert.ok(ops.includes('avg_pool_3x3'));
  assert.ok(svg.includes('url(#arrow-reduce)') && !svg.includes('arrow-normal'));
  assert.equal(all(root, (e) => e.name === 'title')[0]?.text, 'reduction cell');
  const titled = cellToSvg(DARTS_V1, 'reduce', { title: 'A & <B>' });
  assertCleanSvg(titled);
  assert.equal(all(parseXml(titled), (e) => e.name === 'title')[0]?.text, 'A &amp; &lt;B&gt;');
  assert.ok(texts(titled).includes('A & <B>'));
});

test('a repeated input pair gets two distinct curves; concat follows the genotype', () => {
  const g = validateGenotype({
    ...DARTS_V2,
    normal: [['sep_conv_3x3', 0], ['skip_connect', 0], ...DARTS_V2.normal.slice(2)],
    normalConcat: [4, 5],
  });
  const root = parseXml(cellToSvg(g, 'normal'));
  const [a, b] = byClass(root, 'edge op').slice(0, 2).map((e) => e.children[0]?.attrs['d']);
  assert.ok(a !== undefined && b !== undefined && a !== b);
  const concat = byClass(root, 'edge concat').map((e) => e.attrs['data-from']);
  assert.deepEqual(concat, ['2', '3']);
});
