import type { Command } from 'commander';
import { FASHION_MNIST_FOLDER } from 'rmsprop/data/node';
import { getThreads, setThreads, threadsAvailable } from 'rmsprop/kernels';
import type { Flavor } from 'rmsprop/optim';
import type { Problem } from 'rmsprop/train';
import { UsageError } from './cli-error.js';
import { choiceFlag, integerFlag, numberFlag, positiveFlag } from './flags.js';
import { FLAVORS } from './optimizer-spec.js';
import { dataFolder, PROBLEM_NAMES, problemChoice } from './problem-setup.js';
import { scheduleChoice, type ScheduleChoice } from './schedule-spec.js';

// The flags the commands share, declared once, and their reading into checked values.

/** Commander's parsed flags: strings, and true for switches. */
export type Flags = Record<string, string | boolean | undefined>;

const text = (o: Flags, key: string): string | undefined =>
  typeof o[key] === 'string' ? (o[key] as string) : undefined;

export function addProblemFlags(cmd: Command): Command {
  return cmd
    .option('--problem <name>', `the reference problem: ${PROBLEM_NAMES.join(', ')}`, 'mnist_cnn')
    .option('--batch-size <n>', "examples per batch (default: the problem's)")
    .option('--limit <n>', 'at most N examples in each split, for quick runs')
    .option('--data <dir>', `the Fashion-MNIST folder for the fmnist_* problems (default: ${FASHION_MNIST_FOLDER})`)
    .option('--flavor <name>', `write optimizer options in a framework's names: ${FLAVORS.join(', ')}`)
    .option('--clip-norm <x>', 'rescale the gradients to a joint L2 norm of at most X (globalClipNorm)')
    .option(
      '--threads <n>',
      `threads the kernels use; results do not depend on it (default: RMSPROP_THREADS, else the cores, ${getThreads()} here)`,
    );
}

export function addTrainingFlags(cmd: Command): Command {
  return cmd
    .option('--epochs <n>', "epochs to train (default: the problem's)")
    .option(
      '--schedule <spec>',
      'a learning-rate schedule per step: cosine, step:stepSize=1000,gamma=0.5, oneCycle:maxLr=0.01, ' +
        'OneCycleLR:max_lr=0.01,total_steps=5000 (PyTorch names); a warm-up of N steps first with warmup=N ' +
        'among the options of any (cosine:warmup=500)',
    )
    .option(
      '--target <x>',
      'the test accuracy (a fraction: 0.9), or test loss without a metric, whose first reaching counts as speed',
    )
    .option('--fail-on-divergence', 'exit with status 1 when a run diverges (NaN or infinite loss)');
}

export function addOutputFlags(cmd: Command, out: string): Command {
  return cmd
    .option('--out <dir>', `where to write the runs and the report (default: ${out})`)
    .option('--json', 'print a machine-readable summary as the last line of stdout')
    .option('--quiet', 'no live progress bar (epoch lines only, as when stdout is not a terminal)')
    .option('--verbose', 'print the stack trace of an error');
}

export interface ProblemFlags {
  problem: Problem;
  batchSize: number;
  limit?: number;
  data?: string;
  flavor?: Flavor;
  /** Options every optimizer gets from the command's flags (`--clip-norm`). */
  optimizerDefaults: Record<string, unknown>;
}

export function readProblemFlags(o: Flags): ProblemFlags {
  const problem = problemChoice('--problem', text(o, 'problem')!);
  const batchSize = text(o, 'batchSize');
  const limit = text(o, 'limit');
  const data = text(o, 'data');
  const flavor = text(o, 'flavor');
  const clipNorm = text(o, 'clipNorm');
  const threads = text(o, 'threads');
  if (threads !== undefined) {
    const n = integerFlag('--threads', threads, 1);
    if (n > 64 || (n > 1 && !threadsAvailable))
      throw new UsageError(
        `--threads must be ${threadsAvailable ? 'an integer from 1 to 64' : '1 in this runtime'}, got ${n}`,
      );
    setThreads(n);
  }
  return {
    problem,
    batchSize: batchSize === undefined ? problem.batchSize : integerFlag('--batch-size', batchSize, 1),
    ...(limit === undefined ? {} : { limit: integerFlag('--limit', limit, 1) }),
    ...(data === undefined ? {} : { data: dataFolder('--data', data, problem) }),
    ...(flavor === undefined ? {} : { flavor: choiceFlag('--flavor', flavor, FLAVORS) }),
    optimizerDefaults: clipNorm === undefined ? {} : { globalClipNorm: positiveFlag('--clip-norm', clipNorm) },
  };
}

export interface TrainingFlags {
  epochs: number;
  schedule?: ScheduleChoice;
  target?: number;
  failOnDivergence: boolean;
}

export function readTrainingFlags(o: Flags, problem: Problem): TrainingFlags {
  const epochs = text(o, 'epochs');
  const schedule = text(o, 'schedule');
  const target = text(o, 'target');
  return {
    epochs: epochs === undefined ? problem.epochs : integerFlag('--epochs', epochs, 1),
    ...(schedule === undefined ? {} : { schedule: scheduleChoice('--schedule', schedule) }),
    ...(target === undefined ? {} : { target: targetFlag(target, problem) }),
    failOnDivergence: o.failOnDivergence === true,
  };
}

/** `--target`: an accuracy is a fraction, and 96 (meant as percent) would never be reached. */
function targetFlag(value: string, problem: Problem): number {
  const target = numberFlag('--target', value);
  if (problem.metric?.name === 'accuracy' && !(target > 0 && target <= 1))
    throw new UsageError(
      `--target must be a test accuracy in (0, 1] for ${problem.name}, e.g. 0.9, got ${JSON.stringify(value)}`,
    );
  return target;
}

/** Where a command writes: `--out`, or its default. */
export const outFlag = (o: Flags, fallback: string): string => {
  const out = text(o, 'out');
  if (out === '') throw new UsageError('--out must be a folder, got ""');
  return out ?? fallback;
};
