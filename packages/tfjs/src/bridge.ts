import * as tf from '@tensorflow/tfjs-core';
import {
  createOptimizer,
  OptionError,
  resolveOptions,
  type Init,
  type Optimizer,
  type OptimizerKind,
  type OptimizerStateDict,
  type OptionsByKind,
  type ResolvedOptions,
} from 'rmsprop/optim';

/** tfjs-core's { name, tensor } pair, which it does not export. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

// What tf.train.* call each buffer in getWeights (`dense/kernel/rms`), so saved state reads the same.
const ADAM_SLOTS = { expAvg: 'm', expAvgSq: 'v', maxExpAvgSq: 'vhat' };
const SLOTS: Record<OptimizerKind, Record<string, string>> = {
  rmsprop: { squareAvg: 'rms', momentumBuffer: 'momentum', gradAvg: 'mg' },
  adam: ADAM_SLOTS,
  adamw: ADAM_SLOTS,
  sgd: { momentumBuffer: 'momentum' },
  adagrad: { sum: 'accumulator' },
  adadelta: { squareAvg: 'accum_grad', accDelta: 'accum_var' },
};

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
  private readonly slots: Record<string, string>;
  /** The options resolved and checked by the library's registry at construction. */
  private readonly resolved: ResolvedOptions;
  private pendingLr: number | null = null;

  constructor(
    private readonly kind: K,
    private readonly options: Init<OptionsByKind[K]>,
  ) {
    super();
    this.resolved = resolveOptions(kind, options);
    this.slots = { ...SLOTS[kind], ema: 'ema' };
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

  /** `iter`, then each buffer of each variable as `<variable>/<slot>` with tf.train.*'s slot names. */
  override async getWeights(): Promise<NamedTensor[]> {
    const out = [await this.saveIterations()];
    if (!this.core) return out;
    const { state } = this.core.stateDict();
    for (const [buffer, slot] of Object.entries(this.slots)) {
      for (const [name, v] of this.variables) {
        const data = state[name]?.buffers[buffer];
        if (data) out.push({ name: `${name}/${slot}`, tensor: tf.tensor(data, v.shape, 'float32') });
      }
    }
    return out;
  }

  /**
   * Restores `getWeights` output. Every name must be `iter` or `<registered variable>/<known slot>` with
   * the variable's size; anything else is refused before any state changes.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const name = `${this.getClassName()}.setWeights`;
    const [iter, ...rest] = weightValues;
    if (!iter || iter.name !== 'iter')
      throw new Error(`${name}: the first weight must be 'iter', got ${JSON.stringify(iter?.name)}`);
    const step = (await iter.tensor.data())[0]!;
    const bySlot = new Map(Object.entries(this.slots).map(([buffer, slot]) => [slot, buffer]));
    const state: OptimizerStateDict['state'] = {};
    for (const { name: full, tensor } of rest) {
      const cut = full.lastIndexOf('/');
      const variable = full.slice(0, cut);
      const buffer = bySlot.get(full.slice(cut + 1));
      if (cut < 0 || !buffer) {
        throw new Error(`${name}: '${full}' is not <variable>/<slot> with a slot of ${[...bySlot.keys()].join(', ')}`);
      }
      if (!tf.engine().registeredVariables[variable])
        throw new Error(`${name}: '${full}' is for variable '${variable}', which is not registered`);
      (state[variable] ??= { step, buffers: {} }).buffers[buffer] = (await tensor.data()) as Float32Array;
    }
    const core = this.coreFor(Object.keys(state));
    if (!core) throw new Error(`${name}: no variable to restore state for (only 'iter' was given)`);
    const current = core.stateDict();
    core.loadStateDict({ ...current, step, skippedSteps: 0, state });
    this.iterations_ = step;
  }

  override getConfig(): tf.serialization.ConfigDict {
    // A schedule is code: the saved configuration holds the learning rate it gives now.
    const { lr } = this.options as { lr?: unknown };
    return {
      ...(this.options as tf.serialization.ConfigDict),
      ...(typeof lr === 'function' ? { lr: this.learningRate } : {}),
    };
  }

  override dispose(): void {
    this.core?.dispose();
    super.dispose();
  }
}
