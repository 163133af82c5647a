import { updateEma } from './ema.js';
import { fusedStep } from './fused-step.js';
import { firstNonFinite, scanGradients } from './gradient-scan.js';
import type { GroupOptions, OptimizerOptions } from './options.js';
import { ParamStates } from './param-state.js';
import {
  collectGradients,
  dataOf,
  entriesOf,
  paramPtr,
  type Entry,
  type GroupInit,
  type NamedGrads,
  type NamedParams,
  type ParamGroup,
} from './params.js';
import { referenceStep } from './reference-step.js';
import { Resolver, type Init } from './resolve.js';
import type { OptimizerSpec } from './spec.js';
import { checkStateDict, OPTIMIZER_FORMAT, type OptimizerStateDict } from './state-dict.js';
import { Staging } from './staging.js';
import { viewAt } from './state-buffer.js';
import { bufferNames } from './transforms/index.js';

/** The weights' moving average starts as a copy of the weights. */
const EMA = { init: (param: Float32Array) => ({ ema: param.slice() }) };

/** A NaN or infinite gradient under `nonFinite: 'error'`; nothing was changed. */
export class NonFiniteGradientError extends Error {
  override name = 'NonFiniteGradientError';
}

/**
 * The stateful facade in the manner of torch.optim: parameter groups, `step`, `zeroGrad`, options that
 * can change at any step, and state keyed by parameter name that round-trips through `stateDict`.
 * `Optimizer` without a type argument is any optimizer of the library.
 */
export class Optimizer<O extends GroupOptions = GroupOptions> {
  readonly paramGroups: ParamGroup<O>[] = [];
  readonly options: OptimizerOptions;
  /** The name users see in messages ('RMSprop') and the kind in state dicts and the registry ('rmsprop'). */
  readonly name: string;
  readonly kind: string;
  /** Optimizer steps taken (skipped ones excluded): the step a schedule sees. */
  stepCount = 0;
  /** Steps skipped for non-finite gradients under `nonFinite: 'skip'`. */
  skippedSteps = 0;
  private readonly entries = new Map<string, Entry<O>>();
  private readonly state = new ParamStates();
  private readonly staging = new Staging();
  private readonly resolver: Resolver<O>;
  private readonly bufferNames = new WeakMap<ParamGroup<O>, { options: Record<string, unknown>; names: string[] }>();

