import { join } from 'node:path';
import { writeFileAtomic } from './write-file-atomic.js';

export const RUN_FORMAT = 'rmsprop-run/1';

/** `run.json`, beside the run log `log.jsonl` in every run directory: what was run, for the report. */
export interface RunInfo {
  format: typeof RUN_FORMAT;
  command: 'train' | 'compare' | 'tune';
  problem: string;
  /** The optimizer as the user wrote it: `rmsprop` or `rmsprop:lr=0.001,decay=0.9`. */
  optimizer: string;
  /** Its options resolved: defaults filled in, in the library's names. */
  options: Record<string, unknown>;
  /** The library's optimizer behind it (`rmsprop`, `adamw`, …), whose defaults the report leaves out. */
  kind?: string;
  seed: number;
  epochs: number;
  batchSize: number;
  /** The problem's metric (`accuracy`), null when the loss says it all. */
  metric: string | null;
  /** The test metric (or test loss) whose first reaching `compare` reports as speed. */
  target?: number;
  /** `--schedule` as written. */
  schedule?: string;
  /** `--limit`: examples per split. */
  limit?: number;
}

/**
 * The settings among `keys` in which `theirs` (a checkpoint's or a run directory's) differ from this
 * run's `info`, each as `seed 0 (this run: 1)`, for an error that says how to resume.
 */
export function differences(theirs: Partial<RunInfo>, info: RunInfo, keys: readonly (keyof RunInfo)[]): string[] {
  return keys
    .filter((k) => JSON.stringify(theirs[k]) !== JSON.stringify(info[k]))
    .map((k) => `${k} ${JSON.stringify(theirs[k])} (this run: ${JSON.stringify(info[k])})`);
}

export const RUN_FILE = 'run.json';
export const LOG_FILE = 'log.jsonl';

/** Atomically: a resumed run rewrites it, and a crash then must not leave the run without one. */
export async function writeRunInfo(dir: string, info: RunInfo): Promise<void> {
  await writeFileAtomic(join(dir, RUN_FILE), `${JSON.stringify(info, null, 2)}\n`);
}
