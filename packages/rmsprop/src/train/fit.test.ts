import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../io/index.js';
import { heap } from '../kernels/index.js';
import { DataLoader } from '../data/index.js';
import { RMSprop, SGD, schedules } from '../optim/index.js';
import { dropout, mean, mul } from '../tensor/index.js';
import {
  checkpoint,
  earlyStopping,
  evaluate,
  fit,
  learningRateSchedule,
  nanGuard,
  NonFiniteLossError,
  parametersOf,
  problems,
  reduceLROnPlateau,
  runLog,
  setupProblem,
  trainingCheckpoint,
  type Callback,
  type FitCheckpointConfig,
  type StepLog,
} from './index.js';
import { runLogFile } from './node.js';

const dir = mkdtempSync(join(tmpdir(), 'rmsprop-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** fmnist_mlp on 128 examples in batches of 32: 4 steps an epoch. */
const mlp = (seed: number) => setupProblem(problems.fmnist_mlp, { limit: 128, batchSize: 32, seed });
/** quadratic_deep on 64 examples in batches of 16: 4 steps an epoch. */
const quadratic = (seed = 0) => setupProblem(problems.quadratic_deep, { limit: 64, batchSize: 16, seed });
const weights = (run: { model: { stateDict(): Record<string, Float32Array> } }) => run.model.stateDict();
/** The names whose arrays differ in any bit (toEqual is slow on a million floats). */
const differing = (a: Record<string, Float32Array>, b: Record<string, Float32Array>): string[] =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (k) =>
      !a[k] ||
      !b[k] ||
      !Buffer.from(a[k].buffer, a[k].byteOffset, a[k].byteLength).equals(
        Buffer.from(b[k].buffer, b[k].byteOffset, b[k].byteLength),
      ),
  );
/** An optimizer's buffers by `param/buffer`. */
const buffers = (opt: RMSprop): Record<string, Float32Array> =>
  Object.fromEntries(
    Object.entries(opt.stateDict().state).flatMap(([p, st]) =>
      Object.entries(st.buffers).map(([k, v]) => [`${p}/${k}`, Float32Array.from(v)]),
    ),
  );

describe('fit', () => {
  it('trains epoch by epoch, measures the held-out set, and gives the same run for the same seed', async () => {
    const train = async (seed: number) => {
      const run = await mlp(seed);
      const opt = new RMSprop(parametersOf(run.model), { lr: 1e-3 });
      const history = await fit(run.model, opt, { ...run, epochs: 2, verbose: 0 });
      return { history, weights: weights(run), test: evaluate(run.model, run.test, run) };
    };
    const [a, b, c] = [await train(3), await train(3), await train(4)];
    expect(a.history.losses).toHaveLength(8);
    expect(a.history.epochs.map((e) => [e.epoch, e.step])).toEqual([
      [1, 4],
      [2, 8],
    ]);
    const last = a.history.epochs[1]!;
    expect(Object.keys(last).sort()).toEqual(
      ['accuracy', 'epoch', 'loss', 'lr', 'seconds', 'step', 'testAccuracy', 'testLoss'].sort(),
    );
    expect(last.testLoss).toBe(a.test.loss);
    expect(last.testAccuracy).toBe(a.test.accuracy);
    expect(a.history.epochs[1]!.loss).toBeLessThan(a.history.epochs[0]!.loss);
    expect(a.history.stopped).toBeNull();
    // Same seed: the very same losses and weights; another seed: another run.
    expect(b.history.losses).toEqual(a.history.losses);
    expect(b.history.epochs.map((e) => e.testLoss)).toEqual(a.history.epochs.map((e) => e.testLoss));
    expect(differing(b.weights, a.weights)).toEqual([]);
    expect(c.history.losses).not.toEqual(a.history.losses);
  });

  it('leaks no memory from step to step, across evaluations', async () => {
    const run = await quadratic();
    const opt = new RMSprop(parametersOf(run.model), { lr: 1e-2 });
    const inUse: number[] = [];
    const probe: Callback = { name: 'probe', onStepEnd: (ctx) => void (ctx.step > 1 && inUse.push(heap!.inUse)) };
    await fit(run.model, opt, { ...run, epochs: 3, callbacks: [probe], verbose: 0 });
    expect(inUse).toHaveLength(11);
    expect(new Set(inUse).size).toBe(1);
  });

  it('rejects bad options with messages that say what is wrong', async () => {
    const run = await quadratic();
    const opt = new SGD(parametersOf(run.model), { lr: 0.1 });
    await expect(fit(run.model, opt, { ...run, epochs: -1, verbose: 0 })).rejects.toThrow(
      'fit: epochs must be an integer ≥ 0, got -1',
    );
    const m = { name: 'loss', mode: 'min' as const, compute: () => 0 };
    await expect(fit(run.model, opt, { ...run, epochs: 1, metrics: [m], verbose: 0 })).rejects.toThrow(
      "fit: metric name 'loss' is reserved",
    );
    await expect(
      fit(run.model, opt, { ...run, epochs: 1, callbacks: [earlyStopping(), earlyStopping()], verbose: 0 }),
    ).rejects.toThrow("fit: two callbacks with state are named 'earlyStopping'");
    await expect(
      fit(run.model, opt, { ...run, epochs: 1, resume: { model: {}, step: 0 }, verbose: 0 }),
    ).rejects.toThrow('fit: resume needs a checkpoint written by the checkpoint callback');
    await expect(
      fit(run.model, opt, { ...run, epochs: 1, callbacks: [earlyStopping({ monitor: 'testAcc' })], verbose: 0 }),
    ).rejects.toThrow(
      "earlyStopping: the epoch log has no 'testAcc' (it has epoch, step, lr, loss, seconds, testLoss)",
    );
  });
});

describe('early stopping', () => {
  it('stops after `patience` epochs without an improvement larger than minDelta', async () => {
    const run = await quadratic();
    const opt = new RMSprop(parametersOf(run.model), { lr: 1e-2 });
    const stop = earlyStopping({ patience: 2, minDelta: 1e9 });
    const history = await fit(run.model, opt, { ...run, epochs: 10, callbacks: [stop], verbose: 0 });
    expect(history.epochs).toHaveLength(3); // epoch 1 sets the best, 2 and 3 do not beat it by 1e9
    expect(history.stopped).toEqual({
      by: 'earlyStopping',
      epoch: 3,
      step: 12,
      message: `earlyStopping: testLoss has not improved by more than 1000000000 for 2 epochs (best ${history.epochs[0]!.testLoss} at epoch 1); stopped after epoch 3`,
    });
  });

  it('watches accuracies upwards, and can put back the best weights', async () => {
    const run = await setupProblem(problems.mnist_logreg, { limit: 64, batchSize: 16, seed: 0 });
    const opt = new SGD(parametersOf(run.model), { lr: 0 }); // nothing changes: no epoch is better than the first
    const history = await fit(run.model, opt, {
      ...run,
      epochs: 5,
      callbacks: [earlyStopping({ monitor: 'testAccuracy', patience: 1, restoreBest: true })],
      verbose: 0,
    });
    expect(history.epochs).toHaveLength(2);
    expect(history.stopped!.message).toMatch(
      /^earlyStopping: testAccuracy has not improved by more than 0 for 1 epoch /,
    );

    const q = await quadratic();
    const before = weights(q);
    const sgd = new SGD(parametersOf(q.model), { lr: 1 }); // diverges: epoch 1 is the best
    const h = await fit(q.model, sgd, {
      ...q,
      epochs: 5,
      callbacks: [earlyStopping({ patience: 1, restoreBest: true })],
      verbose: 0,
    });
    expect(h.epochs[1]!.testLoss).toBeGreaterThan(h.epochs[0]!.testLoss!);
    expect(differing(weights(q), before)).toEqual(['theta']);
    // The weights are those at the end of epoch 1: its test loss again.
    expect(evaluate(q.model, q.test, q).loss).toBe(h.epochs[0]!.testLoss);
  });
});

describe('learning-rate callbacks', () => {
  it('a schedule per step goes through the optimizer, one per epoch sets the rate as each epoch begins', async () => {
    const run = await quadratic();
    const opt = new RMSprop(parametersOf(run.model), { lr: 1 });
    const lrs: number[] = [];
    const record: Callback = { name: 'record', onStepEnd: (_, log: StepLog) => void lrs.push(log.lr) };
    const s = schedules.step({ lr: 0.1, stepSize: 3, gamma: 0.5 });
    await fit(run.model, opt, { ...run, epochs: 2, callbacks: [learningRateSchedule(s), record], verbose: 0 });
    expect(lrs).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025]);

    lrs.length = 0;
    const perEpoch = learningRateSchedule((e) => 0.1 / (e + 1), { per: 'epoch' });
    await fit(run.model, new RMSprop(parametersOf(run.model)), {
      ...run,
      epochs: 2,
      callbacks: [perEpoch, record],
      verbose: 0,
    });
    expect(lrs).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]);
  });

  it('ReduceLROnPlateau cuts the rate at the end of an epoch that did not improve', async () => {
    const run = await quadratic();
    const opt = new RMSprop(parametersOf(run.model), { lr: 1e-3 });
    const plateau = reduceLROnPlateau({ factor: 0.1, patience: 0, threshold: 1e9, thresholdMode: 'abs' });
    const history = await fit(run.model, opt, { ...run, epochs: 3, callbacks: [plateau], verbose: 0 });
    expect(history.epochs.map((e) => e.lr)).toEqual([1e-3, 1e-3, 1e-3 * 0.1]);
    expect(opt.lr).toBeCloseTo(1e-5, 12);
  });
});

