// Runs the compiled test files with node's test runner.
//   node scripts/test.mjs            default suite (*.test.js, not *.slow.test.js)
//   node scripts/test.mjs --slow     only the slow suite (*.slow.test.js)
//   node scripts/test.mjs --all      both
//   node scripts/test.mjs --cuda     only the device suite (*.cuda.test.js; it skips itself without CUDA)
//   node scripts/test.mjs PATTERN    only files whose path contains PATTERN
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const mode = args.includes('--all') ? 'all' : args.includes('--slow') ? 'slow' : args.includes('--cuda') ? 'cuda' : 'default';
const patterns = args.filter((a) => !a.startsWith('--'));

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = walk('dist').sort().filter((f) => {
  const slow = f.endsWith('.slow.test.js');
  if (mode === 'default' && slow) return false;
  if (mode === 'slow' && !slow) return false;
  if (mode === 'cuda' && !f.endsWith('.cuda.test.js')) return false;
  return patterns.length === 0 || patterns.some((p) => f.includes(p));
});
if (files.length === 0) { console.error('no test files matched'); process.exit(1); }
const concurrency = process.env.LNAS_TEST_CONCURRENCY ?? '1';
const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, LNAS_TEST: '1' },
});
process.exit(r.status ?? 1);
