import {
  createOptimizer,
  resolveOptions,
  type NamedParams,
  type Optimizer,
  type OptimizerKind as LibraryKind,
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

/** An optimizer of the library as the page offers it: which of its options the page shows. */
export interface OptimizerKind {
  /** The key in the URL: the library's name for the optimizer. */
  readonly id: LibraryKind;
  readonly name: string;
  readonly settings: readonly Setting[];
  /** The library's defaults of the settings shown. */
  readonly defaults: Options;
  /** The library's optimizer, from its registry. */
  create(params: NamedParams, options: Options): Optimizer;
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

/** A kind the page offers: the library's defaults of the settings shown, and its registry's constructor. */
function kind(id: LibraryKind, name: string, settings: readonly Setting[]): OptimizerKind {
  const all = resolveOptions(id).group as Record<string, unknown>;
  const defaults = Object.fromEntries(settings.map((s) => [s.key, all[s.key] as number | boolean]));
  return { id, name, settings, defaults, create: (params, options) => createOptimizer(id, params, options) };
}

const rmsprop = kind('rmsprop', 'RMSProp', [
  lr,
  num('decay', 'decay β', 'linear', 0, 0.999),
  eps,
  momentum,
  toggle('centered', 'centered'),
  nesterov,
  epsInSqrt,
  initialAccumulator,
]);
const adam = kind('adam', 'Adam', [
  lr,
  num('beta1', 'β₁ (momentum)', 'linear', 0, 0.99),
  num('beta2', 'β₂ (decay of v)', 'linear', 0.5, 0.9999),
  eps,
  toggle('amsgrad', 'AMSGrad'),
]);
const sgd = kind('sgd', 'SGD', [lr, momentum, nesterov]);
const adagrad = kind('adagrad', 'Adagrad', [lr, eps, epsInSqrt, initialAccumulator]);

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
