// Public surface of the data layer.

export type { ImageSet, LoadedDataset, DatasetName } from './types.js';
export { checkImageSet, classCounts } from './types.js';
export { DATASETS, DATASET_NAMES, isDatasetName, type DatasetSpec, type DatasetSource } from './specs.js';
export { readCifar10, readCifar100, readCifarFiles } from './cifar.js';
export { readIdxDataset, readIdxFile, parseIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './idx.js';
export { SyntheticDataset, channelStats, type SyntheticOptions } from './synthetic.js';
export { resolveDataDir, defaultDataDir, locateDataset, type Located } from './resolve.js';
export { downloadVerified, type FetchOptions } from './download.js';
export { installDataset, manualInstallHint, type InstallOptions } from './install.js';
export { parseTar, type TarEntry } from './tar.js';
export { loadDataset, ensureDataset, readDataset, parseDatasetName, type LoadOptions } from './load.js';
export { dartsSplit, holdoutSplit, subset, identity, type IndexSplit, type DartsSplitOptions } from './splits.js';
export { CIFAR_AUGMENT, normalisationTable, type AugmentOptions, type Layout } from './augment.js';
export { Batcher, type Batch, type BatcherOptions, type BatcherState } from './batcher.js';
export { benchLoader, randomImageSet, type BenchOptions, type BenchResult } from './bench.js';
