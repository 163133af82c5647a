import * as tf from '@tensorflow/tfjs-core';
import {
  createOptimizer,
  OptionError,
  resolveOptions,
  type Optimizer,
  type OptimizerKind,
  type OptimizerInit,
  type OptionsByKind,
  type ResolvedOptions,
} from 'rmsprop/optim';
import {
  readSavedWeights,
  savedWeights,
  stateByPosition,
  tensorsOf,
  type NamedTensor,
  type SavedState,
} from './saved-weights.js';

/**
 * A TensorFlow.js optimizer that runs one of ours. Its state is kept by variable name, so a reordered
 * or partial gradient map cannot mix buffers up; values cross between TensorFlow.js and the optimizer
 * as float32 arrays, so it works on any backend.
 */
export class TfjsOptimizer<K extends OptimizerKind> extends tf.Optimizer {
  private core: Optimizer<OptionsByKind[K]> | null = null;
  /** Working copies of the variables, which the core optimizer updates in place. */
  private readonly values = new Map<string, Float32Array>();
  private readonly variables = new Map<string, tf.Variable>();
  /** Weights given to `setWeights` before the variables they belong to were known, bound at the next step. */
  private pendingWeights: SavedState | null = null;
  /** The options resolved and checked by the library's registry at construction. */
  private readonly resolved: ResolvedOptions;
  private pendingLr: number | null = null;

  constructor(
    private readonly kind: K,
    private readonly options: OptimizerInit<K>,
  ) {
    super();
    this.resolved = resolveOptions(kind, options);
  }

  /** The library optimizer over the variables seen so far, registering `names` that are new; null before any. */
  private coreFor(names: readonly string[]): Optimizer<OptionsByKind[K]> | null {
    const fresh = names.filter((n) => !this.variables.has(n));
    for (const name of fresh) {
      const v = tf.engine().registeredVariables[name];
      if (!v) throw new Error(`${this.getClassName()}: no variable named '${name}' is registered with TensorFlow.js`);
      if (v.dtype !== 'float32') {
        throw new TypeError(
          `${this.getClassName()}: variable '${name}' is ${v.dtype}; only float32 variables can be trained`,
        );
      }
      this.variables.set(name, v);
      this.values.set(name, new Float32Array(v.size));
    }
    const params = Object.fromEntries(fresh.map((n) => [n, this.param(n)]));
    if (this.core) {
      if (fresh.length > 0) {
        // Variables met later get the options the first group has now, learning rate included.
        this.core.addParamGroup({ params });
        this.core.paramGroups.at(-1)!.options = { ...this.core.paramGroups[0]!.options };
      }
    } else if (fresh.length > 0) {
      this.core = createOptimizer(this.kind, params, this.options);
      if (this.pendingLr !== null) this.core.lr = this.pendingLr;
    }
    return this.core;
  }

  private param(name: string) {
    const values = this.values;
    return {
      get data(): Float32Array {
        return values.get(name)!;
      },
    };
  }

  /** Reads the variables into the working copies (a user may have assigned them since). */
  private pull(names: Iterable<string>): void {
    for (const n of names) this.values.get(n)!.set(this.variables.get(n)!.dataSync() as Float32Array);
  }

  private push(names: Iterable<string>): void {
    for (const n of names) {
      const v = this.variables.get(n)!;
      tf.tidy(() => v.assign(tf.tensor(this.values.get(n)!, v.shape, 'float32')));
    }
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const given = list.filter((g) => g.tensor != null);
    const core = this.coreFor(given.map((g) => g.name));
    if (!core) {
      this.incrementIterations(); // a step with no gradient, as tf.train.* counts it
      return;
    }
    if (this.pendingWeights) {
      const saved = this.pendingWeights;
      this.pendingWeights = null;
      this.restore(saved, stateByPosition(`${this.getClassName()}.setWeights`, saved, [...this.variables.keys()]));
    }
    const grads: Record<string, Float32Array> = {};
    for (const { name, tensor } of given) {
      if (tensor.dtype !== 'float32')
        throw new TypeError(`${this.getClassName()}: the gradient of '${name}' is ${tensor.dtype}, not float32`);
      grads[name] = tensor.dataSync() as Float32Array;
    }
    // With EMA overwriting the weights, every variable can change, not only those with a gradient.
    const touched = core.options.ema !== null ? [...this.variables.keys()] : Object.keys(grads);
    this.pull(touched);
    if (core.step(grads)) {
      this.push(touched);
      this.incrementIterations();
    }
  }

