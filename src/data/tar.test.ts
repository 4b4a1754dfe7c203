import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DataError } from '../errors.js';
import { parseTar, safeName } from './tar.js';
import { makeTar } from './testing.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const tmp = mkdtempSync(join(tmpdir(), 'lnas-tar-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function hasTar(): boolean {
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('tar reader', () => {
  const long = `top/${'d'.repeat(60)}/${'f'.repeat(60)}.bin`;
  const entries = [
    { name: 'top/' },
    { name: 'top/a.txt', data: enc('hello') },
    { name: 'top/empty', data: new Uint8Array(0) },
    { name: 'top/block.bin', data: new Uint8Array(512).fill(3) },
    { name: long, data: enc('long name') },
  ];

  test('round-trips files, directories and GNU long names', () => {
    const got = parseTar(makeTar(entries), 'x.tar');
    assert.deepEqual(got.map((e) => [e.name, e.type]), [
      ['top', 'dir'], ['top/a.txt', 'file'], ['top/empty', 'file'], ['top/block.bin', 'file'], [long, 'file'],
    ]);
    assert.equal(dec(got[1]!.data), 'hello');
    assert.equal(got[2]!.data.length, 0);
    assert.ok(got[3]!.data.every((v) => v === 3) && got[3]!.data.length === 512);
    assert.equal(dec(got[4]!.data), 'long name');
  });

  test('reads an archive written by the system tar (ustar prefix / pax names)', { skip: !hasTar() && 'no tar binary' }, () => {
    const src = join(tmp, 'src');
    const deep = join(src, 'p'.repeat(80), 'q'.repeat(80));
    execFileSync('mkdir', ['-p', deep]);
    writeFileSync(join(deep, 'r.txt'), 'deep');
    writeFileSync(join(src, 'top.txt'), 'top');
    for (const format of ['ustar', 'pax', 'gnu']) {
      const out = join(tmp, `sys-${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-cf', out, '-C', src, '.']);
      const files = parseTar(new Uint8Array(readFileSync(out)), out).filter((e) => e.type === 'file');
      const byName = new Map(files.map((f) => [f.name, dec(f.data)]));
      assert.equal(byName.get('top.txt'), 'top', format);
      assert.equal(byName.get(`${'p'.repeat(80)}/${'q'.repeat(80)}/r.txt`), 'deep', format);
    }
  });

  test('a damaged header is a DataError', () => {
    const tar = makeTar(entries);
    tar[10] = (tar[10] as number) ^ 0xff;
    assert.throws(() => parseTar(tar, 'bad.tar'), (e: unknown) => e instanceof DataError && e.code === 'LNAS_DATA_CORRUPT' && /bad\.tar.*checksum/.test(e.message));
  });

  test('a truncated archive is a DataError', () => {
    const tar = makeTar([{ name: 'big', data: new Uint8Array(5000) }]);
    assert.throws(() => parseTar(tar.subarray(0, 2048), 'cut.tar'), (e: unknown) => e instanceof DataError && /archive ends first/.test(e.message));
  });

  test('members escaping the extraction folder are refused', () => {
    assert.equal(safeName('../evil'), null);
    assert.equal(safeName('/etc/passwd'), null);
    assert.equal(safeName('a/../../b'), null);
    assert.equal(safeName('./a//b/'), 'a/b');
    assert.throws(() => parseTar(makeTar([{ name: '../evil', data: enc('x') }]), 'evil.tar'), /unsafe path/);
  });
});
