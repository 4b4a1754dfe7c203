// The one entry point the rest of lnas uses: find a dataset (downloading it if absent),
// read it, validate it.

import { ConfigError, DataError } from '../errors.js';
import { folderProblem } from '../util/fs.js';
import { readCifar10, readCifar100 } from './cifar.js';
import { readIdxDataset } from './idx.js';
import { installDataset, manualInstallHint, type InstallOptions } from './install.js';
import { locateDataset, resolveDataDir } from './resolve.js';
import { DATASET_NAMES, DATASETS, isDatasetName } from './specs.js';
import type { DatasetName, LoadedDataset } from './types.js';

export interface LoadOptions extends InstallOptions {
  /** Value of --data-dir; falls back to LNAS_DATA_DIR, then ~/.cache/lnas/datasets. */
  dataDir?: string;
  /** Fetch an absent dataset from its official URL (default true). */
  download?: boolean;
  /** Also search system-wide folders such as /usr/share/datasets (default true). */
  systemDirs?: boolean;
  /** CIFAR-100 only: the 20 coarse labels instead of the 100 fine ones. */
  coarse?: boolean;
}

export function parseDatasetName(s: string): DatasetName {
  const key = s.toLowerCase().replace(/_/g, '-');
  const alias: Record<string, DatasetName> = { 'cifar-10': 'cifar10', 'cifar-100': 'cifar100', fashionmnist: 'fashion-mnist', fmnist: 'fashion-mnist' };
  const name = alias[key] ?? key;
  if (!isDatasetName(name)) throw new ConfigError(`unknown dataset "${s}"; choose one of ${DATASET_NAMES.join(', ')}`, 'data.dataset');
  return name;
}

/** The folder holding the dataset's files, downloading it first if it is nowhere to be found. */
export async function ensureDataset(name: DatasetName, opts: LoadOptions = {}): Promise<string> {
  const spec = DATASETS[name];
  const dataDir = resolveDataDir(opts.dataDir);
  const problem = folderProblem(dataDir);
  if (problem !== undefined) {
    const source = opts.dataDir?.trim() ? '--data-dir' : process.env.LNAS_DATA_DIR?.trim() ? 'LNAS_DATA_DIR' : 'the default';
    throw new DataError('LNAS_DATA_DIR', `the data folder ${dataDir} (from ${source}) cannot hold datasets: ${problem}. ` +
      `Point ${source === '--data-dir' ? '--data-dir' : 'LNAS_DATA_DIR (or --data-dir)'} at a folder (it is created if missing)` +
      `${source === 'LNAS_DATA_DIR' ? ', or unset LNAS_DATA_DIR to use ~/.cache/lnas/datasets' : ''}.`, { path: dataDir });
  }
  const found = locateDataset(spec, dataDir, { systemDirs: opts.systemDirs ?? true });
  if (found.status === 'found') return found.dir;
  if (found.status === 'partial') {
    throw new DataError(
      'LNAS_DATA_MISSING',
      `${spec.title}: ${found.dir} is incomplete, it lacks ${found.missing.join(', ')}. ` +
        'Put the missing files there, or delete the folder so that lnas downloads the dataset again.',
      { path: found.dir },
    );
  }
  if (opts.download === false) {
    throw new DataError(
      'LNAS_DATA_MISSING',
      `${spec.title} was not found (looked in ${found.searched.join(', ')}) and downloading is off.\n${manualInstallHint(spec, dataDir, opts.source)}`,
      { path: dataDir },
    );
  }
  return installDataset(spec, dataDir, opts);
}

/** Reads and validates the dataset files in `dir`. */
export function readDataset(name: DatasetName, dir: string, opts: { coarse?: boolean } = {}): LoadedDataset {
  switch (name) {
    case 'cifar10':
      return readCifar10(dir);
    case 'cifar100':
      return readCifar100(dir, opts.coarse === undefined ? {} : { coarse: opts.coarse });
    case 'mnist':
    case 'fashion-mnist':
      return readIdxDataset(dir, DATASETS[name]);
  }
}

export async function loadDataset(name: DatasetName, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const dir = await ensureDataset(name, opts);
  return readDataset(name, dir, opts.coarse === undefined ? {} : { coarse: opts.coarse });
}
