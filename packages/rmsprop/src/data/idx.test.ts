import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError, decodeIdx, encodeIdx, type Idx } from './index.js';
import { readIdx, writeIdx } from './node.js';

const dir = mkdtempSync(join(tmpdir(), 'rmsprop-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const labels: Idx = { type: 'uint8', shape: [5], data: Uint8Array.of(3, 1, 4, 1, 5) };
const images: Idx = {
  type: 'uint8',
  shape: [2, 3, 4],
  data: Uint8Array.from({ length: 24 }, (_, i) => (i * 37) % 256),
};

describe('IDX', () => {
  for (const gzip of [false, true]) {
    it(`round-trips 1-D labels and 3-D images through ${gzip ? 'gzipped' : 'plain'} files`, () => {
      for (const [name, idx] of [
        ['labels', labels],
        ['images', images],
      ] as const) {
        const path = join(dir, `${name}${gzip ? '.gz' : ''}`);
        writeIdx(path, idx, { gzip });
        const back = readIdx(path);
        expect(back.type).toBe('uint8');
        expect(back.shape).toEqual(idx.shape);
        expect(Array.from(back.data)).toEqual(Array.from(idx.data));
      }
    });
  }

  it('round-trips every element type, big-endian', () => {
    const values = [0, 1, -2, 1000, -30000];
    for (const [type, data] of [
      ['int8', Int8Array.of(0, 1, -2, 100, -128)],
      ['int16', Int16Array.from(values)],
      ['int32', Int32Array.of(0, 1, -2, 1e9, -30000)],
      ['float32', Float32Array.of(0, 1.5, -2.25, 1e-3, 3e38)],
      ['float64', Float64Array.of(0, Math.PI, -2, 1e300, -1e-300)],
    ] as const) {
      const back = decodeIdx(encodeIdx({ type, shape: [5], data }));
      expect(back.type).toBe(type);
      expect(back.data).toEqual(data);
    }
    // The first value of int16 [1] is stored as 00 01.
    expect(Array.from(encodeIdx({ type: 'int16', shape: [1], data: Int16Array.of(1) }))).toEqual([
      0, 0, 0x0b, 1, 0, 0, 0, 1, 0, 1,
    ]);
  });

  const bytes = encodeIdx(images);
  const bad: [string, Uint8Array, string][] = [
    [
      'a wrong magic number',
      Uint8Array.of(1, 2, ...bytes.subarray(2)),
      'is not an IDX file: expected a magic number 0x0000TTNN',
    ],
    ['an unknown element type', Uint8Array.of(0, 0, 0x0a, ...bytes.subarray(3)), 'got 0x00000A03'],
    [
      'truncated data',
      bytes.subarray(0, bytes.length - 1),
      'is truncated: shape [2, 3, 4] of uint8 needs 40 bytes (16 of header), got 39',
    ],
    ['a truncated header', bytes.subarray(0, 10), 'is truncated: the header of 3 dimensions needs 16 bytes, got 10'],
    ['trailing bytes', Uint8Array.of(...bytes, 0), 'is longer than its header says'],
    ['a damaged gzip stream', gzipSync(bytes).subarray(0, 20), 'is a damaged or truncated gzip file'],
  ];
  for (const [what, content, message] of bad) {
    it(`names the file and the problem for ${what}`, () => {
      const path = join(dir, what.replaceAll(' ', '-'));
      writeFileSync(path, content);
      expect(() => readIdx(path, 'get it from X')).toThrow(DataFileError);
      expect(() => readIdx(path, 'get it from X')).toThrow(`${path}: `);
      expect(() => readIdx(path, 'get it from X')).toThrow(message);
      expect(() => readIdx(path, 'get it from X')).toThrow(/\. get it from X$/);
    });
  }

  it('says which file is missing and how to get it', () => {
    const path = join(dir, 'nothing-here');
    expect(() => readIdx(path, 'Run `apt-get install x`')).toThrow(`${path}: no such file. Run \`apt-get install x\``);
  });

  it('asks for gzipped bytes to be decompressed first', () => {
    expect(() => decodeIdx(gzipSync(bytes), 'a.gz')).toThrow(
      'a.gz: is gzip-compressed; decompress it before decodeIdx',
    );
  });
});
