// npm run bench -- accuracy [NAME...]
// Trains reference problems with `fit` and RMSprop (lr 1e-3, decay 0.9, batch 128) on their full data and
// checks the targets: fmnist_2c2d ≥ 90% and fmnist_lstm ≥ 82% test accuracy within 3 epochs, adding
// (T = 100) below 0.01 test MSE (up to 100 epochs, stopping once met). Prints every epoch and writes its
// section of BENCHMARKS.md; given NAMEs, runs only those and keeps the other rows of the section.
import { RMSprop } from '../packages/rmsprop/src/optim/index.js';
import { fit, parametersOf, problems, setupProblem, type EpochLog } from '../packages/rmsprop/src/train/index.js';
import { readFileSync } from 'node:fs';
import { machine, writeSection } from './_common.js';

interface Target {
  name: 'fmnist_2c2d' | 'fmnist_lstm' | 'adding';
  epochs: number;
  /** The test value to reach, as test accuracy (above) or test MSE (below). */
  value: number;
  on: 'testAccuracy' | 'testLoss';
  stopWhenMet?: boolean;
}
const targets: Target[] = [
  { name: 'fmnist_2c2d', epochs: 3, value: 0.9, on: 'testAccuracy' },
  { name: 'fmnist_lstm', epochs: 3, value: 0.82, on: 'testAccuracy' },
  { name: 'adding', epochs: 100, value: 0.01, on: 'testLoss', stopWhenMet: true },
];
const RECIPE = { lr: 1e-3, decay: 0.9 };
const BATCH = 128;
const SEED = 0;

const asked = process.argv.slice(2);
const chosen = asked.length ? targets.filter((t) => asked.includes(t.name)) : targets;
const shown = (t: Target, v: number): string => (t.on === 'testAccuracy' ? `${(100 * v).toFixed(2)}%` : v.toFixed(4));
const reached = (t: Target, v: number): boolean => (t.on === 'testAccuracy' ? v >= t.value : v < t.value);

const rows: string[] = [];
const verdicts: string[] = [];
for (const t of chosen) {
  const run = await setupProblem(problems[t.name], { batchSize: BATCH, seed: SEED });
  const opt = new RMSprop(parametersOf(run.model), RECIPE);
  console.log(`${t.name}: ${run.train.length} steps an epoch, ${t.epochs} epochs`);
  const began = performance.now();
  const history = await fit(run.model, opt, {
    ...run,
    epochs: t.epochs,
    callbacks: [
      {
        name: 'progress',
        onEpochEnd: (ctx, log: EpochLog) => {
          console.log(
            `  epoch ${log.epoch}: train loss ${log.loss.toFixed(4)}, test ${t.on === 'testAccuracy' ? 'accuracy' : 'MSE'} ` +
              `${shown(t, log[t.on]!)}, ${log.seconds.toFixed(1)} s`,
          );
          if (t.stopWhenMet && reached(t, log[t.on]!)) ctx.stop('progress', 'target met');
        },
      },
    ],
    // The lines above are the benchmark's own.
    verbose: 0,
  });
  const seconds = (performance.now() - began) / 1000;
  const values = history.epochs.map((e) => e[t.on]!);
  const first = values.findIndex((v) => reached(t, v));
  const best = t.on === 'testAccuracy' ? Math.max(...values) : Math.min(...values);
  const perEpoch = values.map((v) => shown(t, v)).join(' · ');
  rows.push(
    `| ${t.name} | ${t.on === 'testAccuracy' ? 'accuracy ≥' : 'MSE <'} ${shown(t, t.value)} in ${t.epochs} epochs | ` +
      `${perEpoch} | ${first >= 0 ? first + 1 : '—'} | ${seconds.toFixed(0)} s | ${first >= 0 ? 'met' : '**NOT met**'} |`,
  );
  verdicts.push(`${t.name}: ${first >= 0 ? 'met' : 'NOT met'} (best ${shown(t, best)})`);
  console.log(`  ${verdicts.at(-1)}, ${seconds.toFixed(0)} s`);
}

// Rows of problems not run this time, from the section as it stands.
const old = (() => {
  try {
    return readFileSync(new URL('../BENCHMARKS.md', import.meta.url), 'utf8');
  } catch {
    return '';
  }
})();
for (const t of targets.filter((t) => !chosen.includes(t))) {
  const row = new RegExp(`^\\| ${t.name} \\|.*$`, 'm').exec(old.split('<!-- bench:accuracy -->')[1] ?? '')?.[0];
  if (row) rows.splice(targets.indexOf(t), 0, row);
}
const table = [
  '| problem | target | test value after each epoch | first epoch meeting it | wall time | target |',
  '|---|---|---|---:|---:|---|',
  ...rows,
].join('\n');
// Measured separately (2026-11-24, PyTorch 2.13 on one thread, scripts like the models above): the
// same recipe's results there, to tell the engine's gaps from the problems' own spread over seeds.
const PYTORCH = [
  'PyTorch 2.13 with the same recipe (one thread, seeds 0, 1, 2), for comparison: fmnist_2c2d after 3 epochs',
  "with PyTorch's initialisation (this problem's default) 91.03%, 90.43%, 90.53%; with DeepOBS's TensorFlow one",
  "(truncated normal 0.05, biases 0.05; `fmnist2c2d({ init: 'deepobs' })`, with which this engine reached 89.88%",
  'for seed 0) 90.91%, 91.16%, 88.94%. adding (batch 128, seed 0): test MSE ≈ 0.167 until ~2700 steps, below',
  '0.01 first at step 4900 (this engine: step 4661, the end of epoch 59): the plateau is the problem, not the engine.',
].join('\n');
const where = machine('no peer in this run (PyTorch 2.13 with the same recipe: see below)');
console.log(`\n${where}\n\n${table}`);
writeSection(
  'accuracy',
  [
    '## Accuracy with `fit` (`npm run bench -- accuracy`)',
    '',
    where,
    '',
    'RMSprop lr 1e-3, decay 0.9 (ε 1e-8, no momentum), batch 128, seed 0, the full training set of each',
    "problem (Fashion-MNIST 60 000 / 10 000; adding T = 100, 10 000 / 1000 sequences), the library's `fit`",
    'with the test set measured after every epoch. Wall time includes the evaluations. adding runs up to',
    `${targets[2]!.epochs} epochs of ${Math.ceil(10_000 / BATCH)} steps, stopping after the first epoch that meets the target;`,
    'the trivial predictor (always 1) scores 0.167.',
    '',
    table,
    '',
    PYTORCH,
  ].join('\n'),
);
