// Node only: a character-level data set from a UTF-8 file.
import { DataFileError } from './data-file-error.js';
import { readDataFile } from './read-data-file.js';
import { TextDataset, type TextDatasetOptions } from './text.js';

/** Reads a UTF-8 text file (a malformed one is an error, not replacement characters). */
export function readText(path: string): string {
  const bytes = readDataFile(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new DataFileError(path, 'is not valid UTF-8 text', '', { cause: e });
  }
}

export const readTextDataset = (path: string, o: TextDatasetOptions): TextDataset => new TextDataset(readText(path), o);
