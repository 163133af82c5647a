import { wasmAvailable } from '../kernels/index.js';
import { flavors, type Flavor, type FlavorKind, type FlavorOptimizer, type FlavorOptionName } from './flavors/index.js';
import {
  GROUP_DEFAULTS,
  OPTIMIZER_KEYS,
  OptionChecker,
  OptionError,
  type GroupOptions,
  type OptimizerOptions,
} from './options.js';
import type { OptimizerSpec } from './spec.js';

/**
 * What a user may pass to an optimizer of our kind K: our options, or a framework's own (`{ flavor:
 * 'keras', rho: 0.95 }`), whose names are checked by the compiler too.
 */
export type Init<O, K extends FlavorKind = FlavorKind> =
  (Partial<O & OptimizerOptions> & { flavor?: undefined }) | FlavoredInit<K>;

/** Our options a flavor also takes, for features the framework lacks. */
type Extension = keyof OptimizerOptions | 'clipValue' | 'clipNorm';

/** A framework's options for an optimizer of our kind K, one member per flavor. */
export type FlavoredInit<K extends FlavorKind = FlavorKind> = {
  [F in Flavor]: {
    flavor: F;
    /** The framework's name for the optimizer when it differs from the class: 'adamw', 'momentum', 'amsgrad'. */
    optimizer?: FlavorOptimizer<F, K>;
  } & Partial<Pick<OptimizerOptions & GroupOptions, Extension>> & {
      [N in Exclude<FlavorOptionName<F, K>, Extension>]?: unknown;
    };
}[Flavor];

/** Our options for every key the user can also write under a flavor (features the framework lacks). */
const EXTENSIONS: readonly string[] = [...OPTIMIZER_KEYS, 'clipValue', 'clipNorm'] satisfies readonly Extension[];

const list = (keys: Iterable<string>): string => [...keys].sort().join(', ');

/** What a flavor's name rule makes of a probe value, or nothing where it refuses one. */
function tryRule(rule: (value: unknown) => Record<string, unknown>): Record<string, unknown> {
  try {
    return rule(1);
  } catch {
    return {};
  }
}

/** Turns user options into ours, remembering which name the user wrote for each so errors can quote it. */
export class Translator<O extends GroupOptions> {
  readonly owner: string;
  private readonly labels = new Map<string, string>();

  constructor(
    private readonly spec: OptimizerSpec<O>,
    readonly flavor: Flavor | undefined,
    /** The framework's name for the optimizer, when it is not our kind (`'adamw'`, `'momentum'`). */
    private readonly entryName: string = spec.kind,
  ) {
    this.owner = flavor ? `${spec.name} (${flavor} flavor)` : spec.name;
    if (flavor !== undefined && !(flavor in flavors)) {
      throw new OptionError(
        `${spec.name}: flavor must be one of ${list(Object.keys(flavors))}, got ${JSON.stringify(flavor)}`,
      );
    }
  }

  label = (key: string): string => this.labels.get(key) ?? key;

  /** Whether this optimizer can run as a fused kernel here. */
  get fusedAvailable(): boolean {
    return wasmAvailable && this.spec.fused !== undefined;
  }

  private get entry() {
    if (!this.flavor) return undefined;
    const entry = flavors[this.flavor][this.entryName];
    if (!entry || entry.kind !== this.spec.kind) {
      throw new OptionError(
        `${this.spec.name}: the ${this.flavor} flavor has no optimizer '${this.entryName}' of this kind`,
      );
    }
    return entry;
  }

  /** Defaults: ours, then the flavor's. */
  defaults(): { group: O; optimizer: OptimizerOptions } {
    return this.split({
      ...OPTIMIZER_DEFAULTS,
      backend: this.fusedAvailable ? 'wasm' : 'js',
      ...GROUP_DEFAULTS,
      ...(this.spec.defaults as Record<string, unknown>),
      ...this.entry?.defaults,
    });
  }