  protected constructor(
    private readonly spec: OptimizerSpec<O>,
    params: NamedParams | readonly GroupInit[],
    init: Init<O>,
  ) {
    this.name = spec.name;
    this.kind = spec.kind;
    this.resolver = new Resolver(spec, init);
    this.options = this.resolver.optimizer;
    const groups = Array.isArray(params) ? (params as readonly GroupInit[]) : [{ params: params as NamedParams }];
    if (groups.length === 0) throw new RangeError(`${spec.name}: got an empty list of parameter groups`);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds parameters with their own options, written as at construction (in the flavor's names if any). */
  addParamGroup(init: GroupInit): void {
    if (!init || typeof init !== 'object' || !init.params) {
      throw new TypeError(`${this.name}: a parameter group needs a 'params' object of named Float32Arrays`);
    }
    const options = this.resolver.group(init);
    const entries = entriesOf(this.name, init.params, (params) => ({ params, options }), this.entries);
    for (const e of entries) this.entries.set(e.name, e);
    this.paramGroups.push(entries[0]!.group);
  }

  /** The learning rate of the first group (a schedule's current value); setting it sets every group's. */
  get lr(): number {
    return this.lrOf(this.paramGroups[0]!);
  }
  set lr(value: number) {
    this.resolver.checker.learningRate('lr', value);
    for (const g of this.paramGroups) g.options.lr = value;
  }

  protected lrOf(g: ParamGroup<O>): number {
    const { lr } = g.options;
    if (typeof lr === 'number') return lr;
    const value = lr(this.stepCount);
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(
        `${this.name}: the learning-rate schedule gave ${value} at step ${this.stepCount}; it must be finite and ≥ 0`,
      );
    }
    return value;
  }

  /**
   * Applies one update. Gradients come from `grads` by name, or else from each parameter's `grad`;
   * a parameter with neither is left alone, as in PyTorch. Returns false when the step was skipped.
   */
  step(grads?: NamedGrads): boolean {
    for (const g of this.paramGroups) this.resolver.checkGroup(g.options);
    this.resolver.checkOptimizer(this.options);
    const lrs = new Map(this.paramGroups.map((g) => [g, this.lrOf(g)]));
    const items = collectGradients(this.name, this.entries, grads);
    const useWasm = this.options.backend === 'wasm';
    if (useWasm && items.some((it) => it.gradPtr === null || paramPtr(it.entry) === null)) this.staging.reserve();

    const { globalClipNorm } = this.options;
    const bad = scanGradients(items, { globalClipNorm, useWasm, staging: this.staging });
    if (bad) {
      if (this.options.nonFinite === 'skip') {
        this.skippedSteps++;
        return false;
      }
      const { index, value } = firstNonFinite(bad);
      throw new NonFiniteGradientError(
        `${this.name}.step: the gradient of '${bad.entry.name}' is ${value} at index ${index} (step ${this.stepCount}); ` +
          `nothing was changed. Pass nonFinite: 'skip' to skip such steps.`,
      );
    }

    // Missing buffers are created before any parameter changes (a momentum switched on creates its own).
    for (const it of items) {
      const g = it.entry.group;
      const names = this.bufferNamesOf(g);
      if (this.state.lacks(it.entry.name, names))
        this.state.ensure(it.entry, names, this.spec.core(g.options, lrs.get(g)!), it.created);
    }
    if (this.options.ema !== null) {
      for (const e of this.entries.values()) this.state.ensure(e, ['ema'], EMA);
    }
    // Allocation may have grown the memory and detached views of it: take the gradients again.
    for (const it of items) if (it.gradPtr !== null) it.grad = viewAt(it.gradPtr, it.grad.length);

    if (useWasm && this.spec.fused)
      fusedStep(this.spec, items, lrs, this.state, { globalClipNorm, staging: this.staging });
    else referenceStep(this.spec, items, lrs, this.state, this.options);
    for (const it of items) this.state.get(it.entry.name)!.step++;
    const { ema, emaOverwriteEvery } = this.options;
    if (ema !== null) {
      const overwrite = emaOverwriteEvery !== null && (this.stepCount + 1) % emaOverwriteEvery === 0;
      updateEma(this.entries.values(), this.state, { momentum: ema, stepCount: this.stepCount, overwrite, useWasm });
    }
    this.stepCount++;
    return true;
  }

  /** The buffers a group's options call for, worked out again only when an option has changed. */
  private bufferNamesOf(g: ParamGroup<O>): readonly string[] {
    const options = g.options as unknown as Record<string, unknown>;
    const known = this.bufferNames.get(g);
    if (known && Object.keys(options).every((k) => k === 'lr' || options[k] === known.options[k])) return known.names;
    const names = bufferNames(this.spec.core(g.options, 0));
    this.bufferNames.set(g, { options: { ...options }, names });
    return names;
  }

  /**
   * The step each element of parameter `name` takes per unit of gradient with the state as it is, at the
   * learning rate the group has now: lr/(√v + ε) for RMSProp, with √(v − ḡ²) when centered; for Adam the
   * factor on the bias-corrected mean, lr/(√v̂ + ε); lr for SGD. Before the parameter's first step its
   * state is as the first step would create it.
   */
  effectiveStep(name: string): Float32Array {
    const e = this.entries.get(name);
    if (!e) throw new RangeError(`${this.name}.effectiveStep: no parameter named '${name}'`);
    if (!this.spec.effectiveStep) throw new TypeError(`${this.name}.effectiveStep: not defined for this optimizer`);
    const o = e.group.options;
    const lr = this.lrOf(e.group);
    const st = this.state.get(name);
    const buffers = { ...this.spec.core(o, lr).init(dataOf(e)), ...this.state.views(name) };
    return this.spec.effectiveStep(o, lr, { step: st?.step ?? 0, buffers }, e.length);
  }

  /** The moving averages of the weights by name (copies), when `ema` is on. */
  emaWeights(): Record<string, Float32Array> {
    if (this.options.ema === null) throw new Error(`${this.name}.emaWeights: ema is off`);
    const out: Record<string, Float32Array> = {};
    for (const [name, st] of this.state.entries()) {
      const b = st.buffers.get('ema');
      if (b) out[name] = b.array.slice();
    }
    return out;
  }

  /** Sets gradients given as `{ data, grad }` to zero. */
  zeroGrad(): void {
    for (const e of this.entries.values()) {
      if (!(e.source instanceof Float32Array)) e.source.grad?.fill(0);
    }
  }

  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    for (const [name, st] of this.state.entries()) {
      state[name] = {
        step: st.step,
        buffers: Object.fromEntries([...st.buffers].map(([k, b]) => [k, b.array.slice()])),
      };
    }
    return {
      format: OPTIMIZER_FORMAT,
      optimizer: this.kind,
      step: this.stepCount,
      skippedSteps: this.skippedSteps,
      groups: this.paramGroups.map((g) => ({
        params: [...g.params],
        options: { ...(g.options as Record<string, unknown>), lr: this.lrOf(g) },
      })),
      state,
    };
  }

  /**
   * Restores state from `stateDict` (also after a JSON round trip). Everything is checked before anything
   * changes (see `checkStateDict`); options other than those that shape the buffers are restored, as in
   * PyTorch, and a group whose learning rate is a schedule keeps its schedule.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const { options, state } = checkStateDict(sd, {
      where: `${this.name}.loadStateDict`,
      kind: this.kind,
      stateShaping: this.spec.stateShaping,
      bufferNames: this.spec.bufferNames,
      groups: this.paramGroups,
      lengthOf: (param) => this.entries.get(param)?.length,
      checkGroup: (o) => this.resolver.checkGroup(o),
    });
    this.state.replace(state);
    this.paramGroups.forEach((g, i) => (g.options = options[i]!));
    this.stepCount = sd.step;
    this.skippedSteps = sd.skippedSteps;
  }

  /** Frees all state now instead of at garbage collection; the optimizer starts afresh if used again. */
  dispose(): void {
    this.state.clear();
    this.staging.free();
  }
}
