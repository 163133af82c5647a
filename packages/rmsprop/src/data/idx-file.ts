// Node only: reads and writes IDX files, gzipped or not.
/// <reference types="node" />
import { writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DataFileError } from './data-file-error.js';
import { decodeIdx, encodeIdx, isGzip, type Idx } from './idx.js';
import { readDataFile } from './read-data-file.js';

/** Reads an IDX file, gunzipping it first when it is gzipped (whatever its name). */
export function readIdx(path: string, hint = ''): Idx {
  let bytes = readDataFile(path, hint);
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DataFileError(path, `is a damaged or truncated gzip file (${(e as Error).message})`, hint, {
        cause: e,
      });
    }
  }
  return decodeIdx(bytes, path, hint);
}

/** Writes `idx` as an IDX file, gzipped when asked. */
export function writeIdx(path: string, idx: Idx, o: { gzip?: boolean } = {}): void {
  const bytes = encodeIdx(idx);
  writeFileSync(path, o.gzip ? gzipSync(bytes) : bytes);
}
