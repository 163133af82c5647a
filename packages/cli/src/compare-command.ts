import type { Command } from 'commander';
import { problemsHelp } from './problem-setup.js';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration, formatRate } from 'rmsprop/train';
import { InterruptedError, RunFailedError, UsageError } from './cli-error.js';
import {
  addOutputFlags,
  addProblemFlags,
  addTrainingFlags,
  outFlag,
  readProblemFlags,
  readTrainingFlags,
  type Flags,
} from './command-flags.js';
import { integerFlag, rangeFlag, seedsFlag } from './flags.js';
import { finishedRun } from './finished-run.js';
import { Interrupt } from './interrupt.js';
import { bestRun, finalValue, logGrid } from './lr-grid.js';
import { optimizerChoices, slugOf, type OptimizerChoice } from './optimizer-spec.js';
import { Output } from './output.js';
import { divergedAt, type RunRecord } from './report/runs.js';
import { removeReport, writeReport } from './report/report.js';
import { formatTable, summarize } from './report/summary.js';
import { TimeEstimate } from './time-estimate.js';
import { checkpointPath, runInfoOf, trainRun, type RunPlan } from './training-run.js';
import { writeFileAtomic } from './write-file-atomic.js';

const EXAMPLES = `
--optimizers: specs NAME[:KEY=VALUE,…] separated by ';' (quote the list for the shell); bare names
may be separated by ','. The options of each are those of train's --optimizer:
  --optimizers rmsprop,adam,sgd
  --optimizers "rmsprop:lr=1e-3,decay=0.9;adam:lr=1e-3;sgd:lr=0.1,momentum=0.9"

--tune follows DeepOBS: for each optimizer, --grid-size learning rates spaced on a log scale over
--lr-range, each trained with the first seed; the best by final test metric (test loss without one)
is then trained with every seed. The table shows, per optimizer over the seeds: the final test metric
(mean ± sd), the best, the epoch that first reached --target (speed), wall time, and diverged runs.

Writes DIR/runs/OPTIMIZER/seed-N/ (run.json, log.jsonl), DIR/tune/OPTIMIZER/lr-X/ with --tune,
DIR/compare.json and the report DIR/report.html; the folders of the optimizers compared are replaced.

Ctrl-C stops at the end of the current step, writes a checkpoint in that run's folder and exits with
status 130; the same command with --resume keeps the runs already finished, continues the interrupted
one exactly where it stopped, trains the rest, then writes the summary and the report of them all.
Exit status: 0 done, 1 failed (or a run diverged, with --fail-on-divergence), 2 bad usage, 130 Ctrl-C.

Examples:
  $ rmsprop compare --problem mnist_cnn --optimizers rmsprop,adam,sgd --seeds 2 --epochs 3
  $ rmsprop compare --problem fmnist_mlp --optimizers "rmsprop:lr=1e-4;adam:lr=1e-4" --seeds 0,1,2 --target 0.85
  $ rmsprop compare --problem fmnist_mlp --optimizers "rmsprop:lr=1e-4;adam:lr=1e-4" --seeds 0,1,2 --target 0.85 --resume
  $ rmsprop compare --problem quadratic_deep --optimizers rmsprop,sgd --tune --grid-size 7 --lr-range 1e-4:1`;

export function addCompareCommand(program: Command): void {
  const cmd = program
    .command('compare')
    .description('compare optimizers over several seeds on one problem, optionally tuning their learning rates')
    .addHelpText('after', problemsHelp);
  addProblemFlags(cmd)
    .option('--optimizers <specs>', "the optimizers, ';'-separated specs (see below)", 'rmsprop,adam,sgd')
    .option('--seeds <n|list>', 'how many seeds (0 … N−1), or a comma-separated list of them', '3');
  addTrainingFlags(cmd)
    .option('--tune', 'tune each learning rate on a log-spaced grid first (DeepOBS protocol)')
    .option('--grid-size <n>', 'learning rates in the tuning grid', '5')
    .option('--lr-range <min:max>', 'the range of the tuning grid', '1e-4:1e-1')
    .option('--resume', 'after Ctrl-C, with the same flags and --out: keep the finished runs, go on with the rest');
  addOutputFlags(cmd, 'runs/compare-PROBLEM').addHelpText('after', EXAMPLES);
  cmd.action(async (o: Flags, c: Command) => compare(o, c));
}

interface Tuning {
  optimizer: string;
  lr: number;
  /** Each grid point's final test metric (or loss), null when it diverged. */
  grid: { lr: number; final: number | null; diverged: boolean }[];
}