  /** Translates the options the user wrote; unknown names are refused with the list of known ones. */
  translate(options: Record<string, unknown>): Record<string, unknown> {
    const entry = this.entry;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options)) {
      if (key === 'flavor' || key === 'optimizer' || key === 'params' || value === undefined) continue;
      const rule = entry?.names[key];
      let mapped: Record<string, unknown>;
      if (rule) {
        try {
          mapped = rule(value);
        } catch (e) {
          throw new OptionError(`${this.owner}: ${(e as Error).message}`);
        }
      } else if (
        entry
          ? EXTENSIONS.includes(key)
          : key in this.spec.defaults || key in GROUP_DEFAULTS || EXTENSIONS.includes(key)
      ) {
        mapped = { [key]: value };
      } else {
        const known = entry
          ? [...Object.keys(entry.names), ...EXTENSIONS]
          : [...Object.keys(this.spec.defaults), ...EXTENSIONS];
        throw new OptionError(`${this.owner}: unknown option '${key}'; known options are ${list(new Set(known))}`);
      }
      for (const k of Object.keys(mapped)) if (k !== key) this.labels.set(k, `${this.flavor} '${key}'`);
      Object.assign(out, mapped);
    }
    entry?.finish?.(out);
    return out;
  }

  /** Full options from the user's top-level options. */
  resolve(options: Record<string, unknown>): { group: O; optimizer: OptimizerOptions } {
    const translated = this.translate(options);
    const entry = this.entry;
    if (entry && !('lr' in entry.defaults) && translated.lr === undefined) {
      // Named as the user writes it in that framework: `learning_rate`, `learningRate`.
      const name = Object.keys(entry.names).find((k) => 'lr' in tryRule(entry.names[k]!)) ?? 'lr';
      throw new OptionError(`${this.owner}: ${name} is required (the learning rate has no default in ${this.flavor})`);
    }
    const d = this.defaults();
    const s = this.split(translated);
    return { group: { ...d.group, ...s.group }, optimizer: { ...d.optimizer, ...s.optimizer } };
  }

  /** Splits options into per-group and optimizer-wide ones. */
  split(o: Record<string, unknown>): { group: O; optimizer: OptimizerOptions } {
    const group: Record<string, unknown> = {};
    const optimizer: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      ((OPTIMIZER_KEYS as readonly string[]).includes(k) ? optimizer : group)[k] = v;
    }
    return { group: group as unknown as O, optimizer: optimizer as unknown as OptimizerOptions };
  }
}

const OPTIMIZER_DEFAULTS: Omit<OptimizerOptions, 'backend'> = {
  globalClipNorm: null,
  ema: null,
  emaOverwriteEvery: null,
  nonFinite: 'error',
};

/**
 * An optimizer's options as the user wrote them (`Init`), translated, completed with defaults and
 * checked: the optimizer-wide ones at once, each group's when it is added, and both again at every step.
 */
export class Resolver<O extends GroupOptions> {
  readonly checker: OptionChecker;
  readonly optimizer: OptimizerOptions;
  private readonly translator: Translator<O>;
  private readonly base: O;

  constructor(
    private readonly spec: OptimizerSpec<O>,
    init: Init<O>,
  ) {
    const { flavor, optimizer: entryName, ...rest } = (init ?? {}) as Record<string, unknown>;
    this.translator = new Translator(spec, flavor as Flavor | undefined, entryName as string | undefined);
    this.checker = new OptionChecker(this.translator.owner, this.translator.label);
    const { group, optimizer } = this.translator.resolve(rest);
    this.checkOptimizer(optimizer);
    this.optimizer = optimizer;
    this.base = group;
  }

  /** A group's options: the optimizer's, overridden by those written for the group (`params` aside). */
  group(init: Record<string, unknown>): O {
    const translated = this.translator.translate(init);
    const wide = Object.keys(this.translator.split(translated).optimizer);
    if (wide.length > 0) {
      throw new RangeError(
        `${this.spec.name}: ${wide.join(', ')} apply to the whole optimizer, not to a parameter group`,
      );
    }
    const options = { ...this.base, ...translated } as O;
    this.checkGroup(options);
    return options;
  }

  checkGroup(o: O): void {
    this.spec.check(o, this.checker);
    this.checker.group(o);
  }

  checkOptimizer(o: OptimizerOptions): void {
    this.checker.optimizer(o, this.translator.fusedAvailable);
  }
}
