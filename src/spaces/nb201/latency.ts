// NAS-Bench-201 latencies measured on 27 devices (HW-NAS-Bench style; nb201_latency.csv: one row
// per cell, a `<device>_ms` column per device), for searching under a device latency budget.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, DataError, ParseError } from '../../errors.js';
import { archToGenome } from './arch-string.js';
import { cellCode, NB201_CELLS, type Nb201Genome } from './ops.js';

export class Nb201Latency {
  constructor(readonly path: string, readonly devices: readonly string[], private readonly ms: ReadonlyMap<string, Float64Array>) {}

  /** Latency column of a device; an unknown device is a ConfigError listing the 27. */
  column(device: string): Float64Array {
    const c = this.ms.get(device);
    if (!c) throw new ConfigError(`unknown NAS-Bench-201 device '${device}'; devices: ${this.devices.join(', ')}`, 'device');
    return c;
  }

  of(genome: Nb201Genome, device: string): number {
    return this.column(device)[cellCode(genome)] as number;
  }
}

export function loadNb201Latency(path: string): Nb201Latency {
  const abs = resolve(path);
  let text: string;
  try { text = readFileSync(abs, 'utf8'); } catch (e) {
    throw new DataError('LNAS_NB201_TABLE', `NAS-Bench-201 latency table not found at ${abs}; pass the data directory that contains nasbench201/nb201_latency.csv`, { path: abs, cause: e });
  }
  const bad = (line: number, msg: string) => new DataError('LNAS_NB201_TABLE', `${abs}:${line}: ${msg}; re-fetch nasbench201/nb201_latency.csv`, { path: abs });
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const header = (lines[0] ?? '').split(',');
  const archCol = header.indexOf('arch_str');
  if (archCol < 0) throw bad(1, "header lacks column 'arch_str'");
  const deviceCols = header.map((h, i) => [h, i] as const).filter(([h]) => h.endsWith('_ms'));
  if (deviceCols.length === 0) throw bad(1, 'header has no <device>_ms column');
  const columns = new Map(deviceCols.map(([h]) => [h.slice(0, -3), new Float64Array(NB201_CELLS).fill(NaN)]));
  const seen = new Uint8Array(NB201_CELLS);
  for (let n = 1; n < lines.length; n++) {
    const fields = (lines[n] as string).split(',');
    if (fields.length !== header.length) throw bad(n + 1, `expected ${header.length} fields, found ${fields.length}`);
    let genome: Nb201Genome;
    try { genome = archToGenome(fields[archCol] as string); } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      throw bad(n + 1, `bad arch_str: ${e.message}`);
    }
    const code = cellCode(genome);
    if (seen[code]) throw bad(n + 1, `cell ${fields[archCol]} appears twice`);
    seen[code] = 1;
    for (const [h, i] of deviceCols) {
      const v = fields[i] === '' ? NaN : Number(fields[i]);
      if (!Number.isFinite(v) || v < 0) throw bad(n + 1, `column '${h}' is not a latency: '${fields[i]}'`);
      (columns.get(h.slice(0, -3)) as Float64Array)[code] = v;
    }
  }
  if (lines.length - 1 !== NB201_CELLS) throw bad(lines.length, `found ${lines.length - 1} cells, expected ${NB201_CELLS}`);
  return new Nb201Latency(abs, [...columns.keys()], columns);
}
