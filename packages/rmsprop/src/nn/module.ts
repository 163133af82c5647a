import { keep, noGrad, type Tensor } from '../tensor/index.js';

/**
 * A layer or a model: named parameters, buffers (running statistics) and child modules, a training
 * mode, and a state dict whose names follow PyTorch's (`0.weight`, `lstm.weight_ih_l0`), so weights can
 * move between the two.
 */
export abstract class Module {
  training = true;
  private readonly params = new Map<string, Tensor>();
  private readonly buffers = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  abstract forward(...inputs: Tensor[]): Tensor;

  /** Registers a parameter: kept across steps and requiring a gradient. */
  protected param(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    this.params.set(name, keep(t));
    return t;
  }

  /** Registers state that is saved and loaded but not trained (BatchNorm's running statistics). */
  protected buffer(name: string, t: Tensor): Tensor {
    this.buffers.set(name, keep(t));
    return t;
  }

  protected module<M extends Module>(name: string, m: M): M {
    this.children.set(name, m);
    return m;
  }

  *namedModules(prefix = ''): Generator<[string, Module]> {
    yield [prefix, this];
    for (const [name, child] of this.children) yield* child.namedModules(prefix ? `${prefix}.${name}` : name);
  }

  /** Every parameter with its dotted name, in registration order. */
  namedParameters(): [string, Tensor][] {
    return [...this.namedModules()].flatMap(([p, m]) =>
      [...m.params].map(([n, t]): [string, Tensor] => [p ? `${p}.${n}` : n, t]),
    );
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  namedBuffers(): [string, Tensor][] {
    return [...this.namedModules()].flatMap(([p, m]) =>
      [...m.buffers].map(([n, t]): [string, Tensor] => [p ? `${p}.${n}` : n, t]),
    );
  }

  /** Training mode (dropout active, batch statistics) or evaluation mode, for this module and its children. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad?.data.fill(0);
  }

  /** Copies of every parameter and buffer, by name. */
  stateDict(): Record<string, Float32Array> {
    return Object.fromEntries([...this.namedParameters(), ...this.namedBuffers()].map(([n, t]) => [n, t.data.slice()]));
  }

  /** Loads values by name; every name and size must match (both ways) before anything is written. */
  loadStateDict(state: Readonly<Record<string, ArrayLike<number>>>): void {
    const own = new Map([...this.namedParameters(), ...this.namedBuffers()]);
    const missing = [...own.keys()].filter((k) => !(k in state));
    const unexpected = Object.keys(state).filter((k) => !own.has(k));
    if (missing.length || unexpected.length) {
      throw new RangeError(
        `loadStateDict: ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && unexpected.length ? '; ' : ''}` +
          `${unexpected.length ? `unexpected ${unexpected.join(', ')}` : ''}`,
      );
    }
    for (const [name, t] of own) {
      if (state[name]!.length !== t.size) {
        throw new RangeError(
          `loadStateDict: '${name}' has ${state[name]!.length} values, the module's [${t.shape.join(', ')}] needs ${t.size}`,
        );
      }
    }
    noGrad(() => {
      for (const [name, t] of own) t.data.set(state[name]!);
    });
  }

  /** Number of trainable values. */
  get parameterCount(): number {
    return this.parameters().reduce((a, t) => a + t.size, 0);
  }
}

/** Modules applied one after another, named '0', '1', … as in PyTorch. */
export class Sequential extends Module {
  readonly layers: Module[];
  constructor(...layers: Module[]) {
    super();
    this.layers = layers.map((m, i) => this.module(String(i), m));
  }
  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, m) => m.forward(h), x);
  }
}
