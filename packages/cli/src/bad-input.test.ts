import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './test-support.js';

/** Runs a command that must be refused: status 2, nothing trained, and exactly this one line on stderr. */
function refused(args: string[], line: string | RegExp): void {
  const r = cli(args);
  expect(r.status).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(r.stdout).not.toMatch(/^epoch /m);
}

describe('bad input: one clear line on stderr and status 2', { timeout: 30_000 }, () => {
  it('an unknown problem lists the valid ones', () => {
    refused(
      ['train', '--problem', 'mnist_mlp'],
      "rmsprop train: --problem: unknown problem 'mnist_mlp'; valid problems are quadratic_deep, mnist_logreg, " +
        'mnist_cnn, fmnist_mlp, fmnist_2c2d, fmnist_lstm, fmnist_gru, text_lstm, adding',
    );
  });

  it('an unknown optimizer lists the valid ones (of the flavor, with one)', () => {
    refused(
      ['train', '--optimizer', 'rmsporp'],
      "rmsprop train: --optimizer: unknown optimizer 'rmsporp'; valid optimizers are adadelta, adagrad, adam, adamw, rmsprop, sgd",
    );
    refused(
      ['compare', '--flavor', 'tf1', '--optimizers', 'rmsprop:learning_rate=0.01;nadam'],
      /^rmsprop compare: --optimizers: unknown optimizer 'nadam'; valid optimizers of the tf1 flavor are .*\bmomentum\b.*\brmsprop\b/,
    );
  });

  it("an unknown optimizer option lists that optimizer's options", () => {
    refused(
      ['train', '--optimizer', 'sgd:lr=0.1,mometum=0.9'],
      'rmsprop train: --optimizer "sgd:lr=0.1,mometum=0.9": SGD: unknown option \'mometum\'; known options are ' +
        'backend, clipNorm, clipValue, dampening, decoupledWeightDecay, ema, emaOverwriteEvery, globalClipNorm, lr, ' +
        'lrInMomentum, maximize, momentum, nesterov, nonFinite, weightDecay',
    );
  });

  it("under a flavor, an option in our names is unknown and the framework's names are listed", () => {
    refused(
      ['train', '--flavor', 'keras', '--optimizer', 'rmsprop:decay=0.9'],
      /^rmsprop train: --optimizer "rmsprop:decay=0\.9": RMSprop \(keras flavor\): unknown option 'decay'; known options are .*\blearning_rate\b.*\brho\b/,
    );
  });

  it('an option value out of range says what is allowed', () => {
    refused(
      ['train', '--optimizer', 'rmsprop:decay=1.5'],
      'rmsprop train: --optimizer "rmsprop:decay=1.5": RMSprop: decay must be a finite number in [0, 1), got 1.5',
    );
  });

  it('an option without a value is refused', () => {
    refused(
      ['train', '--optimizer', 'adam:lr'],
      'rmsprop train: --optimizer "adam:lr": each option must be KEY=VALUE, got "lr"',
    );
  });

  it('optimizers with options must be separated by semicolons', () => {
    refused(
      ['compare', '--optimizers', 'rmsprop,adam:lr=1e-3'],
      /^rmsprop compare: --optimizers: unknown optimizer 'rmsprop,adam' \(separate optimizers with ';' when any has options\)/,
    );
    refused(
      ['compare', '--optimizers', 'rmsprop:lr=1e-3,adam:lr=1e-3'],
      `rmsprop compare: --optimizers "rmsprop:lr=1e-3,adam:lr=1e-3": 'adam:lr' starts another optimizer; separate optimizers with ';' ("rmsprop:lr=1e-3;adam:lr=1e-3")`,
    );
  });

  it('a bad number names the flag, the value and what is allowed', () => {
    refused(['train', '--epochs', 'ten'], 'rmsprop train: --epochs must be an integer ≥ 1, got "ten"');
    refused(['train', '--batch-size', '0'], 'rmsprop train: --batch-size must be an integer ≥ 1, got "0"');
    refused(['train', '--clip-norm', '-1'], 'rmsprop train: --clip-norm must be a number > 0, got "-1"');
    refused(
      ['lr-find', '--min-lr', '1e-2', '--max-lr', '1e-3'],
      'rmsprop lr-find: --max-lr must be larger than --min-lr (0.01), got 0.001',
    );
  });

  it('bad seeds say what a seed list is', () => {
    refused(
      ['compare', '--seeds', '1,x'],
      'rmsprop compare: --seeds must be a count N ≥ 1 (seeds 0 … N−1) or a comma-separated list of integers, e.g. 0,7,42, got "1,x"',
    );
  });

  it('a --data folder that does not exist', () => {
    refused(
      ['train', '--problem', 'fmnist_mlp', '--data', '/no/such/folder'],
      /^rmsprop train: --data \/no\/such\/folder: no such folder; give the folder that holds Fashion-MNIST's four IDX files/,
    );
  });

  it('a --data folder for a problem that reads none', () => {
    refused(
      ['train', '--problem', 'mnist_cnn', '--data', tempDir()],
      /^rmsprop train: --data \S+: only the fmnist_\* problems read a data folder; mnist_cnn has its data built in$/,
    );
  });

  it('a data set that is missing says where it was looked for and how to install it', () => {
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    refused(
      ['train', '--problem', 'fmnist_2c2d', '--data', empty],
      `rmsprop train: fmnist_2c2d: the data set is not installed: ${join(empty, 'train-images-idx3-ubyte')} is missing ` +
        `(looked in ${empty}, from --data); install Fashion-MNIST with \`apt-get install dataset-fashion-mnist\`, ` +
        'or pass --data DIR with its four IDX files',
    );
  });

  it('an unknown flag suggests the nearest one', () => {
    refused(
      ['train', '--epoch', '3'],
      "rmsprop train: unknown option '--epoch' (Did you mean --epochs?); see rmsprop train --help",
    );
  });

  it('an unknown command suggests the nearest one', () => {
    refused(['trian'], "rmsprop: unknown command 'trian' (Did you mean train?); see rmsprop --help");
  });

  it('an unknown flavor or schedule lists the valid ones', () => {
    refused(
      ['train', '--flavor', 'jax'],
      'rmsprop train: --flavor must be one of pytorch, keras, tf1, tfjs, optax, got "jax"',
    );
    refused(
      ['train', '--schedule', 'cosine:periods=10'],
      'rmsprop train: --schedule "cosine:periods=10": unknown option \'periods\' of cosine; its options are period, min, warmup',
    );
    refused(
      ['train', '--schedule', 'warmup'],
      /^rmsprop train: --schedule: unknown schedule 'warmup'; valid schedules are constant, step, /,
    );
  });

  it('tuning flags without --tune', () => {
    refused(['compare', '--lr-range', '1e-3:1'], 'rmsprop compare: --lr-range needs --tune');
  });

  it('a learning rate in a spec that --tune would search instead, in any flavor', () => {
    refused(
      ['compare', '--tune', '--optimizers', 'rmsprop;adam:lr=1e-3'],
      "rmsprop compare: --optimizers 'adam:lr=1e-3': --tune searches the learning rate; leave it out of the spec",
    );
    refused(
      ['compare', '--tune', '--flavor', 'keras', '--optimizers', 'rmsprop:learning_rate=0.01,rho=0.9'],
      /^rmsprop compare: --optimizers 'rmsprop:learning_rate=0\.01,rho=0\.9': --tune searches the learning rate/,
    );
  });

  it('a target accuracy in percent', () => {
    refused(
      ['compare', '--problem', 'mnist_cnn', '--target', '96'],
      'rmsprop compare: --target must be a test accuracy in (0, 1] for mnist_cnn, e.g. 0.9, got "96"',
    );
  });

  it('--resume without a checkpoint', () => {
    const out = join(tempDir(), 'none');
    refused(
      ['train', '--problem', 'quadratic_deep', '--out', out, '--resume'],
      `rmsprop train: --resume: no checkpoint at ${join(out, 'checkpoint.safetensors')}; a run writes one on Ctrl-C, or every epoch with --checkpoint`,
    );
  });

  it('report on a folder without runs', () => {
    const empty = tempDir();
    refused(['report', empty], /^rmsprop report: RUN_DIR: no run found in /);
    refused(['report', join(empty, 'nope')], `rmsprop report: RUN_DIR ${join(empty, 'nope')}: no such file or folder`);
  });

  it('report on two lr-find folders, of which it could show one', () => {
    const [a, b] = [tempDir(), tempDir()];
    const test = { format: 'rmsprop-lr-find/1', problem: 'adding', optimizer: 'rmsprop', options: {}, seed: 0 };
    const curve = { minLr: 1e-5, maxLr: 1, lrs: [1e-5], losses: [1], smoothed: [1], suggestion: 1e-5, method: 'min10' };
    for (const dir of [a, b]) writeFileSync(join(dir, 'lr-find.json'), JSON.stringify({ ...test, ...curve }));
    refused(
      ['report', a, b],
      `rmsprop report: RUN_DIR: one lr-find folder per report, got ${a} and ${b}; report them apart`,
    );
  });

  it('shows the stack trace only with --verbose', () => {
    const quiet = cli(['train', '--epochs', '0']);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const verbose = cli(['train', '--epochs', '0', '--verbose']);
    expect(verbose.status).toBe(2);
    expect(verbose.stderr).toMatch(/^rmsprop train: --epochs must be an integer ≥ 1, got "0"\nUsageError: .*\n\s+at /);
  });
});

describe('--help', () => {
  it("lists each problem's default epochs and how long an epoch and the default run take", () => {
    const r = cli(['train', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}fmnist_2c2d +100 epochs, batch 128; an epoch ~\d+ min, the default run ~[\d.]+ h$/m);
    expect(r.stdout).toMatch(/^ {2}mnist_cnn +5 epochs, batch 64; an epoch ~\d+ s/m);
  });
});

describe('--threads', () => {
  it('is refused beyond what the pool takes', () => {
    refused(['train', '--threads', '0'], 'rmsprop train: --threads must be an integer ≥ 1, got "0"');
    refused(['train', '--threads', '65'], 'rmsprop train: --threads must be an integer from 1 to 64, got 65');
  });
});
