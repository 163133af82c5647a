// Node only.
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { DataFileError } from './data-file-error.js';

/** Reads a file whole, or throws a DataFileError that names it and says how to get it. */
export function readDataFile(path: string, hint = ''): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const problem = code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`;
    throw new DataFileError(path, problem, hint, { cause: e });
  }
}