async function compare(o: Flags, cmd: Command): Promise<void> {
  const flags = readProblemFlags(o);
  const training = readTrainingFlags(o, flags.problem);
  const optimizers = optimizerChoices('--optimizers', o.optimizers as string, {
    flavor: flags.flavor,
    defaults: flags.optimizerDefaults,
  });
  const seeds = seedsFlag('--seeds', o.seeds as string);
  const tune = o.tune === true;
  for (const [key, flag] of [
    ['gridSize', '--grid-size'],
    ['lrRange', '--lr-range'],
  ] as const)
    if (!tune && cmd.getOptionValueSource(key) === 'cli') throw new UsageError(`${flag} needs --tune`);
  const fixed = tune ? optimizers.find((c) => c.setsLr) : undefined;
  if (fixed)
    throw new UsageError(`--optimizers '${fixed.label}': --tune searches the learning rate; leave it out of the spec`);
  const gridSize = integerFlag('--grid-size', o.gridSize as string, 2);
  const [lo, hi] = rangeFlag('--lr-range', o.lrRange as string);
  const out = outFlag(o, join('runs', `compare-${flags.problem.name}`));
  const resume = o.resume === true;
  const output = new Output(o);
  // Only this comparison's own folders: --out may be a folder that holds other runs (`--out .` beside runs/).
  const folders = (sub: string): string[] => optimizers.map((c) => join(out, sub, slugOf(c.label)));
  if (!resume) {
    for (const folder of [...folders('runs'), ...folders('tune')]) rmSync(folder, { recursive: true, force: true });
    rmSync(join(out, 'compare.json'), { force: true });
    removeReport(out);
  }

  const interrupt = new Interrupt().listen();
  const runsPerOptimizer = seeds.length + (tune ? gridSize : 0);
  const estimate = new TimeEstimate({
    runs: optimizers.length * runsPerOptimizer,
    tuning: tune ? optimizers.length * gridSize : 0,
    epochs: training.epochs,
    shorten: ['--epochs', '--seeds', ...(tune ? ['--grid-size'] : [])],
  });
  const common = { ...flags, ...training, bar: output.bar, stream: output.stream, estimate, interrupt };
  const began = performance.now();
  let started = 0;
  // With --resume, a run an earlier session finished is kept as it is, and the one Ctrl-C stopped goes
  // on from its checkpoint (as `train --resume` does); the others train from the start.
  const run = async (p: Omit<RunPlan, keyof typeof common | 'runsAfter'>): Promise<RunRecord> => {
    const plan: RunPlan = { ...common, ...p, runsAfter: estimate.job.runs - ++started };
    const kept = resume ? finishedRun(plan.dir, runInfoOf(plan)) : null;
    if (kept) {
      output.line(`${plan.label}: finished earlier, kept`);
      return kept;
    }
    const r = await trainRun({ ...plan, resume: resume && existsSync(checkpointPath(plan)) });
    if (r.interrupted)
      throw new InterruptedError(
        `interrupted during ${plan.label}; checkpoint in ${r.checkpoint}: run the same command with --resume to continue`,
      );
    // Its epoch lines stop there: say why, for a search rate as for a seed.
    if (r.record.diverged) output.line(`${plan.label}  diverged at step ${divergedAt(r.record)}`);
    return r.record;
  };
  // In the order the optimizers and the seeds were given.
  const runs: RunRecord[] = [];
  const tuneRuns: RunRecord[] = [];
  const tuned: Tuning[] = [];
  for (const optimizer of optimizers) {
    const lr = tune ? await tuneRate(optimizer, seeds[0]!, logGrid(lo, hi, gridSize)) : undefined;
    for (const seed of seeds) {
      const dir = join(out, 'runs', slugOf(optimizer.label), `seed-${seed}`);
      runs.push(await run({ command: 'compare', optimizer, seed, dir, label: `${optimizer.label} seed ${seed}`, lr }));
    }
  }

  async function tuneRate(optimizer: OptimizerChoice, seed: number, grid: number[]): Promise<number> {
    const results: RunRecord[] = [];
    for (const lr of grid) {
      const dir = join(out, 'tune', slugOf(optimizer.label), `lr-${formatRate(lr)}`);
      results.push(
        await run({ command: 'tune', optimizer, seed, lr, dir, label: `${optimizer.label} lr ${formatRate(lr)}` }),
      );
    }
    tuneRuns.push(...results);
    const best = grid[bestRun(results)]!;
    // bestRun falls back on the first rate, the smallest, when none gave a final value: say so.
    const none = results.every((r) => finalValue(r) === null);
    const chosen = none
      ? `every rate diverged, going on with the smallest, ${formatRate(best)}`
      : `lr ${formatRate(best)}`;
    output.line(`tuned ${optimizer.label}: ${chosen} (grid ${grid.map(formatRate).join(', ')}, seed ${seed})`);
    tuned.push({
      optimizer: optimizer.label,
      lr: best,
      grid: results.map((r, i) => ({ lr: grid[i]!, final: finalValue(r), diverged: r.diverged })),
    });
    return best;
  }

  const summaries = summarize(runs);
  output.line('');
  output.line(formatTable(summaries));
  const summaryPath = join(out, 'compare.json');
  await writeFileAtomic(
    summaryPath,
    `${JSON.stringify(
      {
        format: 'rmsprop-compare/1',
        problem: flags.problem.name,
        epochs: training.epochs,
        batchSize: flags.batchSize,
        seeds,
        ...(training.target === undefined ? {} : { target: training.target }),
        optimizers: optimizers.map((c) => ({ optimizer: c.label, options: c.options })),
        ...(tune ? { tuning: tuned } : {}),
        summaries,
      },
      null,
      2,
    )}\n`,
  );
  const { html } = await writeReport(out, {
    runs: [...runs, ...tuneRuns],
    title: `${flags.problem.name}: ${optimizers.map((c) => c.label).join(' vs ')}, ${seeds.length} seed(s)`,
  });
  output.line(`summary: ${summaryPath}`);
  output.line(`report: ${html}`);
  output.line(`time: ${formatDuration((performance.now() - began) / 1000)}`);
  output.summary({
    command: 'compare',
    problem: flags.problem.name,
    out,
    report: html,
    summary: summaryPath,
    ...(tune ? { tuning: tuned } : {}),
    optimizers: summaries,
  });
  const diverged = runs.filter((r) => r.diverged);
  if (diverged.length > 0 && training.failOnDivergence)
    throw new RunFailedError(`${diverged.length} run(s) diverged: ${diverged.map((r) => r.dir).join(', ')}`);
}
