import {
  Adagrad,
  Adam,
  RMSprop,
  SGD,
  adagradSpec,
  adamCoefficients,
  adamSpec,
  rmspropSpec,
  sgdSpec,
  type GroupOptions,
  type NamedParams,
  type Optimizer,
  type OptimizerStateDict,
} from 'rmsprop/optim';

/** A hyper-parameter the page offers as a slider with a number box. */
export interface NumberSetting {
  readonly key: string;
  readonly label: string;
  readonly type: 'number';
  /** Learning rates and ε span decades, so their sliders move on a log scale. */
  readonly scale: 'log' | 'linear';
  readonly min: number;
  readonly max: number;
}

/** A hyper-parameter the page offers as a check box. */
export interface SwitchSetting {
  readonly key: string;
  readonly label: string;
  readonly type: 'switch';
}

export type Setting = NumberSetting | SwitchSetting;
export type Options = Readonly<Record<string, number | boolean>>;
/** One parameter's entry in an optimizer's state dict. */
export type ParamState = OptimizerStateDict['state'][string];

/** An optimizer of the library as the page offers it: which options it shows and how to read its state. */
export interface OptimizerKind {
  /** The key in the URL. */
  readonly id: string;
  readonly name: string;
  readonly settings: readonly Setting[];
  /** The library's defaults of the settings shown. */
  readonly defaults: Options;
  /** The library's optimizer, typed by the options every optimizer shares (all the page needs of it). */
  create(params: NamedParams, options: Options): Optimizer<GroupOptions>;
  /**
   * The step each coordinate takes per unit of (averaged) gradient after the step that left `state`:
   * lr/(√v + ε) for RMSProp, the quantity that makes it adapt per coordinate.
   */
  effectiveStep(options: Options, state: ParamState, size: number): number[];
}

const num = (key: string, label: string, scale: NumberSetting['scale'], min: number, max: number): NumberSetting => ({
  key,
  label,
  type: 'number',
  scale,
  min,
  max,
});
const toggle = (key: string, label: string): SwitchSetting => ({ key, label, type: 'switch' });

const lr = num('lr', 'learning rate', 'log', 1e-5, 10);
const eps = num('eps', 'ε', 'log', 1e-10, 1);
const momentum = num('momentum', 'momentum', 'linear', 0, 0.99);
const nesterov = toggle('nesterov', 'Nesterov');
const epsInSqrt = toggle('epsInSqrt', 'ε inside √');
const initialAccumulator = num('initialAccumulator', 'initial v', 'linear', 0, 1);

/** The library's defaults, for the keys the page shows. */
function pick(defaults: object, settings: readonly Setting[]): Options {
  const all = defaults as Record<string, number | boolean>;
  return Object.fromEntries(settings.map((s) => [s.key, all[s.key]!]));
}

const buffer = (state: ParamState, name: string): ArrayLike<number> => {
  const b = state.buffers[name];
  if (!b) throw new Error(`the optimizer's state has no buffer '${name}'`);
  return b;
};

/** lr / d for each coordinate, d computed from the state as the optimizer's own transform does. */
const perCoordinate = (size: number, o: Options, denominator: (i: number) => number): number[] =>
  Array.from({ length: size }, (_, i) => (o.lr as number) / denominator(i));

/** √(w + ε) or √w + ε, as `epsInSqrt` says (the transforms' `epsIn` and `epsOut`). */
const root = (w: number, o: Options): number =>
  o.epsInSqrt ? Math.sqrt(w + (o.eps as number)) : Math.sqrt(w) + (o.eps as number);

const rmspropSettings = [
  lr,
  num('decay', 'decay β', 'linear', 0, 0.999),
  eps,
  momentum,
  toggle('centered', 'centered'),
  nesterov,
  epsInSqrt,
  initialAccumulator,
];
const rmsprop: OptimizerKind = {
  id: 'rmsprop',
  name: 'RMSProp',
  settings: rmspropSettings,
  defaults: pick(rmspropSpec.defaults, rmspropSettings),
  create: (params, o) => new RMSprop(params, o) as unknown as Optimizer<GroupOptions>,
  effectiveStep(o, state, size) {
    const v = buffer(state, 'squareAvg');
    const mean = o.centered ? buffer(state, 'gradAvg') : null;
    // Centered RMSProp divides by the standard deviation √(v − ḡ²), clamped at 0 as scaleByRms does.
    return perCoordinate(size, o, (i) => root(mean ? Math.max(v[i]! - mean[i]! ** 2, 0) : v[i]!, o));
  },
};

