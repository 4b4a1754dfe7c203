// repeats.json: the folder of a run repeated with N seeds (`--repeats` on sweep and evolve) lists
// the run folders of its repeats.
import { existsSync, readFileSync } from 'node:fs';
import { LnasError } from '../errors.js';
import { runPaths } from './paths.js';

export interface RepeatsFile { kind: 'lnas-sweep-repeats' | 'menas-repeats'; version: 1; repeats: number; seeds: number[]; dirs: string[]; compare?: string[] }

export const repeatsFile = (dir: string) => runPaths(dir).stage('repeats.json');

export function readRepeatsFile(dir: string): RepeatsFile | null {
  if (!existsSync(repeatsFile(dir))) return null;
  try {
    const v = JSON.parse(readFileSync(repeatsFile(dir), 'utf8')) as RepeatsFile;
    if ((v.kind !== 'lnas-sweep-repeats' && v.kind !== 'menas-repeats') || !Array.isArray(v.dirs)) throw new Error('not a repeats file');
    return v;
  } catch (e) {
    throw new LnasError('LNAS_RUN_CORRUPT', `cannot read ${repeatsFile(dir)}: ${(e as Error).message}`, { path: dir });
  }
}
