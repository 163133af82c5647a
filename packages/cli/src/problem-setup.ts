import { existsSync, statSync } from 'node:fs';
import { DataFileError } from 'rmsprop/data';
import { FASHION_MNIST_FOLDER } from 'rmsprop/data/node';
import { problems, setupProblem, type Problem, type ProblemRun } from 'rmsprop/train';
import { UsageError } from './cli-error.js';
import { about } from './format.js';

export const PROBLEM_NAMES = Object.keys(problems);

// Seconds per epoch at the problem's batch size on a 2-core machine, one thread, test set included
// (measured 2026-12-07 on an AMD EPYC Zen 4: `node` timing a few steps times the steps of an epoch;
// fmnist_gru is fmnist_lstm's figure times the ratio of their steps, 0.78, timed side by side).
const EPOCH_SECONDS: Readonly<Record<string, number>> = {
  quadratic_deep: 0.1,
  mnist_logreg: 1,
  mnist_cnn: 2,
  fmnist_mlp: 25,
  fmnist_2c2d: 330,
  fmnist_lstm: 60,
  fmnist_gru: 47,
  text_lstm: 0.5,
  adding: 30,
};

/** The problems with their defaults and how long they take, for `--help`: a default run can take hours. */
export function problemsHelp(): string {
  const rows = Object.values(problems as Readonly<Record<string, Problem>>).map((p) => {
    const epoch = EPOCH_SECONDS[p.name];
    const whole = epoch === undefined ? '' : `; an epoch ${about(epoch)}, the default run ${about(epoch * p.epochs)}`;
    return `  ${p.name.padEnd(15)} ${p.epochs} epochs, batch ${p.batchSize}${whole}`;
  });
  return `\nProblems (defaults; times on 2 cores, one run of one seed):\n${rows.join('\n')}\n`;
}

/** `--problem`: a reference problem of rmsprop/train by name. */
export function problemChoice(flag: string, name: string): Problem {
  const problem = (problems as Readonly<Record<string, Problem>>)[name];
  if (!problem)
    throw new UsageError(`${flag}: unknown problem '${name}'; valid problems are ${PROBLEM_NAMES.join(', ')}`);
  return problem;
}

/** `--data`: a folder that exists, for a problem that reads one (the others would pass it over). */
export function dataFolder(flag: string, folder: string, problem: Problem): string {
  if (!problem.name.startsWith('fmnist_'))
    throw new UsageError(
      `${flag} ${folder}: only the fmnist_* problems read a data folder; ${problem.name} has its data built in`,
    );
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(
      `${flag} ${folder}: no such folder; give the folder that holds Fashion-MNIST's four IDX files ` +
        `(train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, plain or .gz)`,
    );
  return folder;
}

export interface SetupSettings {
  seed: number;
  batchSize: number;
  /** Examples per split. */
  limit?: number;
  /** Where Fashion-MNIST is (`--data`). */
  data?: string;
}

/**
 * The problem made ready to train. A data set that is not there (Fashion-MNIST not installed) is bad
 * input: the error says where it was looked for and how to get it.
 */
export async function setup(problem: Problem, s: SetupSettings): Promise<ProblemRun> {
  try {
    return await setupProblem(problem, {
      seed: s.seed,
      batchSize: s.batchSize,
      ...(s.limit === undefined ? {} : { limit: s.limit }),
      ...(s.data === undefined ? {} : { folder: s.data }),
    });
  } catch (e) {
    if (!(e instanceof DataFileError)) throw e;
    if (existsSync(e.file)) throw new UsageError(`${problem.name}: ${e.message}`, { cause: e });
    const folder = s.data ?? FASHION_MNIST_FOLDER;
    throw new UsageError(
      `${problem.name}: the data set is not installed: ${e.file} is missing (looked in ${folder}` +
        `${s.data === undefined ? ', the default' : ', from --data'}); install Fashion-MNIST with ` +
        '`apt-get install dataset-fashion-mnist`, or pass --data DIR with its four IDX files',
      { cause: e },
    );
  }
}
