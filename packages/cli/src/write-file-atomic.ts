import { rename, rm, writeFile } from 'node:fs/promises';
import { uninterrupted } from './interrupt.js';

/**
 * Writes `text` to a temporary file beside `path` and renames it into place, so a reader (a browser
 * reloading the report) or a crash mid-write leaves the old file or the new one, never half of one.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await uninterrupted(async () => {
    try {
      await writeFile(temp, text);
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  });
}
