// rmsprop/data: data sets and the DataLoader, for Node and the browser. Readers of files: rmsprop/data/node.
export { checkIndices, range, subset, type Batch, type Dataset } from './dataset.js';
export { ArrayDataset, type ArrayDatasetOptions, type NumericArray } from './array-dataset.js';
export { DataLoader, type DataLoaderOptions } from './data-loader.js';
export { DataFileError } from './data-file-error.js';
export { decodeIdx, encodeIdx, isGzip, type Idx, type IdxArray, type IdxType } from './idx.js';
export { loadMnist, type MnistOptions, type MnistSplits } from './mnist.js';
export { Vocabulary } from './vocabulary.js';
export { TextDataset, type TextDatasetOptions } from './text.js';
export { addingProblem, type AddingProblemOptions } from './adding.js';
export { copyTask, type CopyTaskOptions } from './copy-task.js';
