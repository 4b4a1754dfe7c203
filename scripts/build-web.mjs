// Builds the dashboard's front end (src/serve/web/) into dist/serve/public/: one ES module
// bundle with uPlot inside, one stylesheet, the page. Run at package build time (npm run build,
// prepare, scripts/quickstart.sh); nothing is fetched when the dashboard runs.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(repo, 'src/serve/web');
const out = join(repo, 'dist/serve/public');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(src, 'app.ts')], bundle: true, format: 'esm', target: 'es2020', minify: true, sourcemap: false,
  outfile: join(out, 'app.js'), legalComments: 'eof', logLevel: 'warning',
});
const uplotCss = readFileSync(join(repo, 'node_modules/uplot/dist/uPlot.min.css'), 'utf8');
writeFileSync(join(out, 'app.css'), `${uplotCss}\n${readFileSync(join(src, 'style.css'), 'utf8')}`);
copyFileSync(join(src, 'index.html'), join(out, 'index.html'));
