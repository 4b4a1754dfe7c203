// Tiny settings shared by the MENAS tests: synthetic 16px images, a narrow space, one short
// epoch; and the kill-and-rerun driver of the end-to-end tests.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineSnapshot } from '../evolution/types.js';
import { defaults } from '../../config/schema.js';
import { DataSchema } from '../../data/config.js';
import { OptimSchema, RuntimeSchema } from '../../train/config.js';
import { type EvolveConfig, evolveConfigOf, defaultFlags } from './config.js';

export const TINY_ARGS = ['--dataset', 'synthetic', '--synthetic-size', '16', '--train-limit', '160', '--val-size', '64', '--test-limit', '64',
  '--batch-size', '32', '--eval-batch-size', '64', '--population', '4', '--generations', '2', '--top-k', '2', '--epochs', '1', '--proposals', '3',
  '--recal-images', '32', '--final-epochs', '0', '--fig4-epochs', '0', '--threads', '1', '--width-mults', '0.5', '--depths', '1,2', '--max-mmacs', '0', '--checkpoint-every', '1'];

export function tinyConfig(over: Partial<EvolveConfig> = {}): EvolveConfig {
  const f = defaultFlags();
  return {
    ...evolveConfigOf({
      ...f,
      evolve: { ...f.evolve, population: 4, generations: 2, topK: 2, maxMmacs: 0, workers: 1, syntheticSize: 16 },
      space: { widthMults: [0.5], depths: [1, 2] },
      ticket: { ...f.ticket, proposals: 3, recalImages: 32 },
      data: { ...defaults(DataSchema), dataset: 'synthetic', trainLimit: 160, valSize: 64, testLimit: 64, batchSize: 32, evalBatchSize: 64 },
      optim: { ...defaults(OptimSchema), epochs: 2 },
      runtime: { ...defaults(RuntimeSchema), threads: 1, checkpointEvery: 1 },
    }),
    ...over,
  };
}

/** The CLI entry point as compiled next to this file. */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'main.js');

const readJson = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T;

export interface KilledRun {
  /** History entries finished when the first process was SIGKILLed. */
  before: number;
  /** Their trial folders, with the mtime of result.json at the kill. */
  finished: Map<string, number>;
  rerun: SpawnSyncReturns<string>;
}

/** Starts `lnas <args>`, SIGKILLs it once `killAfter` candidates are in search.json, then runs `args + more` to the end. */
export async function killAndRerun(args: string[], more: string[], runs: string, killAfter = 2): Promise<KilledRun> {
  const env = { ...process.env, LNAS_RUNS_DIR: runs };
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  const history = (): EngineSnapshot['history'] => {
    const d = existsSync(runs) ? readdirSync(runs).find((x) => x.startsWith('evolve-')) : undefined;
    try { return d === undefined ? [] : readJson<EngineSnapshot>(join(runs, d, 'search.json')).history; } catch { return []; }
  };
  const deadline = Date.now() + 120_000;
  while (history().length < killAfter) {
    if (Date.now() > deadline) throw new Error('no candidate finished');
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await exited;
  const done = history().map((e) => (e.result as unknown as { dir: string }).dir);
  const finished = new Map(done.map((d) => [d, statSync(join(d, 'result.json')).mtimeMs]));
  const rerun = spawnSync(process.execPath, [CLI, ...args, ...more], { env, encoding: 'utf8' });
  return { before: done.length, finished, rerun };
}