describe('the NaN guard', () => {
  it('stops at the first non-finite loss, before its update, naming the step and the epoch', async () => {
    const run = await quadratic();
    const opt = new RMSprop(parametersOf(run.model), { lr: 1e-2 });
    let calls = 0;
    // The 7th training batch's loss is NaN (evaluation batches are not counted).
    const loss = (out: Parameters<typeof run.loss>[0]) =>
      run.model.training && ++calls === 7 ? mul(mean(out), NaN) : mean(out);
    let after6: Record<string, Float32Array> = {};
    const snapshot: Callback = {
      name: 'snapshot',
      onStepEnd: (ctx) => void (ctx.step === 6 && (after6 = weights(run))),
    };
    const history = await fit(run.model, opt, {
      ...run,
      loss,
      epochs: 3,
      callbacks: [nanGuard(), snapshot],
      verbose: 0,
    });
    const message =
      "nanGuard: the loss is NaN at step 7 (epoch 2, batch 3 of 4); training stopped before this step's update, " +
      'the parameters are those after step 6';
    expect(history.stopped).toEqual({ by: 'nanGuard', message, epoch: 2, step: 7 });
    expect(history.losses).toHaveLength(7);
    expect(history.losses[6]).toBeNaN();
    expect(history.epochs).toHaveLength(1); // epoch 2 did not finish
    expect(differing(weights(run), after6)).toEqual([]);
    expect(opt.stepCount).toBe(6);
  });

  it('catches a divergence (SGD at lr = 1e6), and throws when asked', async () => {
    const run = await mlp(0);
    const history = await fit(run.model, new SGD(parametersOf(run.model), { lr: 1e6 }), {
      ...run,
      epochs: 3,
      callbacks: [nanGuard()],
      verbose: 0,
    });
    expect(history.stopped?.message).toMatch(
      /^nanGuard: the loss is (NaN|Infinity|-Infinity) at step \d+ \(epoch 1, batch \d of 4\); training stopped/,
    );
    const q = await quadratic();
    const failing = fit(q.model, new SGD(parametersOf(q.model), { lr: 1e6 }), {
      ...q,
      epochs: 3,
      callbacks: [nanGuard({ throws: true })],
      verbose: 0,
    });
    await expect(failing).rejects.toThrow(NonFiniteLossError);
    await expect(failing).rejects.toThrow(
      /^nanGuard: the loss is (NaN|Infinity) at step \d+ \(epoch 1, batch \d of 4\)/,
    );
  });
});

