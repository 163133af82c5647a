import type { Command } from 'commander';
import { problemsHelp } from './problem-setup.js';
import { join } from 'node:path';
import { formatDuration } from 'rmsprop/train';
import { InterruptedError, RunFailedError } from './cli-error.js';
import {
  addOutputFlags,
  addProblemFlags,
  addTrainingFlags,
  outFlag,
  readProblemFlags,
  readTrainingFlags,
  type Flags,
} from './command-flags.js';
import { integerFlag } from './flags.js';
import { Interrupt } from './interrupt.js';
import { optimizerChoice, slugOf } from './optimizer-spec.js';
import { Output } from './output.js';
import { divergence } from './report/runs.js';
import { writeReport } from './report/report.js';
import { TimeEstimate } from './time-estimate.js';
import { trainRun } from './training-run.js';

const EXAMPLES = `
Optimizer spec: NAME[:KEY=VALUE,…], e.g. rmsprop:lr=1e-3,decay=0.9,momentum=0.9,centered=true
  ours:    rmsprop, adam, adamw, sgd, adagrad, adadelta (options in the library's names:
           lr, decay, eps, momentum, centered, weightDecay, clipNorm, ema, … — an unknown one lists them)
  flavors: --flavor pytorch|keras|tf1|tfjs|optax takes that framework's names and defaults
           (--flavor keras --optimizer rmsprop:learning_rate=1e-3,rho=0.9,use_ema=True)

Ctrl-C stops at the end of the current step, writes a checkpoint (to --checkpoint DIR, else --out DIR)
and exits with status 130; the same command with --resume continues exactly where it stopped.
Exit status: 0 done, 1 failed (or diverged, with --fail-on-divergence), 2 bad usage, 130 interrupted.

Examples:
  $ rmsprop train --problem mnist_cnn --optimizer rmsprop:lr=1e-3 --epochs 5
  $ rmsprop train --problem fmnist_2c2d --optimizer adam --schedule cosine --checkpoint ckpt/
  $ rmsprop train --problem fmnist_2c2d --optimizer adam --schedule cosine --checkpoint ckpt/ --resume
  $ rmsprop train --problem quadratic_deep --flavor pytorch --optimizer rmsprop:lr=0.01,alpha=0.99 --json
  $ rmsprop train --problem fmnist_mlp --data ~/fashion-mnist --limit 2000 --epochs 2`;

export function addTrainCommand(program: Command): void {
  const cmd = program
    .command('train')
    .description('train one optimizer on a reference problem, with a live progress bar, a run log and a report')
    .addHelpText('after', problemsHelp);
  addProblemFlags(cmd)
    .option('--optimizer <spec>', 'the optimizer and its options (see below)', 'rmsprop')
    .option('--seed <n>', 'seeds the initialisation and the order of the batches', '0');
  addTrainingFlags(cmd)
    .option('--checkpoint <dir>', 'write a checkpoint there at the end of every epoch (and on Ctrl-C)')
    .option('--resume', 'continue from the checkpoint in --checkpoint DIR (else --out DIR)');
  addOutputFlags(cmd, 'runs/train-PROBLEM-OPTIMIZER-seed-N').addHelpText('after', EXAMPLES);
  cmd.action(async (o: Flags) => train(o));
}

async function train(o: Flags): Promise<void> {
  const flags = readProblemFlags(o);
  const training = readTrainingFlags(o, flags.problem);
  const optimizer = optimizerChoice('--optimizer', o.optimizer as string, {
    flavor: flags.flavor,
    defaults: flags.optimizerDefaults,
  });
  const seed = integerFlag('--seed', o.seed as string, 0);
  const dir = outFlag(o, join('runs', `train-${flags.problem.name}-${slugOf(optimizer.label)}-seed-${seed}`));
  const output = new Output(o);
  const interrupt = new Interrupt().listen();
  const r = await trainRun({
    ...flags,
    ...training,
    command: 'train',
    optimizer,
    seed,
    dir,
    ...(typeof o.checkpoint === 'string' ? { checkpoints: o.checkpoint } : {}),
    resume: o.resume === true,
    bar: output.bar,
    stream: output.stream,
    estimate: new TimeEstimate({ runs: 1, tuning: 0, epochs: training.epochs, shorten: ['--epochs'] }),
    runsAfter: 0,
    interrupt,
  });

  const title = `${flags.problem.name}: ${optimizer.label}, seed ${seed}`;
  const { html: report } = await writeReport(dir, { runs: [r.record], title });
  if (r.stopped && !r.interrupted) output.line(`stopped: ${r.stopped.message}`);
  output.line(`run log: ${join(dir, 'log.jsonl')}`);
  output.line(`report: ${report}`);
  output.line(`time: ${formatDuration(r.seconds)}`);
  output.summary({
    command: 'train',
    problem: flags.problem.name,
    optimizer: optimizer.label,
    options: r.info.options,
    seed,
    epochs: training.epochs,
    out: dir,
    report,
    checkpoint: r.checkpoint,
    final: r.last,
    diverged: r.record.diverged,
    interrupted: r.interrupted,
    stopped: r.stopped,
    seconds: r.seconds,
    parameters: r.parameters,
  });
  if (r.interrupted)
    throw new InterruptedError(
      `interrupted; checkpoint in ${r.checkpoint}: run the same command with --resume to continue`,
    );
  if (r.record.diverged && training.failOnDivergence)
    throw new RunFailedError(`the run diverged: ${divergence(r.record)}`);
}
