// The OpenMP wait policy lnas chooses when the user chose none.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { chooseOmpPolicy, sampleBusyCores } from './native.js';

test('OpenMP policy: the user\'s setting wins; libgomp\'s default while the cores are free; PASSIVE once others keep half a core busy', () => {
  assert.deepEqual(chooseOmpPolicy({ OMP_WAIT_POLICY: 'ACTIVE' }, 2), {});
  assert.deepEqual(chooseOmpPolicy({ GOMP_SPINCOUNT: '5' }, 2), {});
  assert.deepEqual(chooseOmpPolicy({}, 0), {});
  assert.deepEqual(chooseOmpPolicy({}, 0.3), {});
  assert.deepEqual(chooseOmpPolicy({}, 0.5), { OMP_WAIT_POLICY: 'PASSIVE' });
  assert.deepEqual(chooseOmpPolicy({}, 1), { OMP_WAIT_POLICY: 'PASSIVE' }, 'one other CPU-bound process');
});

test('OpenMP policy: the sample sees a CPU-bound process started beside it', () => {
  const quiet = sampleBusyCores(200);
  if (quiet === null) return; // no /proc/stat (not Linux)
  const hog = spawnSync(process.execPath, ['-e', `
    const { spawn } = require('node:child_process');
    const h = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    setTimeout(() => {
      import(${JSON.stringify(new URL('./native.js', import.meta.url).href)}).then((m) => { console.log(m.sampleBusyCores(300)); h.kill(); });
    }, 300);`], { encoding: 'utf8' });
  const busy = Number(hog.stdout.trim());
  assert.ok(busy >= 0.6, `one busy loop beside the sampler: ${busy} cores busy (idle before: ${quiet})`);
});

test('OpenMP policy: ompEnv() labels what lnas set; a setting the user made (even empty) is left alone', () => {
  const probe = 'import("./dist/tensor/native.js").then((m) => console.log(JSON.stringify({ env: m.ompEnv(), set: m.lnasEnv })))';
  const mine = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: '', GOMP_SPINCOUNT: '' } });
  assert.equal(mine.status, 0, mine.stderr);
  const r = JSON.parse(mine.stdout) as { env: Record<string, string>; set: Record<string, string> };
  assert.deepEqual(r.set, {}, 'variables the user set (even empty) are left alone');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'OMP_WAIT_POLICY' && k !== 'GOMP_SPINCOUNT'));
  const fresh = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env });
  const f = JSON.parse(fresh.stdout) as { env: Record<string, string>; set: Record<string, string> };
  assert.ok(Object.keys(f.set).length <= 1, 'at most the wait policy');
  for (const [k, v] of Object.entries(f.set)) assert.equal(f.env[k], `${v} (lnas default)`);
});
