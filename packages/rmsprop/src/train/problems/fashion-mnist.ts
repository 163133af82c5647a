import type { ProblemData, ProblemDataOptions } from './problem.js';
import { limited } from './problem.js';

const cache = new Map<string, Promise<ProblemData>>();

/**
 * Fashion-MNIST's train and test splits (Node only: read from `folder`, by default where Debian's
 * dataset-fashion-mnist puts them), read once per folder and process.
 */
export async function fashionMnist(o: ProblemDataOptions, owner: string): Promise<ProblemData> {
  const key = o.folder ?? '';
  let whole = cache.get(key);
  if (!whole) {
    whole = import('../../data/node.js').then(({ readFashionMnist }) => {
      const folder = o.folder === undefined ? {} : { folder: o.folder };
      return { train: readFashionMnist('train', folder), test: readFashionMnist('test', folder) };
    });
    whole.catch(() => cache.delete(key));
    cache.set(key, whole);
  }
  const { train, test } = await whole;
  return { train: limited(train, o.limit, owner), test: limited(test, o.limit, owner) };
}
