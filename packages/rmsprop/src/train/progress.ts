import { STEP_FIELDS, testKey, type Callback, type EpochLog, type FitContext, type StepLog } from './callback.js';
import { numberFormat, type NumberFormat } from './number-format.js';

/** A stream to write progress to: Node's `process.stdout`, or anything with a `write`. */
export interface TextStream {
  write(text: string): unknown;
  /** A terminal, on which a line can be redrawn. */
  readonly isTTY?: boolean;
  /** Its width in characters: the live line is cut to it, since a line that wraps cannot be redrawn. */
  readonly columns?: number;
}

export interface ProgressOptions {
  /**
   * Where to write: a stream, or a function given each line without its newline. Default: stdout in
   * Node, `console.log` elsewhere (the browser's console).
   */
  to?: TextStream | ((line: string) => void);
  /** Draw the live line during each epoch; default: when `to` is a terminal (`isTTY`). Needs a stream. */
  live?: boolean;
  /** In front of every line (`adam seed 0`), when several runs share the output. */
  label?: string;
  /** The metric shown beside the loss; default: the first metric fit measures; null: none. */
  metric?: string | null;
  /** How numbers are written, any of the defaults (`numberFormat`) replaced. */
  format?: Partial<NumberFormat>;
  /**
   * Steps still to come after this fit in the same job (the later runs of a comparison), which the live
   * line's ETA of the whole run counts at this run's pace.
   */
  stepsAfter?: number;
}

/** The progress callback, which can also print a line of its own without garbling the live line. */
export interface ProgressCallback extends Callback {
  /** Writes `line` as a line of its own: the live line, if drawn, is cleared first and redrawn at the next step. */
  print(line: string): void;
}

const GAUGE_WIDTH = 30;
/** Ten redraws a second at most: more cost time and only flicker. */
const REDRAW_MS = 100;

/** `[=====>    ]` for `done` of `total`. */
function gauge(done: number, total: number): string {
  const full = Math.min(GAUGE_WIDTH, Math.floor((GAUGE_WIDTH * done) / total));
  const head = full < GAUGE_WIDTH && done > 0 ? '>' : '';
  return `[${'='.repeat(full)}${head}${' '.repeat(GAUGE_WIDTH - full - head.length)}]`;
}

/** A metric's short name, as Keras shows it. */
const metricLabel = (name: string): string => (name === 'accuracy' ? 'acc' : name);

/**
 * Seconds left of the epoch under way and of the whole run: the epoch's steps left at its pace so far,
 * then every later epoch (of this fit, and `stepsAfter` in epochs of this one's size) as long as the
 * last whole epoch took, its evaluation included, or before one has ended, its steps at that pace.
 */
function timeLeft(
  at: { batch: number; epoch: number; stepsPerSecond: number; lastEpochSeconds: number | null },
  run: { stepsPerEpoch: number; epochs: number; stepsAfter: number },
): { epoch: number; all: number } {
  const epoch = (run.stepsPerEpoch - at.batch) / at.stepsPerSecond;
  const perEpoch = at.lastEpochSeconds ?? run.stepsPerEpoch / at.stepsPerSecond;
  const epochsAfter = run.epochs - at.epoch + run.stepsAfter / run.stepsPerEpoch;
  return { epoch, all: epoch + epochsAfter * perEpoch };
}

/** The line that ends an epoch: its training loss and metric, the same on the held-out set, and its time. */
function epochLine(log: EpochLog, epochs: number, metric: string | null, format: NumberFormat): string {
  const parts = [`epoch ${log.epoch}/${epochs}`, `loss ${format.value(log.loss)}`];
  const shown = (key: string, label: string): void => {
    if (typeof log[key] === 'number') parts.push(`${label} ${format.value(log[key])}`);
  };
  if (metric !== null) shown(metric, metricLabel(metric));
  shown('testLoss', 'test loss');
  if (metric !== null) shown(testKey(metric), `test ${metricLabel(metric)}`);
  parts.push(format.duration(log.seconds));
  return parts.join('  ');
}

function defaultTarget(): TextStream | ((line: string) => void) {
  const node = (globalThis as { process?: { stdout?: TextStream } }).process;
  return node?.stdout ?? ((line: string) => console.log(line));
}

function check(o: ProgressOptions): void {
  if (o === null || typeof o !== 'object')
    throw new TypeError('progress: expected options { to, live, label, metric, format, stepsAfter }');
  const { to, live, stepsAfter } = o;
  if (to !== undefined && typeof to !== 'function' && typeof to?.write !== 'function')
    throw new TypeError(
      `progress: to must be a stream (with a write method) or a function given each line, got ${typeof to}`,
    );
  if (live !== undefined && typeof live !== 'boolean')
    throw new TypeError(`progress: live must be true or false, got ${String(live)}`);
  if (live && typeof to === 'function')
    throw new RangeError('progress: live needs a stream to redraw the line on; a function in to is given whole lines');
  if (stepsAfter !== undefined && !(Number.isSafeInteger(stepsAfter) && stepsAfter >= 0))
    throw new RangeError(`progress: stepsAfter must be an integer ≥ 0, got ${stepsAfter}`);
}

