// Builds the libtorch binding with node-gyp. Runs on `npm install` / `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, findLibtorch } from './libtorch-path.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const found = findLibtorch();
if ('error' in found) {
  console.error(`\nlnas: ${found.error}
lnas needs libtorch (the C++ PyTorch library) to build its native engine. Either:
  - on Debian/Ubuntu, as root:  apt-get install -y libtorch-dev libopenblas0-pthread
  - or download a libtorch distribution and point LIBTORCH at it:  LIBTORCH=/path/to/libtorch npm install
  - or build against an installed PyTorch's own libtorch:  LNAS_LIBTORCH_FROM_PYTORCH=1 npm install
    (LNAS_PYTHON=/path/to/python picks the interpreter that has torch)
Then run the install again.\n`);
  process.exit(1);
}
if (found.source === 'Debian libtorch-dev' && !existsSync('/usr/lib/x86_64-linux-gnu/libopenblas.so.0')) {
  console.warn('lnas: warning: no optimized BLAS found; Debian libtorch falls back to a slow reference BLAS. Install libopenblas0-pthread.');
}

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/share/nodejs/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
  ];
  try { candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js')); } catch { /* not installed locally */ }
  const found = candidates.find((c) => c && existsSync(c));
  if (found) return found;
  console.error('lnas: node-gyp was not found (it ships with npm). Reinstall npm, or run `npm install -g node-gyp`.');
  process.exit(1);
}

const args = [nodeGyp(), 'rebuild', '--release', `--jobs=${process.env.LNAS_BUILD_JOBS ?? '2'}`];
// Offline machines cannot download Node headers: use LNAS_NODEDIR (a folder with include/node/),
// else the system's when present.
if (process.env.LNAS_NODEDIR) args.push(`--nodedir=${process.env.LNAS_NODEDIR}`);
else if (existsSync('/usr/include/node/node.h')) args.push('--nodedir=/usr');
console.log(`lnas: building native engine against ${describe(found)}`);
if (found.version && (found.version.major < 1 || (found.version.major === 1 && found.version.minor < 13))) {
  console.warn(`lnas: warning: libtorch ${found.version.major}.${found.version.minor} is older than 1.13, the oldest version lnas is tested with.`);
}
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('lnas: native build failed (see the compiler output above).');
  process.exit(result.status ?? 1);
}
console.log(`lnas: native engine built against ${describe(found)}`);
