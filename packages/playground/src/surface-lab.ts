import { addMenu } from './add-menu.js';
import { CurveChart } from './curve-chart.js';
import { elementById as byId } from './element-by-id.js';
import { NumberControl } from './number-control.js';
import { OptimizerCard } from './optimizer-card.js';
import { describe, formatNumber } from './optimizer-kinds.js';
import { colourOf } from './palette.js';
import { PathMap } from './path-map.js';
import { surfacePresets } from './presets.js';
import { surfaceById, surfaces } from './surfaces/surfaces.js';
import { trajectory, type Run, type Trajectory } from './trajectory.js';
import { formatState, parseState, STEPS, type PlaygroundState } from './url-state.js';

/** Playback speeds in steps per second; 0 shows the whole paths at once. */
const SPEEDS = [
  ['slow', 60],
  ['normal', 250],
  ['fast', 1000],
  ['instant', 0],
] as const;
const NOISE = { key: 'noise', label: 'σ', scale: 'log', min: 0.01, max: 100 } as const;
/** Wait this long after the last change before rewriting the address, which browsers rate-limit. */
const URL_DELAY = 200;

/**
 * The surface section: the map with the animated paths, the run's settings, an optimizer card for
 * each path, and the loss and effective-step charts. The state lives in the address bar.
 */
export class SurfaceLab {
  private state: PlaygroundState;
  private trajectories: Trajectory[] = [];
  /** Paths by everything that determines them, so moving one slider reruns one optimizer. */
  private cache = new Map<string, Trajectory>();
  private cards: OptimizerCard[] = [];
  private readonly map: PathMap;
  private readonly lossChart: CurveChart;
  private readonly stepChart: CurveChart;
  /** The step the map shows; Infinity shows every path whole. */
  private frame = Infinity;
  private playing = 0;
  private urlTimer = 0;
  /** The σ the noise switch turns back on. */
  private lastNoise = 1;
  private readonly surfaceSelect: HTMLSelectElement;
  private readonly scrub: HTMLInputElement;
  private readonly speed: HTMLSelectElement;
  private readonly effectiveOf: HTMLSelectElement;

  constructor(private readonly root: HTMLElement) {
    this.surfaceSelect = byId(root, 'surface');
    this.scrub = byId(root, 'scrub');
    this.speed = byId(root, 'speed');
    this.effectiveOf = byId(root, 'effective-of');
    this.state = parseState(location.search);
    if (this.state.noise > 0) this.lastNoise = this.state.noise;
    this.map = new PathMap(byId(root, 'map'), (start) => this.update({ start }, { replay: true }));
    this.lossChart = new CurveChart(byId(root, 'loss-chart'), { xLabel: 'step', yLabel: 'loss' });
    this.stepChart = new CurveChart(byId(root, 'effective-chart'), { xLabel: 'step', yLabel: 'lr / (√v + ε)' });
    this.buildControls();
    this.buildCards();
    this.render();
    this.play();
  }

  private buildControls(): void {
    const { root: r, surfaceSelect, scrub, speed } = this;
    surfaceSelect.replaceChildren(...surfaces.map((s) => new Option(s.name, s.id)));
    surfaceSelect.addEventListener('change', () => {
      const s = surfaceById(surfaceSelect.value)!;
      this.update({ surface: s, start: s.start }, { replay: true });
    });

    const steps = new NumberControl(
      { key: 'steps', label: 'steps', scale: 'log', min: STEPS.min, max: STEPS.max, integer: true },
      this.state.steps,
      (v) => this.update({ steps: Math.min(Math.max(v, STEPS.min), STEPS.max) }),
    );
    const noise = new NumberControl(NOISE, this.lastNoise, (v) => {
      this.lastNoise = v;
      if (noisy.checked) this.update({ noise: v });
    });
    const noisy = Object.assign(document.createElement('input'), { type: 'checkbox', checked: this.state.noise > 0 });
    noisy.addEventListener('change', () => this.update({ noise: noisy.checked ? this.lastNoise : 0 }));
    const noiseLabel = document.createElement('label');
    noiseLabel.className = 'switch';
    noiseLabel.dataset.setting = 'noisy';
    noiseLabel.append(noisy, ' gradient noise');
    const seed = new NumberControl(
      { key: 'seed', label: 'noise seed', scale: 'linear', min: 0, max: 99, integer: true },
      this.state.seed,
      (v) => this.update({ seed: v }),
    );
    byId(r, 'run-settings').replaceChildren(steps.element, noiseLabel, noise.element, seed.element);

    byId(r, 'reset-start').addEventListener('click', () =>
      this.update({ start: this.state.surface.start }, { replay: true }),
    );
    byId(r, 'play').addEventListener('click', () => this.play());
    scrub.addEventListener('input', () => {
      this.stop();
      this.show(Number(scrub.value));
    });
    speed.replaceChildren(...SPEEDS.map(([name, v]) => new Option(name, String(v))));
    speed.value = '250';
    this.effectiveOf.addEventListener('change', () => this.renderEffective());
    addMenu(byId(r, 'add-optimizer'), surfacePresets, (p) =>
      this.update({ optimizers: [...this.state.optimizers, p.config] }, { cards: true }),
    );
  }

  private buildCards(): void {
    this.cards = this.state.optimizers.map(
      (config, i) =>
        new OptimizerCard(config, colourOf(i), {
          change: (c) => this.update({ optimizers: this.state.optimizers.map((o, k) => (k === i ? c : o)) }),
          remove: () => this.update({ optimizers: this.state.optimizers.filter((_, k) => k !== i) }, { cards: true }),
        }),
    );
    byId(this.root, 'optimizers').replaceChildren(...this.cards.map((c) => c.element));
  }

