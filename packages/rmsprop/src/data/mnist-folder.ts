// Node only: reads a folder of MNIST-format files (MNIST, Fashion-MNIST, KMNIST share the layout).
/// <reference types="node" />
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArrayDataset } from './array-dataset.js';
import { DataFileError } from './data-file-error.js';
import { readIdx } from './idx-file.js';
import type { Idx } from './idx.js';

export type Split = 'train' | 'test';

export interface MnistFolderOptions {
  /** How to get the files, for error messages. */
  hint?: string;
  /** Number of classes: labels must lie in [0, classes); default 10. */
  classes?: number;
}

/** The standard path of a file of the folder, preferring the plain file to its `.gz`. */
function find(folder: string, name: string): string {
  const plain = join(folder, name);
  return existsSync(plain) || !existsSync(`${plain}.gz`) ? plain : `${plain}.gz`;
}

function expect(idx: Idx, path: string, dims: number, meaning: string, hint: string): void {
  if (idx.shape.length !== dims || idx.type !== 'uint8') {
    throw new DataFileError(
      path,
      `expected ${dims} dimension${dims > 1 ? 's' : ''} of uint8 (${meaning}), got ${idx.shape.length} of ${idx.type} ` +
        `([${idx.shape.join(', ')}])`,
      hint,
    );
  }
}

/**
 * One split of an MNIST-format folder: `train-images-idx3-ubyte` and `train-labels-idx1-ubyte` (or `t10k-…`
 * for the test split), each plain or with `.gz`. Inputs are [1, rows, columns] in [0, 1]; labels int32.
 */
export function readMnistFolder(folder: string, split: Split, o: MnistFolderOptions = {}): ArrayDataset {
  const { hint = '', classes = 10 } = o;
  if (split !== 'train' && split !== 'test')
    throw new RangeError(`readMnistFolder: split must be 'train' or 'test', got ${split}`);
  const prefix = split === 'train' ? 'train' : 't10k';
  const imagesPath = find(folder, `${prefix}-images-idx3-ubyte`);
  const labelsPath = find(folder, `${prefix}-labels-idx1-ubyte`);
  const missing = [imagesPath, labelsPath].find((p) => !existsSync(p));
  if (missing) throw new DataFileError(missing, 'no such file (nor the same with .gz)', hint);
  const images = readIdx(imagesPath, hint);
  expect(images, imagesPath, 3, 'images × rows × columns', hint);
  const labels = readIdx(labelsPath, hint);
  expect(labels, labelsPath, 1, 'one label per image', hint);
  const [n, rows, cols] = images.shape as [number, number, number];
  if (labels.shape[0] !== n) {
    throw new DataFileError(labelsPath, `has ${labels.shape[0]} labels for the ${n} images of ${imagesPath}`, hint);
  }
  const bad = labels.data.findIndex((c) => c >= classes);
  if (bad >= 0) {
    throw new DataFileError(
      labelsPath,
      `label ${labels.data[bad]} at position ${bad} is outside [0, ${classes})`,
      hint,
    );
  }
  return new ArrayDataset({
    x: images.data,
    xShape: [1, rows, cols],
    xScale: 1 / 255,
    y: Int32Array.from(labels.data),
    yShape: [],
  });
}
