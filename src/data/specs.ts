// What each supported dataset looks like on disk and where its official copy lives.
// Checksums are those of the official archives/files; they are checked only on download,
// since local copies (e.g. a re-encoded CIFAR-10 or a distro's recompressed .gz files)
// legitimately differ and are validated structurally by the readers instead.

import type { DatasetName } from './types.js';

/** Where a dataset can be fetched from; several URLs are tried in order. */
export type DatasetSource =
  | { kind: 'archive'; urls: readonly string[]; md5: string; /** top folder inside the tar */ folder: string }
  | { kind: 'files'; baseUrls: readonly string[]; files: readonly { name: string; md5: string }[] };

export interface DatasetSpec {
  name: DatasetName;
  title: string;
  /** Folder names looked for inside the data dir; downloads go to the first. */
  folders: readonly string[];
  /** Absolute folders also searched (system-wide installs). */
  systemDirs: readonly string[];
  /** Files that must all be present; for idx datasets the `.gz` may also be uncompressed. */
  files: readonly string[];
  source: DatasetSource;
  channels: number;
  height: number;
  width: number;
  classes: number;
  trainSize: number;
  testSize: number;
  mean: readonly number[];
  std: readonly number[];
}

const IDX_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
] as const;

export const DATASETS: Readonly<Record<DatasetName, DatasetSpec>> = {
  cifar10: {
    name: 'cifar10',
    title: 'CIFAR-10',
    folders: ['cifar-10-batches-bin', 'cifar-10-jpegq75-batches-bin'],
    systemDirs: [],
    files: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'],
    source: {
      kind: 'archive',
      urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'],
      md5: 'c32a1d4ab5d03f1284b67883e8d87530',
      folder: 'cifar-10-batches-bin',
    },
    channels: 3, height: 32, width: 32, classes: 10, trainSize: 50000, testSize: 10000,
    // The values DARTS uses (utils._data_transforms_cifar10).
    mean: [0.4914, 0.4822, 0.4465],
    std: [0.2470, 0.2435, 0.2616],
  },
  cifar100: {
    name: 'cifar100',
    title: 'CIFAR-100',
    folders: ['cifar-100-binary'],
    systemDirs: [],
    files: ['train.bin', 'test.bin'],
    source: {
      kind: 'archive',
      urls: ['https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz'],
      md5: '03b5dce01913d631647c71ecec9e9cb8',
      folder: 'cifar-100-binary',
    },
    channels: 3, height: 32, width: 32, classes: 100, trainSize: 50000, testSize: 10000,
    mean: [0.5071, 0.4865, 0.4409],
    std: [0.2673, 0.2564, 0.2762],
  },
  mnist: {
    name: 'mnist',
    title: 'MNIST',
    folders: ['mnist', 'MNIST/raw'],
    systemDirs: ['/usr/share/datasets/mnist'],
    files: IDX_FILES,
    source: {
      kind: 'files',
      // yann.lecun.com is the original home but often refuses downloads; PyTorch's
      // mirror serves byte-identical files.
      baseUrls: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
      files: [
        { name: 'train-images-idx3-ubyte.gz', md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
        { name: 'train-labels-idx1-ubyte.gz', md5: 'd53e105ee54ea40749a09fcbcd1e9432' },
        { name: 't10k-images-idx3-ubyte.gz', md5: '9fb629c4189551a2d022fa330f9573f3' },
        { name: 't10k-labels-idx1-ubyte.gz', md5: 'ec29112dd5afa0611ce80d1b7f02629c' },
      ],
    },
    channels: 1, height: 28, width: 28, classes: 10, trainSize: 60000, testSize: 10000,
    mean: [0.1307],
    std: [0.3081],
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST',
    folders: ['fashion-mnist', 'FashionMNIST/raw'],
    systemDirs: ['/usr/share/datasets/fashion-mnist'],
    files: IDX_FILES,
    source: {
      kind: 'files',
      baseUrls: [
        'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
        'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
      ],
      files: [
        { name: 'train-images-idx3-ubyte.gz', md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' },
        { name: 'train-labels-idx1-ubyte.gz', md5: '25c81989df183df01b3e8a0aad5dffbe' },
        { name: 't10k-images-idx3-ubyte.gz', md5: 'bef4ecab320f06d8554ea6380940ec79' },
        { name: 't10k-labels-idx1-ubyte.gz', md5: 'bb300cfdad3c16e7a12a480ee83cd310' },
      ],
    },
    channels: 1, height: 28, width: 28, classes: 10, trainSize: 60000, testSize: 10000,
    // Measured on the 60,000 training images.
    mean: [0.2860],
    std: [0.3530],
  },
};

export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

export function isDatasetName(s: string): s is DatasetName {
  return Object.prototype.hasOwnProperty.call(DATASETS, s);
}