  /**
   * Applies a change: recomputes the paths, redraws (with new cards after the list of optimizers
   * changed), rewrites the address, and replays the animation when the start or the surface moved.
   */
  private update(patch: Partial<PlaygroundState>, o: { replay?: boolean; cards?: boolean } = {}): void {
    this.state = { ...this.state, ...patch };
    if (o.cards) this.buildCards();
    this.render();
    clearTimeout(this.urlTimer);
    // Said on the element until written, for whoever needs the address to match the page (its tests).
    this.root.dataset.addressPending = 'true';
    this.urlTimer = window.setTimeout(() => {
      history.replaceState(null, '', `?${formatState(this.state)}`);
      this.root.dataset.addressPending = 'false';
    }, URL_DELAY);
    if (o.replay) this.play();
  }

  private render(): void {
    const { surface, start, steps, noise, seed, optimizers } = this.state;
    this.surfaceSelect.value = surface.id;
    const run: Run = { surface, start, steps, noise, seed };
    const runKey = JSON.stringify([surface.id, start, steps, noise, seed]);
    const cache = new Map<string, Trajectory>();
    this.trajectories = optimizers.map((config) => {
      const key = JSON.stringify([runKey, config.kind.id, config.options]);
      const t = this.cache.get(key) ?? cache.get(key) ?? trajectory(config, run);
      cache.set(key, t);
      return t;
    });
    this.cache = cache;

    byId(this.root, 'formula').textContent = `f(x, y) = ${surface.formula}`;
    byId(this.root, 'lesson').textContent = surface.lesson;
    byId(this.root, 'start').textContent = `(${start.map(formatNumber).join(', ')})`;
    this.trajectories.forEach((t, i) => this.reportEnd(this.cards[i]!, t));
    this.map.show(
      surface,
      start,
      this.trajectories.map((t, i) => ({ colour: colourOf(i), x: t.x, y: t.y, taken: t.taken })),
    );

    const x = Float64Array.from({ length: steps + 1 }, (_, i) => i);
    const lowest = surface.lowest;
    this.lossChart.update(
      x,
      this.trajectories.map((t, i) => ({
        label: describe(optimizers[i]!),
        colour: colourOf(i),
        values: lowest === null ? t.loss : t.loss.map((v) => v - lowest),
      })),
      lowest !== null,
    );
    byId(this.root, 'loss-title').textContent =
      lowest === null ? 'f against step (unbounded below)' : 'f − f* against step (log scale)';
    this.renderEffective();
    this.scrub.max = String(this.longest());
    this.show(this.frame);
  }

  /** Writes where a path ended on its card (and, for the tests, as data attributes). */
  private reportEnd(card: OptimizerCard, t: Trajectory): void {
    const [x, y, f] = [t.x[t.taken]!, t.y[t.taken]!, t.loss[t.taken]!];
    card.element.dataset.endX = String(x);
    card.element.dataset.endY = String(y);
    card.element.dataset.taken = String(t.taken);
    const where =
      Number.isFinite(x) && Number.isFinite(y)
        ? `, at (${formatNumber(x)}, ${formatNumber(y)}), f = ${formatNumber(f)}`
        : '';
    if (t.taken === 0 && t.stopped) card.setStatus(t.stopped, true);
    else card.setStatus(`${t.stopped ?? 'ended'} after ${t.taken} steps${where}`);
  }

  /** The per-coordinate effective step of the optimizer chosen under the chart (RMSProp by default). */
  private renderEffective(): void {
    const { effectiveOf } = this;
    const names = this.state.optimizers.map((o, i) => `${i + 1}. ${describe(o)}`);
    const chosen = effectiveOf.value === '' ? -1 : Number(effectiveOf.value);
    effectiveOf.replaceChildren(...names.map((n, i) => new Option(n, String(i))));
    const rmsprop = this.state.optimizers.findIndex((o) => o.kind.id === 'rmsprop');
    const index = chosen >= 0 && chosen < names.length ? chosen : Math.max(rmsprop, 0);
    effectiveOf.value = String(index);
    const t = this.trajectories[index];
    const x = Float64Array.from({ length: this.state.steps + 1 }, (_, i) => i);
    const colour = colourOf(index);
    this.stepChart.update(
      x,
      t
        ? [
            { label: 'x coordinate', colour, values: t.effectiveX },
            { label: 'y coordinate', colour, values: t.effectiveY, dashed: true },
          ]
        : [],
      true,
    );
  }

  private longest(): number {
    return Math.max(0, ...this.trajectories.map((t) => t.taken));
  }

  /** Shows the paths up to `frame`. */
  private show(frame: number): void {
    this.frame = frame;
    const step = Math.min(frame, this.longest());
    this.map.reveal(step);
    this.scrub.value = String(step);
    byId(this.root, 'frame').textContent = `step ${Math.floor(step)} of ${this.longest()}`;
    this.lossChart.mark(step);
    this.stepChart.mark(step);
    this.root.dataset.playing = String(this.playing !== 0);
  }

  /** Animates the paths from the start, at the speed chosen at each frame. */
  private play(): void {
    this.stop();
    let last = performance.now();
    let frame = 0;
    const tick = (now: number): void => {
      const speed = Number(this.speed.value);
      frame = speed === 0 ? Infinity : frame + (speed * (now - last)) / 1000;
      last = now;
      if (frame >= this.longest()) {
        this.playing = 0;
        return this.show(Infinity);
      }
      this.playing = requestAnimationFrame(tick);
      this.show(frame);
    };
    this.playing = requestAnimationFrame(tick);
    this.show(0);
  }

  private stop(): void {
    cancelAnimationFrame(this.playing);
    this.playing = 0;
  }
}
