import { SingleBar } from 'cli-progress';
import type { Callback, EpochLog } from 'rmsprop/train';
import { duration, metricLabel, rate, value } from './format.js';
import { testKey } from './run-info.js';

export interface ProgressOptions {
  /** In front of every line (`rmsprop seed 0`), when several runs share the terminal. */
  label?: string;
  /** The problem's metric, shown beside the loss. */
  metric: string | null;
  /** Draw a live bar during each epoch (on a terminal, without --quiet); epoch lines are always written. */
  bar: boolean;
  /** Where epoch lines go (stdout). */
  write: (line: string) => void;
  stream?: NodeJS.WriteStream;
}

const WIDTH = 30;

/** `[=====>    ]` for `done` of `total`. */
function gauge(done: number, total: number): string {
  const full = total > 0 ? Math.min(WIDTH, Math.floor((WIDTH * done) / total)) : 0;
  const head = full < WIDTH && done > 0 ? '>' : '';
  return `[${'='.repeat(full)}${head}${' '.repeat(WIDTH - full - head.length)}]`;
}

/** The one line that ends each epoch: its training loss and metric, the same on the test set, and its time. */
export function epochLine(log: EpochLog, epochs: number, metric: string | null): string {
  const parts = [`epoch ${log.epoch}/${epochs}`, `loss ${value(log.loss)}`];
  if (metric !== null && typeof log[metric] === 'number') parts.push(`${metricLabel(metric)} ${value(log[metric])}`);
  if (typeof log.testLoss === 'number') parts.push(`test loss ${value(log.testLoss)}`);
  const testMetric = metric === null ? undefined : log[testKey(metric)];
  if (typeof testMetric === 'number') parts.push(`test ${metricLabel(metric!)} ${value(testMetric)}`);
  parts.push(duration(log.seconds));
  return parts.join('  ');
}

/**
 * Keras-like progress: during each epoch a live bar (`epoch 2/5 [=====>   ] 312/469 loss 0.41 acc 0.86
 * lr 1e-3 38 step/s ETA 4s`, the loss and metric averaged over the epoch so far), replaced at its end by
 * the epoch's line.
 */
export function progress(o: ProgressOptions): Callback {
  const prefix = o.label ? `${o.label}  ` : '';
  let bar: SingleBar | null = null;
  let sums = { loss: 0, metric: 0, examples: 0, steps: 0, began: 0 };
  const stopBar = (): void => {
    bar?.stop();
    bar = null;
  };
  return {
    name: 'progress',
    onEpochBegin(ctx) {
      sums = { loss: 0, metric: 0, examples: 0, steps: 0, began: performance.now() };
      if (!o.bar) return;
      const total = ctx.stepsPerEpoch ?? 0;
      bar = new SingleBar({
        stream: o.stream ?? process.stdout,
        clearOnComplete: true,
        hideCursor: true,
        linewrap: false,
        fps: 10,
        format: (_options, params, payload: { line?: string }) => payload.line ?? '',
      });
      bar.start(total, 0, { line: `${prefix}epoch ${ctx.epoch}/${ctx.epochs} ${gauge(0, total)} 0/${total}` });
    },
    onStepEnd(ctx, log) {
      if (!bar) return;
      sums.loss += log.loss * log.size;
      if (o.metric !== null) sums.metric += (log[o.metric] ?? NaN) * log.size;
      sums.examples += log.size;
      sums.steps++;
      const total = ctx.stepsPerEpoch ?? 0;
      const perSecond = sums.steps / ((performance.now() - sums.began) / 1000);
      const parts = [
        `${prefix}epoch ${log.epoch}/${ctx.epochs}`,
        gauge(log.batch, total),
        `${log.batch}/${total}`,
        `loss ${value(sums.loss / sums.examples)}`,
        ...(o.metric === null ? [] : [`${metricLabel(o.metric)} ${value(sums.metric / sums.examples)}`]),
        `lr ${rate(log.lr)}`,
        `${value(perSecond)} step/s`,
        `ETA ${duration((total - log.batch) / perSecond)}`,
      ];
      bar.update(log.batch, { line: parts.join(' ') });
    },
    onEpochEnd(ctx, log) {
      stopBar();
      o.write(`${prefix}${epochLine(log, ctx.epochs, o.metric)}`);
    },
    onTrainEnd() {
      stopBar();
    },
  };
}
