// For the end-to-end tests: the built command, run as a user runs it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tempDir } from './report/test-support.js';

// A new empty folder, removed once the test file's tests are done.
export { tempDir };

export const MAIN = fileURLToPath(new URL('../bin/rmsprop.js', import.meta.url));
const built = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(built))
  throw new Error(`${built} is missing: build first (npm run build -w rmsprop && npm run build -w @rmsprop/cli)`);

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `rmsprop ARGS…` in `cwd` (a temporary folder by default), stdout not a terminal, as in CI. */
export function cli(args: string[], cwd = tempDir()): Result {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, in the background. */
export const cliAsync = (args: string[], cwd = tempDir()) =>
  spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** The `--json` summary: the last line of stdout. */
export const summaryOf = <T = Record<string, unknown>>(r: Result): T =>
  JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!) as T;

export const readJson = <T = Record<string, unknown>>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** A run log's records. */
export const logRecords = (path: string): ({ type: string } & Record<string, unknown>)[] =>
  readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string } & Record<string, unknown>);
