// Downloads a dataset into <dataDir>/<folder> all-or-nothing: everything is fetched and
// checked inside a hidden staging folder next to the target, which is renamed into place
// only when complete. On any failure the staging folder, and any folders we created for
// it, are removed again, so a failed attempt leaves nothing on disk.

import { existsSync, mkdirSync, mkdtempSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DataError } from '../errors.js';
import { downloadVerified, type FetchOptions } from './download.js';
import { readDataFile } from './fsread.js';
import { missingFiles } from './resolve.js';
import type { DatasetSource, DatasetSpec } from './specs.js';
import { parseTar } from './tar.js';

const gunzipAsync = promisify(gunzip);

export interface InstallOptions extends FetchOptions {
  /** Replaces the official source (tests, mirrors). */
  source?: DatasetSource;
  log?: (message: string) => void;
}

/** Downloads `spec` into <dataDir>/<spec.folders[0]> and returns that folder. */
export async function installDataset(spec: DatasetSpec, dataDir: string, opts: InstallOptions = {}): Promise<string> {
  const source = opts.source ?? spec.source;
  const target = join(dataDir, spec.folders[0] as string);
  let created: string[] = [];
  let staging: string | null = null;
  try {
    created = mkdirTracked(dataDir);
    staging = mkdtempSync(join(dataDir, `.lnas-download-${spec.name}-`));
    const out = join(staging, 'out');
    mkdirSync(out);
    opts.log?.(`Downloading ${spec.title} into ${target} ...`);
    if (source.kind === 'archive') {
      const archive = join(staging, 'archive.tar.gz');
      await downloadVerified(source.urls, source.md5, archive, opts);
      await extractFolder(archive, source.folder, out);
    } else {
      for (const f of source.files) {
        await downloadVerified(source.baseUrls.map((b) => b + f.name), f.md5, join(out, f.name), opts);
      }
    }
    const missing = missingFiles(spec, out);
    if (missing.length > 0) {
      throw new DataError('LNAS_DATA_CORRUPT', `the downloaded ${spec.title} lacks ${missing.join(', ')}`, { path: target });
    }
    // An empty leftover target folder can be replaced; a non-empty one is not ours to touch.
    if (existsSync(target)) rmdirSync(target);
    renameSync(out, target);
    return target;
  } catch (e) {
    if (staging !== null) rmSync(staging, { recursive: true, force: true });
    removeCreated(created);
    throw explain(e, spec, source, target);
  } finally {
    if (staging !== null) rmSync(staging, { recursive: true, force: true });
  }
}

/** Extracts the regular files under `folder/` of a .tar.gz into `out`. */
async function extractFolder(archive: string, folder: string, out: string): Promise<void> {
  let tar: Uint8Array;
  try {
    const raw = await gunzipAsync(readDataFile(archive, 'download'));
    tar = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  } catch (e) {
    throw new DataError('LNAS_DATA_CORRUPT', `${archive} is not a valid .tar.gz (${(e as Error).message})`, { path: archive, cause: e });
  }
  const prefix = `${folder}/`;
  for (const entry of parseTar(tar, archive)) {
    if (entry.type !== 'file' || !entry.name.startsWith(prefix)) continue;
    const dest = join(out, entry.name.slice(prefix.length));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, entry.data);
  }
}

/** Creates `dir` and its missing parents, returning those created, deepest first. */
function mkdirTracked(dir: string): string[] {
  const created: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    created.push(d);
    if (dirname(d) === d) break;
  }
  mkdirSync(dir, { recursive: true });
  return created;
}

function removeCreated(created: readonly string[]): void {
  for (const d of created) {
    try {
      rmdirSync(d); // only succeeds while empty
    } catch {
      return;
    }
  }
}

/** The manual-install instructions shown when a dataset is absent and cannot be fetched. */
export function manualInstallHint(spec: DatasetSpec, dataDir: string, source: DatasetSource = spec.source): string {
  const target = join(dataDir, spec.folders[0] as string);
  const files = spec.files.map((f) => `  ${join(target, f)}`).join('\n');
  const fetch = source.kind === 'archive'
    ? `download ${source.urls[0]} (MD5 ${source.md5}) on a machine with network access and extract its ${source.folder}/ folder`
    : `download ${source.files.map((f) => f.name).join(', ')} from ${source.baseUrls[0]} on a machine with network access and copy them`;
  return `To install it by hand, ${fetch} so that these files exist:\n${files}\n` +
    `or point --data-dir (or LNAS_DATA_DIR) at a folder that contains ${spec.folders.map((f) => `${f}/`).join(' or ')}.`;
}

function explain(e: unknown, spec: DatasetSpec, source: DatasetSource, target: string): unknown {
  if (!(e instanceof DataError)) {
    const err = e as NodeJS.ErrnoException;
    return new DataError('LNAS_DATA_DOWNLOAD', `Could not install ${spec.title} into ${target}: ${err.message}`, { path: target, cause: e });
  }
  const dataDir = dirname(target);
  const what = e.code === 'LNAS_DATA_CHECKSUM'
    ? `The ${spec.title} download did not match its checksum and was discarded (${e.message}).`
    : `Could not download ${spec.title}: ${e.message}.`;
  return new DataError(e.code, `${what}\n${manualInstallHint(spec, dataDir, source)}`, { path: target, cause: e });
}
