// Node only: the run log written to a file.
/// <reference types="node" />
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Callback } from './callback.js';
import { runLog, type RunLogOptions } from './run-log.js';

/**
 * The run log (see `runLog`) in a file of JSON lines (its folder created), opened when the run begins and closed when it
 * ends (also on failure). The file is replaced, except when resuming (also within epoch 1) or with `append`.
 */
export function runLogFile(path: string, o: RunLogOptions & { append?: boolean } = {}): Callback {
  let fd: number | null = null;
  const log = runLog((line) => {
    if (fd !== null) writeSync(fd, `${line}\n`);
  }, o);
  return {
    ...log,
    name: o.name ?? 'runLogFile',
    onTrainBegin(ctx) {
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(path, (o.append ?? ctx.resumed) ? 'a' : 'w');
      return log.onTrainBegin!(ctx);
    },
    async onTrainEnd(ctx, history, error) {
      try {
        await log.onTrainEnd!(ctx, history, error);
      } finally {
        if (fd !== null) closeSync(fd);
        fd = null;
      }
    },
  };
}
