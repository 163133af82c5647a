import { addMenu } from './add-menu.js';
import { CurveChart } from './curve-chart.js';
import { elementById as byId } from './element-by-id.js';
import { NumberControl } from './number-control.js';
import { OptimizerCard } from './optimizer-card.js';
import { describe, formatNumber, type OptimizerConfig } from './optimizer-kinds.js';
import { colourOf } from './palette.js';
import { defaultTrainingLineup, trainingPresets } from './presets.js';
import type { FromWorker, ToWorker } from './train-protocol.js';

/** Weight of the past in the smoothed training loss: batch losses are noisy. */
const SMOOTHING = 0.9;
const SIDE = 28;

/** What the page has heard of one run. */
interface RunRecord {
  readonly config: OptimizerConfig;
  /** Smoothed training loss after each step (index step − 1). */
  readonly losses: number[];
  /** Held-out accuracy by step. */
  readonly accuracy: Map<number, number>;
  predictions: readonly number[];
  /** Exponential average of the loss and its bias correction, as Adam corrects its moments. */
  average: number;
  weight: number;
  firstLoss: number | null;
  /** How the run ended: 'finished', 'stopped', or the error that ended it. */
  ended: string | null;
  failed: boolean;
}

/**
 * The training section: a small CNN on the embedded MNIST digits, one copy per optimizer, trained in
 * a Web Worker with the WebAssembly kernels while the page draws the curves and the predictions.
 */
export class TrainingLab {
  private configs: OptimizerConfig[] = [...defaultTrainingLineup];
  private cards: OptimizerCard[] = [];
  private runs: RunRecord[] = [];
  private worker: Worker | null = null;
  private images: Float32Array | null = null;
  private labels: readonly number[] = [];
  private drawQueued = false;
  private digitsChanged = false;
  private epochCount = 5;
  private started = 0;
  private readonly lossChart: CurveChart;
  private readonly accuracyChart: CurveChart;
  private readonly batchSize: HTMLSelectElement;
  private readonly start: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly threads: HTMLElement;
  /** The optimizers, their options and the run's settings, locked while a run uses them. */
  private readonly setup: HTMLFieldSetElement;

  constructor(private readonly root: HTMLElement) {
    this.lossChart = new CurveChart(byId(root, 'train-loss-chart'), { xLabel: 'step', yLabel: 'loss' });
    this.accuracyChart = new CurveChart(byId(root, 'train-accuracy-chart'), { xLabel: 'step', yLabel: 'accuracy' });
    this.batchSize = byId(root, 'batch-size');
    this.batchSize.replaceChildren(...[16, 32, 64, 128].map((n) => new Option(String(n), String(n))));
    this.batchSize.value = '64'; // mnist_cnn's own
    const epochs = new NumberControl(
      { key: 'epochs', label: 'epochs', scale: 'linear', min: 1, max: 20, integer: true },
      this.epochCount,
      (v) => (this.epochCount = Math.max(1, v)),
    );
    byId(root, 'train-settings').append(epochs.element);
    this.start = byId(root, 'train');
    this.stop = byId(root, 'stop');
    this.status = byId(root, 'train-status');
    this.threads = byId(root, 'train-threads');
    this.setup = byId(root, 'race-setup');
    this.start.addEventListener('click', () => this.train());
    this.stop.addEventListener('click', () => this.send({ type: 'stop' }));
    addMenu(byId(root, 'add-trainer'), trainingPresets, (p) => {
      this.configs.push(p.config);
      this.buildCards();
    });
    this.buildCards();
  }

  private buildCards(): void {
    this.cards = this.configs.map(
      (config, i) =>
        new OptimizerCard(config, colourOf(i), {
          change: (c) => (this.configs[i] = c),
          remove: () => {
            this.configs.splice(i, 1);
            this.buildCards();
          },
        }),
    );
    byId(this.root, 'trainers').replaceChildren(...this.cards.map((c) => c.element));
    this.start.disabled = this.configs.length === 0 || this.running;
  }

  private get running(): boolean {
    return this.root.dataset.training === 'running';
  }

