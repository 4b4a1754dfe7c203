import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lockHolder, releaseLock, tryLock } from './lock.js';

const lockModule = fileURLToPath(new URL('./lock.js', import.meta.url));

/**
 * Starts `n` processes that wait for a go file, then all call tryLock on `path` at once; returns how
 * many took it. Every child holds on (a winner keeps its lock) until all have answered, so a slow
 * loser can never find the winner already gone and its lock stale.
 */
async function race(path: string, n: number): Promise<number> {
  const [go, done] = [`${path}.go`, `${path}.done`];
  const script = `
    import { existsSync } from 'node:fs';
    const { tryLock } = await import(${JSON.stringify(lockModule)});
    while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 1));
    const holder = tryLock(${JSON.stringify(path)}, process.pid, 'race');
    process.stdout.write(holder === null ? 'won' : 'lost');
    while (!existsSync(${JSON.stringify(done)})) await new Promise((r) => setTimeout(r, 5));`;
  const children = Array.from({ length: n }, () => spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const answers = children.map((c) => new Promise<string>((resolve) => { let s = ''; c.stdout.on('data', (d) => { s += d; if (s.length >= 3) resolve(s); }); c.on('exit', () => resolve(s)); }));
  const exits = children.map((c) => new Promise((resolve) => c.on('exit', resolve)));
  await new Promise((r) => setTimeout(r, 400));
  writeFileSync(go, '');
  const results = await Promise.all(answers);
  writeFileSync(done, '');
  await Promise.all(exits);
  return results.filter((r) => r === 'won').length;
}

test('lock: of 6 processes racing for a free lock, exactly one takes it (atomic create)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnas-lock-'));
  for (let round = 0; round < 3; round++) assert.equal(await race(join(dir, `free-${round}.lock`), 6), 1, `round ${round}`);
});

test('lock: of 6 processes racing for a stale lock (dead holder), exactly one takes it over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnas-lock-'));
  for (let round = 0; round < 3; round++) {
    const path = join(dir, `stale-${round}.lock`);
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 12345, what: 'gone' })); // above pid_max: never alive
    assert.equal(await race(path, 6), 1, `round ${round}`);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.stale.') || f.includes('.new.')), [], 'no temp files left');
  }
});

test('lock: held by a live process is refused; a garbage lock file counts as stale; release removes it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnas-lock-'));
  const path = join(dir, 'run.lock');
  assert.equal(tryLock(path, process.pid, 'me'), null);
  assert.equal(lockHolder(path), process.pid);
  assert.equal(tryLock(path, process.pid, 'me'), process.pid, 'not re-entrant: a second taker in this process is refused');
  releaseLock(path, process.pid);
  assert.ok(!existsSync(path));
  writeFileSync(path, '{not json');
  assert.equal(tryLock(path, process.pid, 'me'), null);
  releaseLock(path, process.pid);
  // Our own pid in a lock this process does not hold is a leftover of an earlier process with the same pid.
  writeFileSync(path, JSON.stringify({ pid: process.pid, what: 'earlier' }));
  assert.equal(tryLock(path, process.pid, 'me'), null);
  releaseLock(path, process.pid);
});
