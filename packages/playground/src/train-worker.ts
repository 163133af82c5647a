import { DataLoader, type Dataset } from 'rmsprop/data';
import { startThreads, threadsUnavailableReason } from 'rmsprop/kernels';
import type { Module } from 'rmsprop/nn';
import { noGrad, scope } from 'rmsprop/tensor';
import {
  evaluate,
  fit,
  limited,
  parametersOf,
  problems,
  setupProblem,
  type Callback,
  type ProblemRun,
} from 'rmsprop/train';
import { configure, kindById } from './optimizer-kinds.js';
import type { FromWorker, ToWorker, TrainRequest } from './train-protocol.js';

/** Test digits shown on the page with each network's prediction. */
const SHOWN = 12;
/** Held-out digits measured every EVAL_EVERY steps (a quarter of the test split keeps it cheap). */
const HELD_OUT = 500;
const EVAL_EVERY = 25;

const worker = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromWorker, transfer: Transferable[] = []): void => worker.postMessage(message, transfer);
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
let stopping = false;

worker.onmessage = (e: MessageEvent<ToWorker>) => {
  if (e.data.type === 'stop') stopping = true;
  else train(e.data).catch((err: unknown) => post({ type: 'error', run: null, message: messageOf(err) }));
};

/**
 * Resolves in a new task, after the messages already queued: the stop button's, and the other runs'
 * next steps, so the networks take turns step by step.
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** Starts the kernels' threads (once: later calls find them running) and says how many train. */
async function startPool(): Promise<FromWorker> {
  try {
    return { type: 'threads', threads: await startThreads(), reason: threadsUnavailableReason };
  } catch (e) {
    return { type: 'threads', threads: 1, reason: messageOf(e) }; // the kernels go on with one thread
  }
}

async function train(request: TrainRequest): Promise<void> {
  stopping = false;
  post(await startPool());
  // The same seed for every run: the same initial weights and the same batches in the same order.
  const runs: ProblemRun[] = [];
  for (let i = 0; i < request.optimizers.length; i++) {
    runs.push(await setupProblem(problems.mnist_cnn, { seed: request.seed, batchSize: request.batchSize }));
  }
  const test = runs[0]!.data.test;
  const shown = Int32Array.from({ length: SHOWN }, (_, i) => i);
  const { images, labels } = scope(() => {
    const b = test.batch(shown);
    return { images: b.x.data.slice(), labels: Array.from(b.y.ints) };
  });
  post({ type: 'ready', images, labels }, [images.buffer]);
  const heldOut = new DataLoader(limited(test, HELD_OUT, 'playground'), { batchSize: 250, shuffle: false });
  const measure = (i: number, run: ProblemRun, step: number): FromWorker => ({
    type: 'evaluation',
    run: i,
    step,
    ...(evaluate(run.model, heldOut, { loss: run.loss, metrics: run.metrics }) as { loss: number; accuracy: number }),
    predictions: predict(run.model, test, shown),
  });
  await Promise.all(runs.map((run, i) => race(i, run, request, measure)));
  post({ type: 'done' });
}

/** Trains one network with one optimizer, reporting each step and measuring it now and then. */
async function race(
  i: number,
  run: ProblemRun,
  request: TrainRequest,
  measure: (i: number, run: ProblemRun, step: number) => FromWorker,
): Promise<void> {
  try {
    const spec = request.optimizers[i]!;
    const kind = kindById(spec.kind);
    if (!kind) throw new Error(`unknown optimizer '${spec.kind}'`);
    const config = configure(kind, spec.options);
    const optimizer = kind.create(parametersOf(run.model), config.options);
    post(measure(i, run, 0));
    const live: Callback = {
      name: 'playground',
      onStepBegin: (ctx) => {
        if (stopping) ctx.stop('playground', 'stopped');
      },
      async onStepEnd(_ctx, log) {
        post({ type: 'step', run: i, step: log.step, loss: log.loss, accuracy: log.accuracy! });
        if (log.step % EVAL_EVERY === 0) post(measure(i, run, log.step));
        await nextTask();
      },
    };
    const history = await fit(run.model, optimizer, {
      train: run.train,
      epochs: request.epochs,
      loss: run.loss,
      metrics: run.metrics,
      callbacks: [live],
      // The page shows the progress; the worker's console stays quiet.
      verbose: 0,
    });
    const steps = history.losses.length;
    if (steps % EVAL_EVERY !== 0) post(measure(i, run, steps));
    post({ type: 'finished', run: i, stopped: history.stopped?.message ?? null });
  } catch (e) {
    post({ type: 'error', run: i, message: messageOf(e) });
  }
}

/** The class each network gives the examples at `indices`. */
function predict(model: Module, data: Dataset, indices: Int32Array): number[] {
  const training = model.training;
  model.eval();
  try {
    return scope(() =>
      noGrad(() => {
        const out = model.forward(data.batch(indices).x);
        const classes = out.shape.at(-1)!;
        const o = out.data;
        return Array.from(indices, (_, r) => {
          let best = 0;
          for (let c = 1; c < classes; c++) if (o[r * classes + c]! > o[r * classes + best]!) best = c;
          return best;
        });
      }),
    );
  } finally {
    model.train(training);
  }
}
