import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scope } from '../tensor/scope.js';
import { range, TextDataset, Vocabulary } from './index.js';
import { readTextDataset } from './node.js';

const dir = mkdtempSync(join(tmpdir(), 'rmsprop-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TextDataset', () => {
  it('builds the vocabulary from the characters, sorted, whole code points included', () => {
    const v = Vocabulary.fromText('héllo 🙂 hé');
    expect(v.chars).toEqual([' ', 'h', 'l', 'o', 'é', '🙂']);
    expect(v.decode(v.encode('hé🙂'))).toBe('hé🙂');
    expect(() => v.encode('hex')).toThrow('Vocabulary.encode: "e" at position 1 is not in the vocabulary');
    expect(() => v.decode([6])).toThrow('Vocabulary.decode: 6 is outside [0, 6)');
  });

  it('makes sequences of T characters whose targets are the next ones', () => {
    const text = 'abcdefghij'; // 10 characters: examples [0, 3), [3, 6), [6, 9) with targets up to 9
    const ds = new TextDataset(text, { seqLength: 3, inputs: 'indices' });
    expect([ds.length, ds.xShape, ds.xDtype, ds.yShape, ds.yDtype]).toEqual([3, [3], 'int32', [3], 'int32']);
    scope(() => {
      const { x, y } = range(ds);
      const v = ds.vocabulary;
      expect([0, 1, 2].map((k) => v.decode(x.ints.subarray(3 * k, 3 * k + 3)))).toEqual(['abc', 'def', 'ghi']);
      expect([0, 1, 2].map((k) => v.decode(y.ints.subarray(3 * k, 3 * k + 3)))).toEqual(['bcd', 'efg', 'hij']);
    });
    const overlapping = new TextDataset(text, { seqLength: 4, stride: 1 });
    expect(overlapping.length).toBe(6);
  });

  it('one-hot encodes the inputs by default', () => {
    const ds = new TextDataset('abab ba', { seqLength: 2, stride: 2 });
    expect([ds.xShape, ds.xDtype]).toEqual([[2, 3], 'float32']); // vocabulary ' ', 'a', 'b'
    scope(() => {
      const { x, y } = ds.batch([1]); // 'ab' → 'b '
      expect(Array.from(x.data)).toEqual([0, 1, 0, 0, 0, 1]);
      expect(Array.from(y.ints)).toEqual([2, 0]);
    });
  });

  it('reads a UTF-8 file, and names a file that is missing or not UTF-8', () => {
    const path = join(dir, 'poem.txt');
    writeFileSync(path, 'Ω is omega, ω too\n');
    const ds = readTextDataset(path, { seqLength: 5 });
    expect(ds.vocabulary.chars).toContain('Ω');
    expect(ds.tokens.length).toBe(18);
    const bad = join(dir, 'latin1.txt');
    writeFileSync(bad, Uint8Array.of(0x63, 0x61, 0x66, 0xe9));
    expect(() => readTextDataset(bad, { seqLength: 1 })).toThrow(`${bad}: is not valid UTF-8 text`);
    expect(() => readTextDataset(join(dir, 'none.txt'), { seqLength: 1 })).toThrow(
      `${join(dir, 'none.txt')}: no such file`,
    );
  });

  it('rejects a text too short for one example, and bad options', () => {
    expect(() => new TextDataset('abc', { seqLength: 3 })).toThrow(
      'TextDataset: a text of 3 characters is too short for seqLength 3 (needs 4)',
    );
    expect(() => new TextDataset('abc', { seqLength: 0 })).toThrow(
      'TextDataset: seqLength must be an integer ≥ 1, got 0',
    );
  });
});
