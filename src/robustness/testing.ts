// Helpers for the robustness tests: run the CLI as a user does, and edit safetensors files
// (checkpoints) byte for byte without going through the loader under test.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

export const tmp = (prefix = 'lnas-robust-'): string => mkdtempSync(join(tmpdir(), prefix));

/** Runs `lnas ...args` with the given environment added (LNAS_RUNS_DIR etc.). */
export function lnas(args: readonly string[], env: Record<string, string> = {}, input?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
    ...(input === undefined ? {} : { input }),
  });
}

/**
 * Asserts what a user's mistake must look like: exit code 2, `lnas: error [CODE]` with the given
 * code, the pattern in stderr, and no stack trace or "internal error".
 */
export function assertUserError(r: SpawnSyncReturns<string>, code: string | RegExp, pattern?: RegExp, what = ''): void {
  const label = `${what}\nstderr: ${r.stderr.slice(0, 4000)}`;
  assert.doesNotMatch(r.stderr, /internal error/, label);
  assert.doesNotMatch(r.stderr, /^\s+at /m, `no stack trace: ${label}`);
  assert.equal(r.status, 2, label);
  const codeRe = typeof code === 'string' ? new RegExp(`lnas: error \\[${code}\\]`) : code;
  assert.match(r.stderr, codeRe, label);
  if (pattern) assert.match(r.stderr, pattern, label);
}

export type SafetensorsHeader = Record<string, unknown> & { __metadata__?: Record<string, unknown> };

/** Parses a safetensors file into its JSON header and the raw data after it. */
export function readRawSafetensors(path: string): { header: SafetensorsHeader; data: Uint8Array } {
  const buf = readFileSync(path);
  const n = Number(buf.readBigUInt64LE(0));
  return { header: JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as SafetensorsHeader, data: new Uint8Array(buf.subarray(8 + n)) };
}

/** Serialises a header and data as safetensors bytes (header padded to 8 bytes). */
export function rawSafetensors(header: unknown, data: Uint8Array): Uint8Array {
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + head.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  out.set(data, 8 + head.byteLength);
  return out;
}

/** Rewrites the header of a safetensors file in place; tensors dropped from it keep their (now unused) bytes. */
export function editSafetensors(path: string, edit: (header: SafetensorsHeader) => void): void {
  const { header, data } = readRawSafetensors(path);
  edit(header);
  writeFileSync(path, rawSafetensors(header, data));
}