  /** The learning rate of every group, settable between steps (tf.train.* has no way to change it). */
  get learningRate(): number {
    if (this.core) return this.core.lr;
    const { lr } = this.resolved.group;
    return this.pendingLr ?? (typeof lr === 'number' ? lr : lr(0));
  }
  set learningRate(value: number) {
    if (this.core) {
      this.core.lr = value; // checks the value
      return;
    }
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0))
      throw new OptionError(`${this.resolved.name}: lr must be a finite number ≥ 0, got ${value}`);
    this.pendingLr = value;
  }

  /** The moving averages of the weights by variable name, when `ema` is on. */
  emaWeights(): Record<string, Float32Array> {
    return this.core?.emaWeights() ?? {};
  }

  /**
   * `iter`, then every variable's first slot, then every variable's second, … as `<variable>/<slot>`,
   * with tf.train.*'s names and order (`rms`, `momentum`, `mg` for RMSProp): what `model.save` writes
   * with `includeOptimizer`. The moving average of the weights, when on, comes last as `ema`.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    const iter = await this.saveIterations();
    if (this.pendingWeights) return [iter, ...tensorsOf(this.pendingWeights)]; // not bound to variables yet
    return this.core ? [iter, ...savedWeights(this.kind, this.core.stateDict().state, this.variables)] : [iter];
  }

  /**
   * Restores weights from `getWeights` or from tf.train.* (`tf.loadLayersModel` calls it). Entries for
   * variables this optimizer trains go to them by name; otherwise, as TensorFlow.js does, the i-th entry
   * of each slot goes to the i-th variable this optimizer trains (a loaded model's variables have new
   * names), at once if it has variables, else at its first step. Anything that does not fit is
   * refused before any state changes. To continue a tf.train.* run exactly, use `flavor: 'tfjs'`, whose
   * buffers mean what TensorFlow.js's do.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const where = `${this.getClassName()}.setWeights`;
    const saved = await readSavedWeights(where, this.kind, weightValues);
    const known = saved.names.every((n) => this.variables.has(n));
    if (saved.names.length === 0) this.pendingWeights = null;
    else if (known) this.restore(saved, stateByPosition(where, saved, saved.names));
    else if (this.variables.size > 0) this.restore(saved, stateByPosition(where, saved, [...this.variables.keys()]));
    else this.pendingWeights = saved;
    this.iterations_ = saved.step;
  }

  private restore(saved: SavedState, state: ReturnType<typeof stateByPosition>): void {
    const core = this.coreFor(Object.keys(state))!;
    core.loadStateDict({ ...core.stateDict(), step: saved.step, skippedSteps: 0, state });
  }

  /**
   * The options as written, or with a flavor our resolved ones: tfjs-layers saves the configuration
   * with its keys in snake_case and loads it back in camelCase, which our names survive and a flavor's
   * (`learning_rate`, `weight_decay`) would not. A schedule is code: its current learning rate is saved.
   */
  override getConfig(): tf.serialization.ConfigDict {
    const options = this.options as Record<string, unknown>;
    const written = options.flavor === undefined ? options : this.resolvedChanges();
    return {
      ...written,
      ...(typeof written.lr === 'function' ? { lr: this.learningRate } : {}),
    } as tf.serialization.ConfigDict;
  }

  /** The resolved options that differ from ours by default. */
  private resolvedChanges(): Record<string, unknown> {
    const ours = resolveOptions(this.kind);
    const now = { ...this.resolved.group, ...this.resolved.optimizer, lr: this.learningRate };
    const defaults: Record<string, unknown> = { ...ours.group, ...ours.optimizer };
    return Object.fromEntries(Object.entries(now).filter(([k, v]) => v !== defaults[k]));
  }

  /** Makes one from `getConfig` output, leaving out what tfjs-layers adds (`customObjects`). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { customObjects: _, ...options } = config;
    return new cls(options);
  }

  override dispose(): void {
    this.core?.dispose();
    super.dispose();
  }
}
