import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { range } from './index.js';
import { FASHION_MNIST_FOLDER, readFashionMnist, readMnistFolder, writeIdx } from './node.js';

const root = mkdtempSync(join(tmpdir(), 'rmsprop-fashion-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder of MNIST-format files with n images of 2×3 pixels whose pixel j of image i is 10·i + j. */
function folder(
  name: string,
  n: number,
  o: { gzip?: boolean; labels?: Uint8Array; imageShape?: number[] } = {},
): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const prefix of ['train', 't10k']) {
    const shape = o.imageShape ?? [n, 2, 3];
    const data = Uint8Array.from(
      { length: shape.reduce((a, b) => a * b, 1) },
      (_, k) => 10 * Math.floor(k / 6) + (k % 6),
    );
    const suffix = o.gzip ? '.gz' : '';
    writeIdx(join(dir, `${prefix}-images-idx3-ubyte${suffix}`), { type: 'uint8', shape, data }, o);
    const labels = o.labels ?? Uint8Array.from({ length: n }, (_, i) => i % 10);
    writeIdx(
      join(dir, `${prefix}-labels-idx1-ubyte${suffix}`),
      { type: 'uint8', shape: [labels.length], data: labels },
      o,
    );
  }
  return dir;
}

describe('Fashion-MNIST and MNIST-format folders', () => {
  for (const gzip of [false, true]) {
    it(`reads ${gzip ? 'gzipped' : 'plain'} files into [1, rows, columns] inputs in [0, 1] and int32 labels`, () => {
      const ds = readFashionMnist('test', { folder: folder(`ok-${gzip}`, 12, { gzip }) });
      expect([ds.length, ds.xShape, ds.yShape, ds.xDtype, ds.yDtype]).toEqual([12, [1, 2, 3], [], 'float32', 'int32']);
      const { x, y } = range(ds, 10, 12);
      expect(x.shape).toEqual([2, 1, 2, 3]);
      expect(Array.from(x.data)).toEqual(
        [100, 101, 102, 103, 104, 105, 110, 111, 112, 113, 114, 115].map((v) => Math.fround(v / 255)),
      );
      expect(y.ints).toEqual(Int32Array.of(0, 1));
    });
  }

  it('says which file is missing, where it was looked for, and how to get it', () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    const path = join(dir, 'train-images-idx3-ubyte');
    expect(() => readFashionMnist('train', { folder: dir })).toThrow(`${path}: no such file (nor the same with .gz)`);
    expect(() => readFashionMnist('train', { folder: dir })).toThrow('apt-get install dataset-fashion-mnist');
    expect(() => readFashionMnist('train', { folder: dir })).toThrow(
      'https://github.com/zalandoresearch/fashion-mnist',
    );
  });

  it('rejects images of the wrong dimension count, naming the file', () => {
    const dir = folder('flat', 4, { imageShape: [4, 6] });
    expect(() => readMnistFolder(dir, 'train')).toThrow(
      `${join(dir, 'train-images-idx3-ubyte')}: expected 3 dimensions of uint8 (images × rows × columns), got 2 of uint8 ([4, 6])`,
    );
  });

  it('rejects as many labels as images, and labels beyond the classes', () => {
    const few = folder('few-labels', 4, { labels: Uint8Array.of(1, 2, 3) });
    expect(() => readMnistFolder(few, 'train')).toThrow('train-labels-idx1-ubyte: has 3 labels for the 4 images of');
    const big = folder('big-label', 2, { labels: Uint8Array.of(1, 10) });
    expect(() => readMnistFolder(big, 'test')).toThrow(
      't10k-labels-idx1-ubyte: label 10 at position 1 is outside [0, 10)',
    );
  });

  it.skipIf(!existsSync(FASHION_MNIST_FOLDER))('reads the installed Debian package', () => {
    const [train, test] = [readFashionMnist('train'), readFashionMnist('test')];
    expect([train.length, test.length, train.xShape]).toEqual([60000, 10000, [1, 28, 28]]);
  });
});
