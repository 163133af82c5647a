// rmsprop/data/node: the readers of files, which need Node's fs and zlib (everything else: rmsprop/data).
export { readDataFile } from './read-data-file.js';
export { readIdx, writeIdx } from './idx-file.js';
export { readMnistFolder, type MnistFolderOptions, type Split } from './mnist-folder.js';
export { readFashionMnist, fashionMnistClasses, FASHION_MNIST_FOLDER } from './fashion-mnist.js';
export { readText, readTextDataset } from './text-file.js';