describe('the run log', () => {
  it('writes one JSON line per step and per epoch, between a begin and an end line', async () => {
    const run = await mlp(1);
    const lines: string[] = [];
    const file = join(dir, 'runs', 'mlp', 'run.jsonl'); // folders that do not exist yet
    const opt = new RMSprop(parametersOf(run.model), { lr: 1e-3 });
    await fit(run.model, opt, {
      ...run,
      epochs: 2,
      seed: 5,
      callbacks: [runLog((l) => lines.push(l)), runLogFile(file)],
      verbose: 0,
    });
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.type)).toEqual([
      'begin',
      ...Array(4).fill('step'),
      'epoch',
      ...Array(4).fill('step'),
      'epoch',
      'end',
    ]);
    expect(records[0]).toMatchObject({ epochs: 2, startEpoch: 1, stepsPerEpoch: 4, seed: 5, optimizer: 'RMSprop' });
    expect(records[0]!.parameters).toBe(run.model.parameterCount);
    const step = records[6]!;
    expect(Object.keys(step).sort()).toEqual([
      'accuracy',
      'batch',
      'epoch',
      'loss',
      'lr',
      'seconds',
      'size',
      'step',
      'type',
    ]);
    expect(step).toMatchObject({ epoch: 2, batch: 1, step: 5, size: 32, lr: 1e-3 });
    const epoch = records[10]!;
    expect(Object.keys(epoch).sort()).toEqual(
      ['accuracy', 'epoch', 'loss', 'lr', 'seconds', 'step', 'testAccuracy', 'testLoss', 'type'].sort(),
    );
    expect(epoch).toMatchObject({ epoch: 2, step: 8 });
    for (const r of records.slice(1, -1)) expect(typeof r.loss).toBe('number');
    expect(records.at(-1)).toMatchObject({ type: 'end', epoch: 2, step: 8, stopped: null });
    // The file holds the same records (times aside).
    const inFile = readFileSync(file, 'utf8').trimEnd().split('\n');
    const strip = (l: string) => JSON.stringify({ ...JSON.parse(l), seconds: 0, time: 0 });
    expect(inFile.map(strip)).toEqual(lines.map(strip));
  });

  it('writes a non-finite loss as a string and the stop in the end line', async () => {
    const run = await quadratic();
    const lines: string[] = [];
    const loss = () => mul(mean(run.model.parameters()[0]!), NaN);
    await fit(run.model, new SGD(parametersOf(run.model), { lr: 0.1 }), {
      ...run,
      loss,
      epochs: 1,
      callbacks: [nanGuard(), runLog((l) => lines.push(l), { steps: true })],
      verbose: 0,
    });
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.type)).toEqual(['begin', 'step', 'end']);
    expect(records[1]!.loss).toBe('NaN');
    expect((records[2]!.stopped as { by: string }).by).toBe('nanGuard');
  });
});