/**
 * Keras-like progress, what `fit`'s `verbose` shows. During each epoch, on a terminal, a live line
 * redrawn with `\r` at most ten times a second:
 * `epoch 2/5 [=====>   ] 312/469 loss 0.41 acc 0.86 lr 1e-3 38.2 step/s ETA 4.1s, all 1m20s`, the loss
 * and metric averaged over the epoch so far, the ETA of the epoch and of all epochs left. At the end of
 * each epoch the live line is cleared and one line stays:
 * `epoch 2/5  loss 0.4  acc 0.87  test loss 0.38  test acc 0.88  12.3s`. Where the output is not a
 * terminal (a file, a pipe, the browser's console) only the epoch lines are written.
 */
export function progress(o: ProgressOptions = {}): ProgressCallback {
  check(o);
  const to = o.to ?? defaultTarget();
  const stream = typeof to === 'function' ? null : to;
  const live = o.live ?? stream?.isTTY === true;
  const format: NumberFormat = { ...numberFormat, ...o.format };
  const prefix = o.label ? `${o.label}  ` : '';
  const stepsAfter = o.stepsAfter ?? 0;
  // Undefined until the first step log shows which metrics fit measures.
  let metric = o.metric;
  let epoch = { loss: 0, metric: 0, examples: 0, steps: 0, began: 0 };
  let lastEpochSeconds: number | null = null;
  let drawnAt = -Infinity;
  // Characters of the live line on screen: 0 when none is.
  let shown = 0;

  const writeLine = (line: string): void =>
    void (stream ? stream.write(`${line}\n`) : (to as (l: string) => void)(line));
  const clear = (): void => {
    if (shown > 0) stream!.write(`\r${' '.repeat(shown)}\r`);
    shown = 0;
  };
  const draw = (text: string): void => {
    const fits = stream!.columns ? text.slice(0, stream!.columns - 1) : text;
    stream!.write(`\r${fits}${' '.repeat(Math.max(0, shown - fits.length))}`);
    shown = fits.length;
  };
  const liveLine = (ctx: FitContext, log: StepLog, time: number): string => {
    const total = ctx.stepsPerEpoch;
    const stepsPerSecond = epoch.steps / ((time - epoch.began) / 1000);
    const parts = [`${prefix}epoch ${log.epoch}/${ctx.epochs}`];
    parts.push(...(total ? [gauge(log.batch, total), `${log.batch}/${total}`] : [`${log.batch}`]));
    parts.push(`loss ${format.value(epoch.loss / epoch.examples)}`);
    if (metric) parts.push(`${metricLabel(metric)} ${format.value(epoch.metric / epoch.examples)}`);
    parts.push(`lr ${format.rate(log.lr)}`, `${format.value(stepsPerSecond)} step/s`);
    if (total) {
      const left = timeLeft(
        { batch: log.batch, epoch: log.epoch, stepsPerSecond, lastEpochSeconds },
        { stepsPerEpoch: total, epochs: ctx.epochs, stepsAfter },
      );
      parts.push(`ETA ${format.duration(left.epoch)}, all ${format.duration(left.all)}`);
    }
    return parts.join(' ');
  };

  return {
    name: 'progress',
    onEpochBegin() {
      epoch = { loss: 0, metric: 0, examples: 0, steps: 0, began: performance.now() };
      // Each epoch's line shows from its first step.
      drawnAt = -Infinity;
    },
    onStepEnd(ctx, log) {
      if (metric === undefined) metric = Object.keys(log).find((k) => !STEP_FIELDS.has(k)) ?? null;
      epoch.loss += log.loss * log.size;
      if (metric) epoch.metric += (log[metric] ?? NaN) * log.size;
      epoch.examples += log.size;
      epoch.steps++;
      if (!live) return;
      const time = performance.now();
      if (time - drawnAt < REDRAW_MS) return;
      drawnAt = time;
      draw(liveLine(ctx, log, time));
    },
    onEpochEnd(ctx, log) {
      clear();
      writeLine(`${prefix}${epochLine(log, ctx.epochs, metric ?? null, format)}`);
      lastEpochSeconds = log.seconds;
    },
    onTrainEnd() {
      clear();
    },
    print(line) {
      clear();
      writeLine(line);
      drawnAt = -Infinity;
    },
  };
}
