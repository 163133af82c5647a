import { existsSync, statSync } from 'node:fs';
import { DataFileError } from 'rmsprop/data';
import { FASHION_MNIST_FOLDER } from 'rmsprop/data/node';
import { problems, setupProblem, type Problem, type ProblemRun } from 'rmsprop/train';
import { UsageError } from './cli-error.js';

export const PROBLEM_NAMES = Object.keys(problems);

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