describe('checkpoints', () => {
  it('saves every N epochs a file loadCheckpoint reads, and a resumed run continues exactly', async () => {
    const callbacks = () => [
      earlyStopping({ patience: 10 }),
      reduceLROnPlateau({ factor: 0.5, patience: 1, threshold: 0.5 }), // cuts after epoch 3, counting epoch 2
      checkpoint({ path: join(dir, 'mlp-{epoch}.safetensors'), every: 2, save: saveCheckpoint }),
    ];
    const a = await mlp(1);
    const optA = new RMSprop(parametersOf(a.model), { lr: 2e-3, momentum: 0.5 });
    const cbs = callbacks();
    const whole = await fit(a.model, optA, { ...a, epochs: 4, callbacks: cbs, verbose: 0 });
    expect((cbs[2] as unknown as { saved: string[] }).saved).toEqual(
      [2, 4].map((e) => join(dir, `mlp-${e}.safetensors`)),
    );
    expect(whole.epochs.map((e) => e.lr)).toEqual([2e-3, 2e-3, 2e-3, 1e-3]); // the plateau callback cut the rate

    const saved = await loadCheckpoint(join(dir, 'mlp-2.safetensors'));
    expect(saved.step).toBe(8);
    expect(Object.keys(saved.model)).toEqual(a.model.namedParameters().map(([n]) => n));
    expect(saved.optimizer!.step).toBe(8);
    expect(saved.rng).toHaveLength(10); // the training loader's generator and the default one
    expect(saved.config).toMatchObject({ format: 'rmsprop-fit/1', epoch: 2 });

    // Another initialisation, a fresh optimizer: everything comes from the checkpoint.
    const b = await mlp(99);
    const optB = new RMSprop(parametersOf(b.model), { lr: 2e-3, momentum: 0.5 });
    const rest = await fit(b.model, optB, { ...b, epochs: 4, callbacks: callbacks(), resume: saved, verbose: 0 });
    expect(rest.epochs.map((e) => e.epoch)).toEqual([3, 4]);
    expect(rest.losses).toEqual(whole.losses.slice(8));
    expect(rest.epochs).toEqual(whole.epochs.slice(2).map((e) => ({ ...e, seconds: expect.any(Number) })));
    expect(differing(weights(b), weights(a))).toEqual([]);
    expect(differing(buffers(optB), buffers(optA))).toEqual([]);
    const { state: _a, ...restA } = optA.stateDict();
    const { state: _b, ...restB } = optB.stateDict();
    expect(restB).toEqual(restA);
  });
});

