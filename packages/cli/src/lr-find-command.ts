import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fit, formatRate, formatValue, learningRateSchedule, parametersOf, type Callback } from 'rmsprop/train';
import { InterruptedError, UsageError } from './cli-error.js';
import { addOutputFlags, addProblemFlags, outFlag, readProblemFlags, type Flags } from './command-flags.js';
import { choiceFlag, integerFlag, positiveFlag } from './flags.js';
import { Interrupt } from './interrupt.js';
import { DIVERGED, methodDescription, smoother, suggest, SUGGEST_METHODS, sweepRate } from './lr-range.js';
import { optimizerChoice, slugOf } from './optimizer-spec.js';
import { Output } from './output.js';
import { problemsHelp, setup } from './problem-setup.js';
import { writeReport } from './report/report.js';
import { LR_FIND_FORMAT, type LrFindResult } from './report/runs.js';
import { writeFileAtomic } from './write-file-atomic.js';

const EXAMPLES = `
The learning-rate range test (Smith 2017; fastai's lr_find): the learning rate grows exponentially from
--min-lr to --max-lr over --steps steps (on as many epochs as that takes) while the training loss is
recorded, and smoothed by an exponential average with bias correction (β = 0.98). The sweep stops early
once the smoothed loss exceeds ${DIVERGED}× its best. Suggested rate: 'steepest' (default), where the smoothed loss
falls fastest against log(lr) before its minimum; 'min10', a tenth of the rate at the minimum.
Writes DIR/lr-find.json and the report DIR/report.html. Exit status: 0 done, 2 bad usage, 130 Ctrl-C.

Examples:
  $ rmsprop lr-find --problem mnist_cnn --optimizer rmsprop
  $ rmsprop lr-find --problem fmnist_mlp --optimizer sgd:momentum=0.9 --min-lr 1e-5 --max-lr 1 --steps 200
  $ rmsprop lr-find --problem mnist_logreg --optimizer adam --suggest min10 --json`;

export function addLrFindCommand(program: Command): void {
  const cmd = program
    .command('lr-find')
    .description('find a learning rate with the range test: loss against an exponentially growing rate')
    .addHelpText('after', problemsHelp);
  addProblemFlags(cmd)
    .option('--optimizer <spec>', "the optimizer and its options, as train's (its lr is swept)", 'rmsprop')
    .option('--seed <n>', 'seeds the initialisation and the order of the batches', '0')
    .option('--min-lr <x>', 'the first learning rate', '1e-7')
    .option('--max-lr <x>', 'the last learning rate', '10')
    .option('--steps <n>', 'steps of the sweep', '300')
    .option('--suggest <method>', `how to suggest a rate: ${SUGGEST_METHODS.join(', ')}`, 'steepest');
  addOutputFlags(cmd, 'runs/lr-find-PROBLEM-OPTIMIZER').addHelpText('after', EXAMPLES);
  cmd.action(async (o: Flags) => lrFind(o));
}

async function lrFind(o: Flags): Promise<void> {
  const flags = readProblemFlags(o);
  const optimizer = optimizerChoice('--optimizer', o.optimizer as string, {
    flavor: flags.flavor,
    defaults: flags.optimizerDefaults,
  });
  const seed = integerFlag('--seed', o.seed as string, 0);
  const minLr = positiveFlag('--min-lr', o.minLr as string);
  const maxLr = positiveFlag('--max-lr', o.maxLr as string);
  if (maxLr <= minLr) throw new UsageError(`--max-lr must be larger than --min-lr (${minLr}), got ${maxLr}`);
  const steps = integerFlag('--steps', o.steps as string, 2);
  const method = choiceFlag('--suggest', o.suggest as string, SUGGEST_METHODS);
  const out = outFlag(o, join('runs', `lr-find-${flags.problem.name}-${slugOf(optimizer.label)}`));
  const output = new Output(o);

  // Listening from before the data loads, so that Ctrl-C then too ends the sweep at its first step.
  const interrupt = new Interrupt().listen();
  const run = await setup(flags.problem, { ...flags, seed });
  const opt = optimizer.create(parametersOf(run.model));
  const lrs: number[] = [];
  const losses: number[] = [];
  // Smoothed as the losses come, in constant time a step: a long sweep stays linear in --steps.
  const smoothing = smoother();
  const smoothed: number[] = [];
  let best = Infinity;
  const record: Callback = {
    name: 'rangeTest',
    // Before the update: a loss that blew up (or NaN) ends the sweep without a step on it.
    onLoss(ctx, loss) {
      if (!Number.isFinite(loss))
        return ctx.stop('rangeTest', `the loss is ${loss} at lr ${formatRate(ctx.optimizer.lr)}`);
      lrs.push(ctx.optimizer.lr);
      losses.push(loss);
      const current = smoothing(loss);
      smoothed.push(current);
      best = Math.min(best, current);
      if (current > DIVERGED * best)
        ctx.stop(
          'rangeTest',
          `the smoothed loss ${formatValue(current)} passed ${DIVERGED}× its best at lr ${formatRate(ctx.optimizer.lr)}`,
        );
    },
    async onStepEnd(ctx) {
      if (await interrupt.came()) ctx.stop('interrupt', 'interrupted by Ctrl-C');
      else if (ctx.step >= steps) ctx.stop('rangeTest', `swept ${steps} steps`);
    },
  };
  output.line(
    `sweeping ${steps} steps, lr ${formatRate(minLr)} to ${formatRate(maxLr)}; Ctrl-C stops, writing nothing`,
  );
  const history = await fit(run.model, opt, {
    ...run,
    test: undefined,
    epochs: Math.ceil(steps / run.train.length),
    seed,
    callbacks: [learningRateSchedule(sweepRate(minLr, maxLr, steps)), record],
    // A sweep, not epochs of training: it says what it does in its own lines.
    verbose: 0,
  });
  if (history.stopped?.by === 'interrupt') throw new InterruptedError('interrupted; nothing written');

  const suggestion = suggest(lrs, smoothed, method);
  const result: LrFindResult = {
    format: LR_FIND_FORMAT,
    problem: flags.problem.name,
    optimizer: optimizer.label,
    options: optimizer.options,
    seed,
    minLr,
    maxLr,
    lrs,
    losses,
    smoothed,
    suggestion,
    method,
  };
  mkdirSync(out, { recursive: true });
  const path = join(out, 'lr-find.json');
  await writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`);
  const { html } = await writeReport(out, {
    lrFind: result,
    title: `${flags.problem.name}: ${optimizer.label}, lr range test`,
  });
  output.line(`${history.stopped?.message ?? `swept ${lrs.length} steps`}; ${lrs.length} losses recorded`);
  output.line(`suggested lr: ${formatRate(suggestion)} (${methodDescription[method]})`);
  output.line(`result: ${path}`);
  output.line(`report: ${html}`);
  output.summary({
    command: 'lr-find',
    problem: flags.problem.name,
    optimizer: optimizer.label,
    out,
    result: path,
    report: html,
    steps: lrs.length,
    suggestion,
    method,
  });
}
