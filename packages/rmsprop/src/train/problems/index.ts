export { setupProblem, limited, type Problem, type ProblemData, type ProblemDataOptions } from './problem.js';
export type { ProblemRun, SetupOptions } from './problem.js';
export { NoisyQuadratic, LastStepLSTM, LastStepGRU, CharLSTM } from './modules.js';
export { quadraticDeep } from './quadratic-deep.js';
export { mnistLogreg } from './mnist-logreg.js';
export { mnistCnn } from './mnist-cnn.js';
export { fmnistMlp } from './fmnist-mlp.js';
export { fmnist2c2d, type Fmnist2c2dOptions } from './fmnist-2c2d.js';
export { fmnistLstm } from './fmnist-lstm.js';
export { fmnistGru } from './fmnist-gru.js';
export { textLstm, type TextLstmOptions } from './text-lstm.js';
export { adding, type AddingOptions } from './adding.js';
export { SONNETS } from './sonnets.js';

import { adding } from './adding.js';
import { fmnist2c2d } from './fmnist-2c2d.js';
import { fmnistGru } from './fmnist-gru.js';
import { fmnistLstm } from './fmnist-lstm.js';
import { fmnistMlp } from './fmnist-mlp.js';
import { mnistCnn } from './mnist-cnn.js';
import { mnistLogreg } from './mnist-logreg.js';
import type { Problem } from './problem.js';
import { quadraticDeep } from './quadratic-deep.js';
import { textLstm } from './text-lstm.js';

/** The reference problems with their default settings, by name. */
export const problems = {
  quadratic_deep: quadraticDeep(),
  mnist_logreg: mnistLogreg(),
  mnist_cnn: mnistCnn(),
  fmnist_mlp: fmnistMlp(),
  fmnist_2c2d: fmnist2c2d(),
  fmnist_lstm: fmnistLstm(),
  fmnist_gru: fmnistGru(),
  text_lstm: textLstm(),
  adding: adding(),
} as const satisfies Record<string, Problem>;

export type ProblemName = keyof typeof problems;