describe('checkpoints within an epoch', () => {
  /** Takes a checkpoint at the end of step `at` and stops there, as the command line does on Ctrl-C. */
  const interrupt = (at: number, where: string): Callback => ({
    name: 'interrupt',
    async onStepEnd(ctx) {
      if (ctx.step !== at) return;
      await saveCheckpoint(where, trainingCheckpoint(ctx));
      ctx.stop('interrupt', `stopped after step ${at}`);
    },
  });
  const withoutSeconds = (epochs: { seconds: number }[]) => epochs.map((e) => ({ ...e, seconds: 0 }));

  it.each([
    [3, 'within epoch 1'],
    [6, 'within epoch 2'],
    [8, 'after the last batch of epoch 2, before its evaluation'],
  ])('a run stopped after step %i (%s) resumes at the next batch and ends as the whole run', async (at) => {
    const make = async (seed: number) => {
      const run = await mlp(seed);
      return { run, opt: new RMSprop(parametersOf(run.model), { lr: 2e-3, momentum: 0.5 }) };
    };
    const callbacks = () => [reduceLROnPlateau({ factor: 0.5, patience: 0, threshold: 0.5 })];
    const a = await make(1);
    const whole = await fit(a.run.model, a.opt, { ...a.run, epochs: 3, seed: 4, callbacks: callbacks(), verbose: 0 });

    const where = join(dir, `within-${at}.safetensors`);
    const log = join(dir, `within-${at}.jsonl`);
    const b = await make(1);
    const first = await fit(b.run.model, b.opt, {
      ...b.run,
      epochs: 3,
      seed: 4,
      callbacks: [...callbacks(), runLogFile(log), interrupt(at, where)],
      verbose: 0,
    });
    expect(first.stopped).toMatchObject({ by: 'interrupt', step: at });
    const saved = await loadCheckpoint(where);
    const config = saved.config as FitCheckpointConfig;
    expect(saved.step).toBe(at);
    expect(config.epoch).toBe(Math.floor((at - 1) / 4));
    expect(config.progress).toMatchObject({ batch: ((at - 1) % 4) + 1, examples: 32 * (((at - 1) % 4) + 1) });

    // Another initialisation and optimizer: everything comes from the checkpoint.
    const c = await make(77);
    const rest = await fit(c.run.model, c.opt, {
      ...c.run,
      epochs: 3,
      seed: 4,
      callbacks: [...callbacks(), runLogFile(log)],
      resume: saved,
      verbose: 0,
    });
    expect(rest.losses).toEqual(whole.losses.slice(at));
    const resumedEpoch = config.epoch + 1;
    expect(withoutSeconds(rest.epochs)).toEqual(withoutSeconds(whole.epochs.slice(resumedEpoch - 1)));
    expect(differing(weights(c.run), weights(a.run))).toEqual([]);
    expect(differing(buffers(c.opt), buffers(a.opt))).toEqual([]);
    // The log goes on in the same file, even within epoch 1: every step once.
    const steps = readFileSync(log, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; step: number })
      .filter((r) => r.type === 'step')
      .map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('draws the epoch order again when the loader shares the default generator with dropout', async () => {
    const make = async () => {
      const q = await quadratic(3);
      // No seed of its own: the loader's order and the dropout masks come from the same default generator.
      const train = new DataLoader(q.data.train, { batchSize: 16 });
      const loss = (out: Parameters<typeof q.loss>[0]) => mean(dropout(out, 0.5, { training: q.model.training }));
      return { q, train, loss, opt: new SGD(parametersOf(q.model), { lr: 1e-2, momentum: 0.9 }) };
    };
    const a = await make();
    const whole = await fit(a.q.model, a.opt, { ...a.q, train: a.train, loss: a.loss, epochs: 3, seed: 9, verbose: 0 });
    const where = join(dir, 'dropout.safetensors');
    const b = await make();
    await fit(b.q.model, b.opt, {
      ...b.q,
      train: b.train,
      loss: b.loss,
      epochs: 3,
      seed: 9,
      callbacks: [interrupt(6, where)],
      verbose: 0,
    });
    const c = await make();
    const saved = await loadCheckpoint(where);
    expect(saved.rng).toHaveLength(5); // one generator: the default one
    const rest = await fit(c.q.model, c.opt, {
      ...c.q,
      train: c.train,
      loss: c.loss,
      epochs: 3,
      seed: 9,
      resume: saved,
      verbose: 0,
    });
    expect(rest.losses).toEqual(whole.losses.slice(6));
    expect(differing(weights(c.q), weights(a.q))).toEqual([]);
  });

  it('refuses progress that does not fit the run, saying what it has and what the run needs', async () => {
    const where = join(dir, 'refused.safetensors');
    const a = await quadratic();
    await fit(a.model, new SGD(parametersOf(a.model), { lr: 1e-2 }), {
      ...a,
      epochs: 2,
      callbacks: [interrupt(6, where)],
      verbose: 0,
    });
    const saved = await loadCheckpoint(where);
    const config = saved.config as FitCheckpointConfig;
    const resume = (progress: object) => ({
      ...saved,
      config: { ...config, progress: { ...config.progress, ...progress } },
    });
    const b = await quadratic();
    const opt = new SGD(parametersOf(b.model), { lr: 1e-2 });
    await expect(fit(b.model, opt, { ...b, epochs: 2, resume: resume({ batch: 9 }), verbose: 0 })).rejects.toThrow(
      'fit: the checkpoint was taken after batch 9 of epoch 2, but the training data has only 4 batches',
    );
    await expect(fit(b.model, opt, { ...b, epochs: 2, resume: resume({ sums: [1, 2] }), verbose: 0 })).rejects.toThrow(
      "fit: the checkpoint's epoch progress has 2 sums; this run's loss and 0 metric(s) need 1",
    );
    await expect(fit(b.model, opt, { ...b, epochs: 2, resume: resume({ batch: -1 }), verbose: 0 })).rejects.toThrow(
      "fit: the checkpoint's epoch progress has batch -1; it must be an integer ≥ 0",
    );
  });
});
