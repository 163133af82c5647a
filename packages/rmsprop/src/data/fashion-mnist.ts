// Node only: Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, MIT licence) from the Debian package or any folder.
import type { ArrayDataset } from './array-dataset.js';
import { readMnistFolder, type Split } from './mnist-folder.js';

/** Where Debian's `dataset-fashion-mnist` puts the files. */
export const FASHION_MNIST_FOLDER = '/usr/share/datasets/fashion-mnist';

/** The ten classes, by label. */
export const fashionMnistClasses = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/**
 * One split of Fashion-MNIST: 60 000 train or 10 000 test images [1, 28, 28] in [0, 1], labels 0–9 (int32).
 */
export function readFashionMnist(split: Split, o: { folder?: string } = {}): ArrayDataset {
  const folder = o.folder ?? FASHION_MNIST_FOLDER;
  const download = 'the four files of https://github.com/zalandoresearch/fashion-mnist (data/fashion)';
  const hint =
    folder === FASHION_MNIST_FOLDER
      ? `Install Fashion-MNIST with \`apt-get install dataset-fashion-mnist\` (Debian, Ubuntu), or download ${download} and pass their folder as \`folder\``
      : `Download ${download} into ${folder}, or install them with \`apt-get install dataset-fashion-mnist\` and leave \`folder\` unset`;
  return readMnistFolder(folder, split, { hint });
}
