// The import structure, checked on the TypeScript sources: no file imports itself through a loop
// of imports, and no module outside src/cli/ imports the command line (commands sit on top; the
// library never reaches back up into them).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(here, '..', 'src');
const isSource = (p: string) => p.endsWith('.ts') && !p.endsWith('.d.ts') && !/\.test\.ts$|\/testing\.ts$|\.child\.ts$/.test(p);

function sources(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) sources(p, out); else if (isSource(p)) out.push(p);
  }
  return out;
}

/** Relative imports of a file (static, re-exports, and import() with a literal), as src paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\s)(?:import|export)\s[^'"`]*?from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/gm)) {
    const spec = (m[1] ?? m[2]) as string;
    out.push(relative(src, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
  }
  return out;
}

const graph = new Map(existsSync(src) ? sources(src).map((f) => [relative(src, f), importsOf(f)]) : []);

test('structure: the sources are there to check', { skip: !existsSync(src) && 'no src/ next to dist/' }, () => {
  assert.ok(graph.size > 100, `${graph.size} source files`);
});

test('structure: no import cycles between source files', { skip: !existsSync(src) && 'no src/' }, () => {
  // Tarjan's strongly connected components; any component of more than one file is a cycle.
  let index = 0;
  const idx = new Map<string, number>(); const low = new Map<string, number>(); const stack: string[] = []; const on = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) { on.delete(w); comp.push(w); if (w === v) break; }
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  assert.deepEqual(cycles, []);
});

test('structure: nothing outside src/cli/ imports src/cli/', { skip: !existsSync(src) && 'no src/' }, () => {
  const offenders = [...graph].flatMap(([f, deps]) => (f.startsWith('cli/') ? [] : deps.filter((d) => d.startsWith('cli/')).map((d) => `${f} -> ${d}`)));
  assert.deepEqual(offenders, []);
});

/** The layers listed in the README's Layout section, bottom first: each an array of areas (`util/`, `errors.ts`). */
function readmeLayers(): string[][] {
  const readme = readFileSync(resolve(src, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Layout'));
  const from = section.indexOf('Layers, from the bottom');
  const list = section.slice(from, section.indexOf('\n## ', from));
  return [...list.matchAll(/^\s*\d+\.\s+(.+)$/gm)].map((m) => (m[1] as string).split(/[,;]\s*/).map((a) => a.replace(/[`\s]|—.*$/g, '')).filter(Boolean));
}

/** The area of a source path: its top folder (`util/`) or, at the top, the file (`errors.ts`). */
const areaOf = (p: string) => (p.includes('/') ? `${p.slice(0, p.indexOf('/'))}/` : p);

test('structure: imports go only down the README\'s layer list (or stay in their layer), and no two areas import each other', { skip: !existsSync(src) && 'no src/' }, () => {
  const layers = readmeLayers();
  assert.ok(layers.length >= 8, `README lists ${layers.length} layers`);
  const layerOf = new Map(layers.flatMap((areas, i) => areas.map((a) => [a, i] as const)));
  const unlisted = [...new Set([...graph.keys()].map(areaOf))].filter((a) => !layerOf.has(a));
  assert.deepEqual(unlisted, [], 'every area of src/ is in the README\'s layer list');
  const upward: string[] = [];
  const pairs = new Set<string>();
  for (const [f, deps] of graph) {
    for (const d of deps) {
      const [a, b] = [areaOf(f), areaOf(d)];
      if (a === b || !graph.has(d)) continue;
      pairs.add(`${a} ${b}`);
      if ((layerOf.get(b) as number) > (layerOf.get(a) as number)) upward.push(`${f} -> ${d}`);
    }
  }
  assert.deepEqual(upward, [], 'imports from a lower layer into a higher one');
  const mutual = [...pairs].filter((p) => { const [a, b] = p.split(' ') as [string, string]; return a < b && pairs.has(`${b} ${a}`); });
  assert.deepEqual(mutual, [], 'areas that import each other');
});