  private setRunning(running: boolean): void {
    this.root.dataset.training = running ? 'running' : 'idle';
    this.setup.disabled = running;
    this.start.disabled = running || this.configs.length === 0;
    this.stop.disabled = !running;
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private train(): void {
    if (!this.worker) {
      this.worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
      this.worker.onerror = (e) => {
        this.fail(`the training worker failed: ${e.message}`);
        this.worker?.terminate();
        this.worker = null;
      };
    }
    // Cards built now stay with this run's records, so later edits wait for the next run.
    this.buildCards();
    this.runs = this.configs.map((config) => ({
      config,
      losses: [],
      accuracy: new Map(),
      predictions: [],
      average: 0,
      weight: 0,
      firstLoss: null,
      ended: null,
      failed: false,
    }));
    this.cards.forEach((c) => c.setStatus('loading the digits…'));
    this.setRunning(true);
    this.status.textContent = 'loading 10 000 MNIST digits into the worker…';
    this.started = performance.now();
    this.send({
      type: 'start',
      optimizers: this.configs.map((c) => ({ kind: c.kind.id, options: c.options })),
      batchSize: Number(this.batchSize.value),
      epochs: this.epochCount,
      seed: 0,
    });
  }

  private receive(m: FromWorker): void {
    const run = 'run' in m && m.run !== null ? this.runs[m.run] : undefined;
    switch (m.type) {
      case 'threads':
        this.threads.dataset.threads = String(m.threads);
        this.threads.textContent =
          `${m.threads} thread${m.threads === 1 ? '' : 's'}` + (m.reason === null ? '' : `: ${m.reason}`);
        return;
      case 'ready':
        [this.images, this.labels] = [m.images, m.labels];
        this.digitsChanged = true;
        this.started = performance.now();
        break;
      case 'step':
        if (!run) return;
        run.firstLoss ??= m.loss;
        run.average = SMOOTHING * run.average + (1 - SMOOTHING) * m.loss;
        run.weight = SMOOTHING * run.weight + (1 - SMOOTHING);
        run.losses[m.step - 1] = run.average / run.weight;
        break;
      case 'evaluation':
        if (!run) return;
        run.accuracy.set(m.step, m.accuracy);
        run.predictions = m.predictions;
        this.digitsChanged = true;
        break;
      case 'finished':
        if (run) run.ended = m.stopped ?? 'finished';
        break;
      case 'error':
        if (run) Object.assign(run, { ended: m.message, failed: true });
        else this.fail(m.message);
        break;
      case 'done':
        // The final state is drawn at once, so an idle page never shows a run as still going.
        this.setRunning(false);
        return this.draw();
    }
    this.queueDraw();
  }

  private fail(message: string): void {
    this.status.textContent = message;
    this.setRunning(false);
  }

  /** Redraws at most once a frame, however many messages arrive. */
  private queueDraw(): void {
    if (this.drawQueued) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      this.draw();
    });
  }

  private draw(): void {
    const steps = Math.max(0, ...this.runs.map((r) => r.losses.length));
    const seconds = (performance.now() - this.started) / 1000;
    this.status.textContent = this.running
      ? `training: step ${steps}, ${formatNumber(steps / Math.max(seconds, 1e-3))} steps/s per network`
      : `${steps} steps in ${formatNumber(seconds)} s per network`;
    this.runs.forEach((r, i) => {
      const card = this.cards[i]!;
      const loss = r.losses.at(-1);
      const accuracy = [...r.accuracy.values()].at(-1);
      if (r.failed) return card.setStatus(r.ended!, true);
      if (loss === undefined) return;
      card.element.dataset.step = String(r.losses.length);
      card.element.dataset.loss = String(loss);
      card.element.dataset.firstLoss = String(r.firstLoss);
      card.setStatus(
        `step ${r.losses.length}: loss ${formatNumber(loss)}` +
          (accuracy === undefined ? '' : `, held-out accuracy ${formatNumber(100 * accuracy)}%`) +
          (r.ended ? ` (${r.ended})` : ''),
      );
    });
    const names = this.runs.map((r, i) => `${i + 1}. ${describe(r.config)}`);
    this.lossChart.update(
      Float64Array.from({ length: steps }, (_, i) => i + 1),
      this.runs.map((r, i) => ({ label: names[i]!, colour: colourOf(i), values: r.losses })),
      true,
    );
    const evaluated = [...new Set(this.runs.flatMap((r) => [...r.accuracy.keys()]))].sort((a, b) => a - b);
    this.accuracyChart.update(
      evaluated,
      this.runs.map((r, i) => ({
        label: names[i]!,
        colour: colourOf(i),
        values: evaluated.map((s) => r.accuracy.get(s) ?? null),
      })),
      false,
    );
    if (this.digitsChanged) this.drawDigits();
    this.digitsChanged = false;
  }

  /** The test digits, each with the class every network gives it (coloured as its optimizer). */
  private drawDigits(): void {
    const images = this.images;
    if (!images) return;
    const figures = this.labels.map((label, k) => {
      const figure = document.createElement('figure');
      const canvas = Object.assign(document.createElement('canvas'), { width: SIDE, height: SIDE });
      const pixels = new ImageData(SIDE, SIDE);
      for (let p = 0; p < SIDE * SIDE; p++) {
        const ink = 255 * (1 - images[k * SIDE * SIDE + p]!);
        pixels.data.set([ink, ink, ink, 255], 4 * p);
      }
      canvas.getContext('2d')!.putImageData(pixels, 0, 0);
      const caption = document.createElement('figcaption');
      caption.title = `label ${label}`;
      for (const [i, r] of this.runs.entries()) {
        const guess = r.predictions[k];
        if (guess === undefined) continue;
        const chip = document.createElement('span');
        chip.className = guess === label ? 'right' : 'wrong';
        chip.style.setProperty('--colour', colourOf(i));
        chip.textContent = String(guess);
        chip.title = `${describe(r.config)}: ${guess}${guess === label ? '' : ` (it is a ${label})`}`;
        caption.append(chip);
      }
      figure.append(canvas, caption);
      return figure;
    });
    byId(this.root, 'digits').replaceChildren(...figures);
  }
}
