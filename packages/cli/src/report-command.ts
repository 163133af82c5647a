import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './cli-error.js';
import { addOutputFlags, outFlag, type Flags } from './command-flags.js';
import { Output } from './output.js';
import { readLrFind, readRuns } from './report/runs.js';
import { writeReport } from './report/report.js';

const EXAMPLES = `
Each RUN_DIR is a run directory (run.json and log.jsonl, as train writes), a folder searched for them
(as compare's --out), or an lr-find folder (lr-find.json). Exit status: 0 done, 2 bad usage.

Examples:
  $ rmsprop report runs/train-mnist_cnn-rmsprop-seed-0
  $ rmsprop report runs/compare-mnist_cnn --out report/
  $ rmsprop report runs/a runs/b --out report/ --json`;

export function addReportCommand(program: Command): void {
  const cmd = program
    .command('report')
    .description('write the report (HTML page and SVG plots) of finished runs')
    .argument('<RUN_DIR...>', 'run directories, folders holding them, or lr-find folders');
  addOutputFlags(cmd, 'the first RUN_DIR').addHelpText('after', EXAMPLES);
  cmd.action(async (paths: string[], o: Flags) => report(paths, o));
}

/** Reads what the user named: a folder with no runs, or a malformed file, is bad input. */
function fromUser<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new UsageError(`RUN_DIR: ${(e as Error).message}`, { cause: e });
  }
}

async function report(paths: string[], o: Flags): Promise<void> {
  const missing = paths.find((p) => !existsSync(p));
  if (missing !== undefined) throw new UsageError(`RUN_DIR ${missing}: no such file or folder`);
  // A RUN_DIR may name the run.json or lr-find.json itself: the report then goes beside it.
  const first = paths[0]!;
  const out = outFlag(o, statSync(first).isDirectory() ? first : dirname(first));
  const lrFinds = paths.map((p) => ({ path: p, lrFind: fromUser(() => readLrFind(p)) }));
  const tests = lrFinds.filter((f) => f.lrFind);
  // A report has one range-test section: a second would be dropped without a word.
  if (tests.length > 1)
    throw new UsageError(
      `RUN_DIR: one lr-find folder per report, got ${tests.map((f) => f.path).join(' and ')}; report them apart`,
    );
  const lrFind = tests[0]?.lrFind ?? undefined;
  const runPaths = lrFinds.filter((f) => !f.lrFind).map((f) => f.path);
  const runs = runPaths.length > 0 ? fromUser(() => readRuns(runPaths)) : undefined;
  const written = await writeReport(out, { ...(runs ? { runs } : {}), ...(lrFind ? { lrFind } : {}) });
  const output = new Output(o);
  output.line(`report: ${written.html}`);
  output.summary({ command: 'report', report: written.html, svgs: written.svgs, runs: runs?.length ?? 0 });
}