const adamSettings = [
  lr,
  num('beta1', 'β₁ (momentum)', 'linear', 0, 0.99),
  num('beta2', 'β₂ (decay of v)', 'linear', 0.5, 0.9999),
  eps,
  toggle('amsgrad', 'AMSGrad'),
];
const adam: OptimizerKind = {
  id: 'adam',
  name: 'Adam',
  settings: adamSettings,
  defaults: pick(adamSpec.defaults, adamSettings),
  create: (params, o) => new Adam(params, o) as unknown as Optimizer<GroupOptions>,
  effectiveStep(o, state, size) {
    // The step on the bias-corrected mean m̂: lr/(√v̂ + ε), with the library's own correction factors.
    const { vScale, wScale } = adamCoefficients({ ...adamSpec.defaults, ...o }, state.step);
    const v = o.amsgrad ? buffer(state, 'maxExpAvgSq') : buffer(state, 'expAvgSq');
    const scaleV = o.amsgrad ? wScale : vScale * wScale;
    return perCoordinate(size, o, (i) => Math.sqrt(v[i]! * scaleV) + (o.eps as number));
  },
};

const sgdSettings = [lr, momentum, nesterov];
const sgd: OptimizerKind = {
  id: 'sgd',
  name: 'SGD',
  settings: sgdSettings,
  defaults: pick(sgdSpec.defaults, sgdSettings),
  create: (params, o) => new SGD(params, o) as unknown as Optimizer<GroupOptions>,
  effectiveStep: (o, _state, size) => perCoordinate(size, o, () => 1),
};

const adagradSettings = [lr, eps, epsInSqrt, initialAccumulator];
const adagrad: OptimizerKind = {
  id: 'adagrad',
  name: 'Adagrad',
  settings: adagradSettings,
  defaults: pick(adagradSpec.defaults, adagradSettings),
  create: (params, o) => new Adagrad(params, o) as unknown as Optimizer<GroupOptions>,
  effectiveStep(o, state, size) {
    const sum = buffer(state, 'sum');
    return perCoordinate(size, o, (i) => root(sum[i]!, o));
  },
};

/** Every optimizer the page offers, in menu order. */
export const optimizerKinds: readonly OptimizerKind[] = [rmsprop, adam, sgd, adagrad];

export const kindById = (id: string): OptimizerKind | undefined => optimizerKinds.find((k) => k.id === id);

/** An optimizer on the page: its kind and a value for each of the kind's settings. */
export interface OptimizerConfig {
  readonly kind: OptimizerKind;
  readonly options: Options;
}

/** The kind with the library's defaults, overridden by `options` (keys the kind does not show are ignored). */
export function configure(kind: OptimizerKind, options: Options = {}): OptimizerConfig {
  const known = Object.entries(options).filter(([k]) => k in kind.defaults);
  return { kind, options: { ...kind.defaults, ...Object.fromEntries(known) } };
}

/** A short name that tells configurations apart: "RMSProp, momentum 0.9, centered (lr 0.005)". */
export function describe({ kind, options }: OptimizerConfig): string {
  const changed = kind.settings.filter((s) => s.key !== 'lr' && options[s.key] !== kind.defaults[s.key]);
  const parts = changed.map((s) =>
    s.type === 'switch'
      ? options[s.key]
        ? s.label
        : `no ${s.label}`
      : `${s.label} ${formatNumber(options[s.key] as number)}`,
  );
  return `${[kind.name, ...parts].join(', ')} (lr ${formatNumber(options.lr as number)})`;
}

/** Four significant digits, without trailing zeros. */
export const formatNumber = (x: number): string => String(Number(x.toPrecision(4)));
