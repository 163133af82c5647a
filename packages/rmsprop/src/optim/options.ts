import type { Schedule } from './schedules/schedule.js';

/** Options every optimizer has, settable per parameter group. */
export interface GroupOptions {
  /** Learning rate: a number, or a schedule of the optimizer's step count. */
  lr: number | Schedule;
  weightDecay: number;
  /** Decay the weights directly, p ← p − lr·wd·p (AdamW, Keras), instead of adding wd·p to the gradient (L2). */
  decoupledWeightDecay: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
  /** Clamp each gradient element to [−clipValue, clipValue] (null: off). */
  clipValue: number | null;
  /** Rescale each parameter's gradient to an L2 norm of at most clipNorm (null: off). */
  clipNorm: number | null;
}

/** Options that hold for the whole optimizer. */
export interface OptimizerOptions {
  /** Rescale all gradients together to a joint L2 norm of at most this (null: off). */
  globalClipNorm: number | null;
  /** Keep an exponential moving average of the weights with this momentum (Keras `use_ema`; null: off). */
  ema: number | null;
  /** Every this many steps, copy the moving average into the weights (Keras `ema_overwrite_frequency`). */
  emaOverwriteEvery: number | null;
  /** What a NaN or infinite gradient does: throw before anything changes, or skip the whole step. */
  nonFinite: 'error' | 'skip';
  /** Fused WebAssembly kernels, or the TypeScript chain of transforms they are checked against. */
  backend: 'wasm' | 'js';
}

export const OPTIMIZER_KEYS: readonly (keyof OptimizerOptions)[] = [
  'globalClipNorm',
  'ema',
  'emaOverwriteEvery',
  'nonFinite',
  'backend',
];

export const GROUP_DEFAULTS: GroupOptions = {
  lr: 1e-3,
  weightDecay: 0,
  decoupledWeightDecay: false,
  maximize: false,
  clipValue: null,
  clipNorm: null,
};

/** Thrown for an option outside its allowed range; the message names the option, the value and the range. */
export class OptionError extends RangeError {
  override name = 'OptionError';
}

/** Checks option values; `label` turns a canonical name into the one the user wrote (e.g. pytorch 'alpha'). */
export class OptionChecker {
  constructor(
    private readonly owner: string,
    private readonly label: (key: string) => string = (k) => k,
  ) {}

  fail(key: string, value: unknown, allowed: string): never {
    const shown =
      typeof value === 'function' ? 'a function' : typeof value === 'number' ? String(value) : JSON.stringify(value);
    throw new OptionError(`${this.owner}: ${this.label(key)} must be ${allowed}, got ${shown}`);
  }

  /** A finite number in [lo, hi] (or [lo, hi) with `openHigh`). */
  range(key: string, value: unknown, lo: number, hi = Infinity, openHigh = false): void {
    const ok =
      typeof value === 'number' && Number.isFinite(value) && value >= lo && (openHigh ? value < hi : value <= hi);
    if (!ok)
      this.fail(
        key,
        value,
        hi === Infinity ? `a finite number ≥ ${lo}` : `a finite number in [${lo}, ${hi}${openHigh ? ')' : ']'}`,
      );
  }

  positive(key: string, value: unknown): void {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      this.fail(key, value, 'a finite number > 0');
    }
  }

  /** null (off) or a finite number > 0. */
  optionalPositive(key: string, value: unknown): void {
    if (value !== null) this.positive(key, value);
  }

  boolean(key: string, value: unknown): void {
    if (typeof value !== 'boolean') this.fail(key, value, 'true or false');
  }

  oneOf(key: string, value: unknown, allowed: readonly unknown[]): void {
    if (!allowed.includes(value)) this.fail(key, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }

  learningRate(key: string, value: unknown): void {
    if (typeof value !== 'function') this.range(key, value, 0);
  }

  group(o: GroupOptions): void {
    this.learningRate('lr', o.lr);
    this.range('weightDecay', o.weightDecay, 0);
    this.boolean('decoupledWeightDecay', o.decoupledWeightDecay);
    this.boolean('maximize', o.maximize);
    this.optionalPositive('clipValue', o.clipValue);
    this.optionalPositive('clipNorm', o.clipNorm);
  }

  optimizer(o: OptimizerOptions, wasmAvailable: boolean): void {
    this.optionalPositive('globalClipNorm', o.globalClipNorm);
    if (o.ema !== null) this.range('ema', o.ema, 0, 1);
    if (o.emaOverwriteEvery !== null) {
      if (!Number.isInteger(o.emaOverwriteEvery) || o.emaOverwriteEvery < 1) {
        this.fail('emaOverwriteEvery', o.emaOverwriteEvery, 'null or an integer ≥ 1');
      }
      if (o.ema === null) this.fail('emaOverwriteEvery', o.emaOverwriteEvery, 'null when ema is off');
    }
    this.oneOf('nonFinite', o.nonFinite, ['error', 'skip']);
    this.oneOf('backend', o.backend, wasmAvailable ? ['wasm', 'js'] : ['js']);
  }
}
