// Every path of a run folder lives here.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataError } from '../errors.js';
import { folderProblem } from '../util/fs.js';

export const runPaths = (dir: string) => ({
  dir,
  config: join(dir, 'config.json'),
  metrics: join(dir, 'metrics.jsonl'),
  checkpoint: join(dir, 'checkpoint.safetensors'),
  final: join(dir, 'model.safetensors'),
  summary: join(dir, 'summary.json'),
  report: join(dir, 'report.md'),
  genotypeJson: join(dir, 'genotype.json'),
  genotypeText: join(dir, 'genotype.txt'),
  cellSvg: (cell: 'normal' | 'reduce') => join(dir, `cell-${cell}.svg`),
  stage: (name: string) => join(dir, name),
});

export type RunPaths = ReturnType<typeof runPaths>;

/**
 * The run folder of a config under the runs folder `root` (LNAS_RUNS_DIR). A root that can never
 * hold run folders (a file, or a folder that cannot be written) is refused here, before anything
 * runs, with what to do about it; a root that does not exist yet is created by the first write.
 */
export function runDirFor(root: string, kind: string, hash: string): string {
  const problem = folderProblem(root, { writable: true });
  if (problem !== undefined) {
    throw new DataError('LNAS_RUNS_DIR', `the runs folder ${root} cannot hold run folders: ${problem}. ` +
      'Point LNAS_RUNS_DIR at a folder you can write to (it is created if missing), or unset it to use ./runs.', { path: root });
  }
  return join(root, `${kind}-${hash}`);
}

/** Shell-quotes a path for a command shown in a message (`rm -r <folder>`). */
export function shellPath(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/**
 * Reads a JSON file that lnas wrote into a run folder (summary.json and the like). A file that
 * does not parse, or is not a JSON object, is a typed error saying to remove the run folder.
 */
export function readRunJson<T>(path: string, what = 'the summary of a finished run'): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === undefined ? `it is not valid JSON (${(e as Error).message})` : `it cannot be read (${code})`;
    throw runCorrupt(path, what, why, e);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw runCorrupt(path, what, 'it does not hold a JSON object', undefined);
  return value as T;
}

function runCorrupt(path: string, what: string, why: string, cause: unknown): DataError {
  const dir = dirname(path);
  return new DataError('LNAS_RUN_CORRUPT', `${path} (${what}) is damaged: ${why}. ` +
    `Remove the run folder (rm -r ${shellPath(dir)}) and run the same command again to redo it.`, { path, ...(cause === undefined ? {} : { cause }) });
}
