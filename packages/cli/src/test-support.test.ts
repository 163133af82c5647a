import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// test-support registers its clean-up (afterAll) with the suite that first imports it: for a test file's
// static import, the file. Imported here within a describe, its clean-up runs when that describe is
// done, where the test after it can look.
describe('tempDir', () => {
  const made: string[] = [];
  describe('a test file that imports it', async () => {
    const { tempDir } = await import('./test-support.js');
    it('gets new folders', () => {
      made.push(tempDir(), tempDir());
      expect(new Set(made).size).toBe(2);
      expect(made.every((dir) => existsSync(dir))).toBe(true);
    });
  });

  it('leaves none behind once its tests are done', () => {
    expect(made).toHaveLength(2);
    expect(made.filter((dir) => existsSync(dir))).toEqual([]);
  });
});
