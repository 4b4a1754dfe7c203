// Where datasets live: the data dir comes from an explicit flag, else LNAS_DATA_DIR, else
// ~/.cache/lnas/datasets; inside it each dataset is looked up under its known folder names.

import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileSize } from './fsread.js';
import { findIdxFile } from './idx.js';
import type { DatasetSpec } from './specs.js';

export function defaultDataDir(): string {
  return join(homedir(), '.cache', 'lnas', 'datasets');
}

/** Explicit value > env LNAS_DATA_DIR > ~/.cache/lnas/datasets; `~/` is expanded. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = nonEmpty(flag) ?? nonEmpty(env.LNAS_DATA_DIR) ?? defaultDataDir();
  const expanded = chosen === '~' ? homedir() : chosen.startsWith('~/') ? join(homedir(), chosen.slice(2)) : chosen;
  return resolve(expanded);
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}

export type Located =
  | { status: 'found'; dir: string }
  | { status: 'partial'; dir: string; missing: string[] }
  | { status: 'absent'; searched: string[] };

/** Files of `spec` that are not in `dir` (idx files may be gzipped or not). */
export function missingFiles(spec: DatasetSpec, dir: string): string[] {
  const isIdx = spec.source.kind === 'files';
  return spec.files.filter((f) => (isIdx ? findIdxFile(dir, f) === null : fileSize(join(dir, f)) === null));
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The first complete copy among: the data dir itself, its known subfolders, then the
 * system-wide folders. A known subfolder holding only some files is reported as partial
 * rather than silently downloaded over.
 */
export function locateDataset(spec: DatasetSpec, dataDir: string, opts: { systemDirs?: boolean } = {}): Located {
  const sub = spec.folders.map((f) => join(dataDir, f));
  const system = (opts.systemDirs ?? true) ? [...spec.systemDirs] : [];
  const searched = [dataDir, ...sub, ...system];
  let partial: Located | null = null;
  for (const dir of searched) {
    if (!isDir(dir)) continue;
    const missing = missingFiles(spec, dir);
    if (missing.length === 0) return { status: 'found', dir };
    // A known folder with none of the files (e.g. left empty) can be downloaded into.
    if (partial === null && sub.includes(dir) && missing.length < spec.files.length) partial = { status: 'partial', dir, missing };
  }
  return partial ?? { status: 'absent', searched };
}
