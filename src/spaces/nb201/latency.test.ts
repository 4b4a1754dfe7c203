import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runNb201Bench } from '../../bench/nb201.js';
import { ConfigError } from '../../errors.js';
import { archToGenome } from './arch-string.js';
import { loadNb201Latency } from './latency.js';

const dir = join(process.env['LNAS_DATA_DIR'] ?? '/work/shared/data', 'nasbench201');
const latencyPath = join(dir, 'nb201_latency.csv');
const tablePath = join(dir, 'nb201_full.csv');
const skip = existsSync(latencyPath) && existsSync(tablePath) ? false : `NAS-Bench-201 tables not found in ${dir}; set LNAS_DATA_DIR`;

test('the latency table: 27 devices, every cell, values as in the file', { skip }, () => {
  const t = loadNb201Latency(latencyPath);
  assert.equal(t.devices.length, 27);
  assert.ok(t.devices.includes('pixel3') && t.devices.includes('eyeriss') && t.devices.includes('1080ti_1'));
  // Row 0 of the file.
  const g = archToGenome('|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|');
  assert.equal(t.of(g, 'pixel3'), 3.60585);
  assert.equal(t.of(g, 'raspi4'), 10.481977);
  assert.ok(t.column('fpga').every((v) => Number.isFinite(v) && v >= 0));
  assert.throws(() => t.of(g, 'iphone'), (e: unknown) => e instanceof ConfigError && /unknown NAS-Bench-201 device 'iphone'.*pixel3/.test(e.message));
});

test('evolution under a device latency budget: every chosen cell meets it', { skip }, async () => {
  const t = loadNb201Latency(latencyPath);
  const sorted = [...t.column('pixel3')].sort((a, b) => a - b);
  const maxMs = sorted[Math.floor(sorted.length / 4)] as number; // a quarter of the cells qualify
  const r = await runNb201Bench({ strategy: 'evolution', runs: 5, budget: 100, seed: 0, tablePath, latency: { path: latencyPath, device: 'pixel3', maxMs } });
  assert.equal(r.per_run.length, 5);
  for (const run of r.per_run) assert.ok((run.latency_ms as number) <= maxMs, `${run.arch}: ${run.latency_ms} ms > ${maxMs}`);
  assert.equal(r.latency?.device, 'pixel3');
  assert.ok((r.latency?.max_chosen_ms as number) <= maxMs);
  // The optimum within the budget is no better than the optimum of the whole space.
  const free = await runNb201Bench({ strategy: 'evolution', runs: 1, budget: 100, seed: 0, tablePath });
  assert.ok((r.latency?.best_valid_within as number) <= 100 && r.per_run.every((x) => x.valid_acc <= (r.latency?.best_valid_within as number)));
  assert.equal(free.latency, undefined);
});
