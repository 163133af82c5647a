import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './cli-error.js';
import { readRun, type RunRecord } from './report/runs.js';
import { differences, LOG_FILE, RUN_FILE, type RunInfo } from './run-info.js';

/**
 * The run in `dir` when an earlier session finished it, for `compare --resume` to keep: the last `end`
 * line of its log tells neither an error nor Ctrl-C (a divergence stopped by nanGuard is finished, and
 * would only diverge again). Null when the run is still to train: never begun, killed, failed, or
 * interrupted (then continued from its checkpoint). A finished run of other settings than `info` is
 * refused, as a checkpoint of another run is: the comparison would mix two.
 */
export function finishedRun(dir: string, info: RunInfo): RunRecord | null {
  if (!existsSync(join(dir, RUN_FILE)) || !existsSync(join(dir, LOG_FILE))) return null;
  const run = readRun(dir);
  if (run.end === null || run.end.error !== undefined || run.end.stopped?.by === 'interrupt') return null;
  const keys = [...new Set([...Object.keys(run.info), ...Object.keys(info)])] as (keyof RunInfo)[];
  const differ = differences(run.info, info, keys);
  if (differ.length > 0)
    throw new UsageError(
      `--resume: ${dir} holds a finished run of other settings: ${differ.join(', ')}; ` +
        'resume with the flags of the comparison that was interrupted',
    );
  return run;
}
