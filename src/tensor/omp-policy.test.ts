// The OpenMP wait policy lnas chooses when the user chose none.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { IDLE_SPINCOUNT, chooseOmpPolicy } from './native.js';

test('OpenMP policy: the user\'s setting wins; bounded spin when idle; PASSIVE once the machine is busy', () => {
  assert.deepEqual(chooseOmpPolicy({ OMP_WAIT_POLICY: 'ACTIVE' }, 0, 2), {});
  assert.deepEqual(chooseOmpPolicy({ GOMP_SPINCOUNT: '5' }, 9, 2), {});
  assert.deepEqual(chooseOmpPolicy({}, 0.2, 2), { GOMP_SPINCOUNT: IDLE_SPINCOUNT });
  assert.deepEqual(chooseOmpPolicy({}, 0.99, 2), { GOMP_SPINCOUNT: IDLE_SPINCOUNT });
  assert.deepEqual(chooseOmpPolicy({}, 1, 2), { OMP_WAIT_POLICY: 'PASSIVE' }, 'one other CPU-bound process on 2 cores');
  assert.deepEqual(chooseOmpPolicy({}, 3, 16), { GOMP_SPINCOUNT: IDLE_SPINCOUNT }, 'on 16 cores a load of 3 leaves most cores free');
  assert.deepEqual(chooseOmpPolicy({}, 8, 16), { OMP_WAIT_POLICY: 'PASSIVE' });
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
  assert.equal(Object.keys(f.set).length, 1);
  for (const [k, v] of Object.entries(f.set)) assert.equal(f.env[k], `${v} (lnas default)`);
});
