import type { Schedule } from './schedule.js';

export interface PlateauOptions {
  /** Whether the metric should go down ('min', a loss) or up ('max', an accuracy). */
  mode: 'min' | 'max';
  factor: number;
  /** Bad steps tolerated before the rate is cut. */
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  /** Steps after a cut during which bad steps are not counted. */
  cooldown: number;
  minLr: number;
  /** Cuts smaller than this are not made. */
  eps: number;
}

interface Target {
  readonly paramGroups: readonly { options: { lr: number | Schedule } }[];
}

/** ReduceLROnPlateau, as in PyTorch: cuts every group's learning rate when a metric stops improving. */
export class ReduceLROnPlateau {
  readonly options: PlateauOptions;
  best: number;
  badSteps = 0;
  cooldownLeft = 0;

  constructor(
    private readonly optimizer: Target,
    options: Partial<PlateauOptions> = {},
  ) {
    const o = (this.options = {
      mode: 'min',
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      thresholdMode: 'rel',
      cooldown: 0,
      minLr: 0,
      eps: 1e-8,
      ...options,
    } as PlateauOptions);
    const fail = (key: string, allowed: string) => {
      throw new RangeError(
        `ReduceLROnPlateau: ${key} must be ${allowed}, got ${JSON.stringify(o[key as keyof PlateauOptions])}`,
      );
    };
    if (o.mode !== 'min' && o.mode !== 'max') fail('mode', "'min' or 'max'");
    if (o.thresholdMode !== 'rel' && o.thresholdMode !== 'abs') fail('thresholdMode', "'rel' or 'abs'");
    if (!(o.factor >= 0 && o.factor < 1)) fail('factor', 'in [0, 1)');
    for (const k of ['patience', 'cooldown'] as const)
      if (!(Number.isInteger(o[k]) && o[k] >= 0)) fail(k, 'an integer ≥ 0');
    for (const k of ['threshold', 'minLr', 'eps'] as const)
      if (!(Number.isFinite(o[k]) && o[k] >= 0)) fail(k, 'a finite number ≥ 0');
    if (optimizer.paramGroups.some((g) => typeof g.options.lr !== 'number')) {
      throw new TypeError('ReduceLROnPlateau: every group needs a numeric learning rate, not a schedule');
    }
    this.best = o.mode === 'min' ? Infinity : -Infinity;
  }

  private improves(x: number): boolean {
    const { mode, threshold, thresholdMode } = this.options;
    const b = this.best;
    if (mode === 'min') return thresholdMode === 'rel' ? x < b * (1 - threshold) : x < b - threshold;
    return thresholdMode === 'rel' ? x > b * (1 + threshold) : x > b + threshold;
  }

  /** Reports the metric after a step or an epoch; cuts the rates if it has not improved for too long. */
  step(metric: number): void {
    if (!Number.isFinite(metric))
      throw new RangeError(`ReduceLROnPlateau.step: the metric must be finite, got ${metric}`);
    if (this.improves(metric)) {
      this.best = metric;
      this.badSteps = 0;
    } else this.badSteps++;
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.badSteps = 0;
    }
    if (this.badSteps > this.options.patience) {
      for (const g of this.optimizer.paramGroups) {
        const old = g.options.lr as number;
        const cut = Math.max(old * this.options.factor, this.options.minLr);
        if (old - cut > this.options.eps) g.options.lr = cut;
      }
      this.cooldownLeft = this.options.cooldown;
      this.badSteps = 0;
    }
  }
}
