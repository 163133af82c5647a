import { setHyperparameters, wasm } from '../kernels/index.js';
import { OptionChecker, type GroupOptions, type OptimizerOptions } from './options.js';
import { Translator, type Init } from './resolve.js';
import { CLIP_OFF, type FusedCall, type OptimizerSpec } from './spec.js';
import { addressOf, allocState, viewAt, type StateBuffer } from './state-buffer.js';
import {
  addDecayedWeights,
  chain,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  scale,
  type Slot,
  type Transform,
} from './transforms/index.js';

/** A parameter: its values, and optionally a gradient the optimizer reads when `step` gets none. */
export type ParamLike = Float32Array | { readonly data: Float32Array; grad?: Float32Array | null };
/** Parameters by name. Names key the state, so a reordered or partial set of gradients is safe. */
export type NamedParams = Readonly<Record<string, ParamLike>> | ReadonlyMap<string, ParamLike>;
/** A parameter group: its parameters and options that differ from the optimizer's (e.g. no decay on biases). */
export type GroupInit = { params: NamedParams } & Record<string, unknown>;

export interface ParamGroup<O> {
  readonly params: readonly string[];
  /** Change any of these between steps; they are checked again at every step. */
  options: O;
}

/** The serialisable state of an optimizer: options, step counts and buffers, keyed by parameter name. */
export interface OptimizerStateDict {
  format: 'rmsprop-optimizer/1';
  optimizer: string;
  step: number;
  skippedSteps: number;
  /** Group options; a schedule is stored as its current value, and a group given a schedule keeps it. */
  groups: { params: string[]; options: Record<string, unknown> }[];
  state: Record<string, { step: number; buffers: Record<string, Float32Array | number[]> }>;
}

/** A NaN or infinite gradient under `nonFinite: 'error'`; nothing was changed. */
export class NonFiniteGradientError extends Error {
  override name = 'NonFiniteGradientError';
}

interface Entry<O> {
  readonly name: string;
  readonly group: ParamGroup<O>;
  readonly source: ParamLike;
  /** Address of a parameter given as a bare view of the kernels' memory, which growth would detach. */
  readonly ptr: number | null;
  readonly length: number;
}

interface ParamState {
  step: number;
  readonly buffers: Map<string, StateBuffer>;
}

/** One parameter in one step. */
interface Item<O> {
  readonly entry: Entry<O>;
  grad: Float32Array;
  readonly gradPtr: number | null;
  readonly created: Set<string>;
  /** Σg² after clipping by value, when clipping by norm needs it. */
  sumSquares: number;
  finite: boolean;
  gScale: number;
}

const STAGE = 16384; // floats per chunk when arrays outside the kernels' memory are copied through it

function allFiniteJs(g: Float32Array): boolean {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * 0; // NaN from any NaN or ±Infinity
  return s === 0;
}

function sumSquaresJs(g: Float32Array, clip: number): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) {
    const x = Math.min(Math.max(g[i]!, -clip), clip);
    s += x * x;
  }
  return s;
}

/**
 * The stateful facade in the manner of torch.optim: parameter groups, `step`, `zeroGrad`, options that
 * can change at any step, and state keyed by parameter name that round-trips through `stateDict`.
 */
export class Optimizer<O extends GroupOptions> {
  readonly paramGroups: ParamGroup<O>[] = [];
  readonly options: OptimizerOptions;
  /** Optimizer steps taken (skipped ones excluded): the step a schedule sees. */
  stepCount = 0;
  /** Steps skipped for non-finite gradients under `nonFinite: 'skip'`. */
  skippedSteps = 0;
  private readonly entries = new Map<string, Entry<O>>();
  private readonly state = new Map<string, ParamState>();
  private readonly translator: Translator<O>;
  private readonly checker: OptionChecker;
  private readonly base: O;
  private stage: [StateBuffer, StateBuffer] | null = null;

  protected constructor(
    private readonly spec: OptimizerSpec<O>,
    params: NamedParams | readonly GroupInit[],
    init: Init<O>,
  ) {
    const { flavor, optimizer: entryName, ...rest } = init as Record<string, unknown>;
    this.translator = new Translator(spec, flavor as Init<O>['flavor'], entryName as string | undefined);
    this.checker = new OptionChecker(this.translator.owner, this.translator.label);
    const { group, optimizer } = this.translator.resolve(rest);
    this.checker.optimizer(optimizer, wasm !== null);
    this.options = optimizer;
    this.base = group;
    const groups = Array.isArray(params) ? (params as readonly GroupInit[]) : [{ params: params as NamedParams }];
    if (groups.length === 0) throw new RangeError(`${spec.name}: got an empty list of parameter groups`);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds parameters with their own options, written as at construction (in the flavor's names if any). */
  addParamGroup(init: GroupInit): void {
    const name = this.spec.name;
    if (!init || typeof init !== 'object' || !init.params) {
      throw new TypeError(`${name}: a parameter group needs a 'params' object of named Float32Arrays`);
    }
    const translated = this.translator.translate(init);
    const { optimizer } = this.translator.split(translated);
    const wide = Object.keys(optimizer);
    if (wide.length > 0) {
      throw new RangeError(`${name}: ${wide.join(', ')} apply to the whole optimizer, not to a parameter group`);
    }
    const options = { ...this.base, ...translated } as O;
    this.spec.check(options, this.checker);
    this.checker.group(options);
    const params = init.params instanceof Map ? [...init.params] : Object.entries(init.params);
    if (params.length === 0) throw new RangeError(`${name}: got a parameter group with no parameters`);
    const group: ParamGroup<O> = { params: params.map(([n]) => n), options };
    const entries = params.map(([pname, source]): Entry<O> => {
      if (this.entries.has(pname)) throw new RangeError(`${name}: parameter '${pname}' appears in more than one group`);
      const data = source instanceof Float32Array ? source : source?.data;
      if (!(data instanceof Float32Array)) {
        throw new TypeError(`${name}: parameter '${pname}' must be a Float32Array or { data: Float32Array, grad? }`);
      }
      const ptr = source instanceof Float32Array ? addressOf(source) : null;
      return { name: pname, group, source, ptr, length: data.length };
    });
    for (const e of entries) this.entries.set(e.name, e);
    this.paramGroups.push(group);
  }

  /** The learning rate of the first group (a schedule's current value); setting it sets every group's. */
  get lr(): number {
    return this.lrOf(this.paramGroups[0]!);
  }
  set lr(value: number) {
    this.checker.learningRate('lr', value);
    for (const g of this.paramGroups) g.options.lr = value;
  }

  private lrOf(g: ParamGroup<O>): number {
    const { lr } = g.options;
    if (typeof lr === 'number') return lr;
    const value = lr(this.stepCount);
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(
        `${this.spec.name}: the learning-rate schedule gave ${value} at step ${this.stepCount}; it must be finite and ≥ 0`,
      );
    }
    return value;
  }

  private data(e: Entry<O>): Float32Array {
    if (e.ptr !== null) return viewAt(e.ptr, e.length);
    return e.source instanceof Float32Array ? e.source : e.source.data;
  }

  /**
   * Applies one update. Gradients come from `grads` by name, or else from each parameter's `grad`;
   * a parameter with neither is left alone, as in PyTorch. Returns false when the step was skipped.
   */
  step(grads?: Readonly<Record<string, Float32Array>> | ReadonlyMap<string, Float32Array>): boolean {
    for (const g of this.paramGroups) {
      this.spec.check(g.options, this.checker);
      this.checker.group(g.options);
    }
    this.checker.optimizer(this.options, wasm !== null);
    const lrs = new Map(this.paramGroups.map((g) => [g, this.lrOf(g)]));
    const items = this.collect(grads);
    const useWasm = this.options.backend === 'wasm';
    if (useWasm && !this.stage && items.some((it) => it.gradPtr === null || this.paramPtr(it) === null)) {
      this.stage = [allocState(STAGE), allocState(STAGE)];
    }

    // One read of each gradient: its sum of squares when clipping by norm needs it (which is non-finite
    // exactly when the gradient is), else the cheaper check alone.
    const needNorms =
      useWasm && (this.options.globalClipNorm !== null || items.some((it) => it.entry.group.options.clipNorm !== null));
    for (const it of items) {
      const clip = it.entry.group.options.clipValue ?? CLIP_OFF;
      const n = it.grad.length;
      if (needNorms) {
        it.sumSquares = it.gradPtr !== null ? wasm!.sumSquares(it.gradPtr, n, clip) : sumSquaresJs(it.grad, clip);
        it.finite = Number.isFinite(it.sumSquares);
      } else {
        it.finite =
          it.gradPtr !== null
            ? wasm!.allFinite(it.gradPtr, n) === 1
            : useWasm
              ? this.allFiniteStaged(it.grad)
              : allFiniteJs(it.grad);
      }
    }
    const bad = items.find((it) => !it.finite);
    if (bad) {
      if (this.options.nonFinite === 'skip') {
        this.skippedSteps++;
        return false;
      }
      const g = bad.gradPtr !== null ? viewAt(bad.gradPtr, bad.grad.length) : bad.grad;
      const i = g.findIndex((x) => !Number.isFinite(x));
      throw new NonFiniteGradientError(
        `${this.spec.name}.step: the gradient of '${bad.entry.name}' is ${g[i]} at index ${i} (step ${this.stepCount}); ` +
          `nothing was changed. Pass nonFinite: 'skip' to skip such steps.`,
      );
    }

    this.allocate(items);
    // Allocation may have grown the memory and detached views of it: take the gradients again.
    for (const it of items) if (it.gradPtr !== null) it.grad = viewAt(it.gradPtr, it.grad.length);
    if (useWasm) {
      this.scaleGradients(items);
      for (const it of items) this.runFused(it, lrs.get(it.entry.group)!);
    } else {
      this.runReference(items, lrs);
    }
    for (const it of items) this.state.get(it.entry.name)!.step++;
    this.updateEma();
    this.stepCount++;
    return true;
  }

  private collect(grads: Parameters<this['step']>[0]): Item<O>[] {
    const given = grads instanceof Map ? grads : grads ? new Map(Object.entries(grads)) : null;
    if (given) {
      for (const name of given.keys()) {
        if (!this.entries.has(name)) {
          const known = [...this.entries.keys()];
          throw new RangeError(
            `${this.spec.name}.step: got a gradient for unknown parameter '${name}'; parameters are ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`,
          );
        }
      }
    }
    const items: Item<O>[] = [];
    for (const entry of this.entries.values()) {
      const grad = given ? given.get(entry.name) : entry.source instanceof Float32Array ? undefined : entry.source.grad;
      if (grad === undefined || grad === null) continue;
      if (!(grad instanceof Float32Array) || grad.length !== entry.length) {
        throw new RangeError(
          `${this.spec.name}.step: the gradient of '${entry.name}' must be a Float32Array of ${entry.length} elements, got ${grad instanceof Float32Array ? `${grad.length} elements` : typeof grad}`,
        );
      }
      items.push({ entry, grad, gradPtr: addressOf(grad), created: new Set(), sumSquares: 0, finite: true, gScale: 1 });
    }
    return items;
  }

  /** Creates missing buffers (a newly enabled momentum or centered creates its buffer here). */
  private allocate(items: Item<O>[]): void {
    for (const it of items) {
      const o = it.entry.group.options;
      const st = this.stateOf(it.entry.name);
      for (const [name, init] of Object.entries(this.spec.core(o, 0).buffers)) {
        if (st.buffers.has(name)) continue;
        const b = allocState(it.entry.length);
        b.array.fill(init);
        st.buffers.set(name, b);
        it.created.add(name);
      }
    }
    if (this.options.ema !== null) {
      for (const e of this.entries.values()) {
        const st = this.stateOf(e.name);
        if (!st.buffers.has('ema')) {
          const b = allocState(e.length);
          b.array.set(this.data(e));
          st.buffers.set('ema', b);
        }
      }
    }
    if (
      this.options.backend === 'wasm' &&
      !this.stage &&
      items.some((it) => it.gradPtr === null || this.paramPtr(it) === null)
    ) {
      this.stage = [allocState(STAGE), allocState(STAGE)];
    }
  }

  /** The kernel's check over an array outside the kernels' memory, copied through it in chunks. */
  private allFiniteStaged(g: Float32Array): boolean {
    const stage = this.stage![1];
    for (let off = 0; off < g.length; off += STAGE) {
      const n = Math.min(STAGE, g.length - off);
      stage.array.set(g.subarray(off, off + n));
      if (wasm!.allFinite(stage.ptr!, n) !== 1) return false;
    }
    return true;
  }

  private stateOf(name: string): ParamState {
    let st = this.state.get(name);
    if (!st) this.state.set(name, (st = { step: 0, buffers: new Map() }));
    return st;
  }

  private paramPtr(it: Item<O>): number | null {
    return it.entry.ptr ?? addressOf(this.data(it.entry));
  }

  /** Clip-by-norm factors from the sums of squares the non-finite check computed, and maximize's sign. */
  private scaleGradients(items: Item<O>[]): void {
    let total = 0;
    for (const it of items) {
      const { clipNorm, maximize } = it.entry.group.options;
      const norm = Math.sqrt(it.sumSquares);
      it.gScale = (clipNorm === null ? 1 : clipNorm / Math.max(norm, clipNorm)) * (maximize ? -1 : 1);
      total += it.gScale * it.gScale * it.sumSquares;
    }
    const c = this.options.globalClipNorm;
    if (c !== null) {
      const f = c / Math.max(Math.sqrt(total), c);
      for (const it of items) it.gScale *= f;
    }
  }

  private runFused(it: Item<O>, lr: number): void {
    const o = it.entry.group.options;
    const st = this.state.get(it.entry.name)!;
    const decoupled = o.decoupledWeightDecay;
    const base: Record<string, number> = {};
    for (const [k, b] of st.buffers) base[k] = b.ptr!;
    // One mutable call record per parameter: this path runs for every tensor of every step.
    const call = {
      p: this.paramPtr(it),
      g: it.gradPtr,
      buffers: base,
      n: it.entry.length,
      step: st.step + 1,
      created: it.created,
      gScale: it.gScale,
      clip: o.clipValue ?? CLIP_OFF,
      l2: decoupled ? 0 : o.weightDecay,
      pDecay: decoupled ? 1 - lr * o.weightDecay : 1,
    };
    const { p, g } = call;
    if (p !== null && g !== null) {
      this.spec.fused(wasm!, o, lr, call as FusedCall);
      return;
    }
    // Arrays outside the kernels' memory (a TensorFlow.js user's weights) go through it in chunks.
    const [sp, sg] = this.stage!;
    const param = this.data(it.entry);
    const total = call.n;
    call.buffers = { ...base };
    for (let off = 0; off < total; off += STAGE) {
      const n = Math.min(STAGE, total - off);
      if (p === null) sp.array.set(param.subarray(off, off + n));
      if (g === null) sg.array.set(it.grad.subarray(off, off + n));
      call.n = n;
      call.p = p === null ? sp.ptr! : p + off * 4;
      call.g = g === null ? sg.ptr! : g + off * 4;
      for (const k in base) call.buffers[k] = base[k]! + off * 4;
      this.spec.fused(wasm!, o, lr, call as FusedCall);
      if (p === null) param.set(sp.array.subarray(0, n), off);
    }
  }

  /** The reference path: the same update as a chain of transforms, in TypeScript. */
  private runReference(items: Item<O>[], lrs: Map<ParamGroup<O>, number>): void {
    const slots = new Map<ParamGroup<O>, Slot[]>();
    for (const it of items) {
      const st = this.state.get(it.entry.name)!;
      const slot: Slot = {
        name: it.entry.name,
        param: this.data(it.entry),
        update: Float32Array.from(it.grad),
        state: Object.fromEntries([...st.buffers].map(([k, b]) => [k, b.array])),
        created: it.created,
        step: st.step + 1,
      };
      const list = slots.get(it.entry.group) ?? [];
      list.push(slot);
      slots.set(it.entry.group, list);
    }
    const clips = (o: O): Transform[] => [
      ...(o.clipValue !== null ? [clipByValue(o.clipValue)] : []),
      ...(o.clipNorm !== null ? [clipByNorm(o.clipNorm)] : []),
    ];
    for (const [g, s] of slots) chain(...clips(g.options)).apply(s);
    if (this.options.globalClipNorm !== null)
      clipByGlobalNorm(this.options.globalClipNorm).apply([...slots.values()].flat());
    for (const [g, s] of slots) {
      const o = g.options;
      const lr = lrs.get(g)!;
      const decay = o.weightDecay !== 0;
      chain(
        ...(o.maximize ? [scale(-1)] : []),
        ...(decay && !o.decoupledWeightDecay ? [addDecayedWeights(o.weightDecay)] : []),
        this.spec.core(o, lr),
        ...(decay && o.decoupledWeightDecay ? [addDecayedWeights(-lr * o.weightDecay)] : []),
      ).apply(s);
      for (const { param, update } of s) for (let i = 0; i < param.length; i++) param[i]! += update[i]!;
    }
  }

  /** Keras's weight EMA: a copy of the weights on its first step, then avg ← m·avg + (1 − m)·w. */
  private updateEma(): void {
    const { ema, emaOverwriteEvery } = this.options;
    if (ema === null) return;
    const overwrite = emaOverwriteEvery !== null && (this.stepCount + 1) % emaOverwriteEvery === 0;
    for (const e of this.entries.values()) {
      const avg = this.state.get(e.name)!.buffers.get('ema')!;
      const p = this.data(e);
      const pPtr = e.ptr ?? addressOf(p);
      const m = this.stepCount === 0 ? 0 : ema;
      if (this.options.backend === 'wasm' && pPtr !== null) {
        setHyperparameters([m, 1 - m]);
        wasm!.ema(avg.ptr!, pPtr, e.length);
      } else {
        const a = avg.array;
        for (let i = 0; i < a.length; i++) a[i] = a[i]! * m + p[i]! * (1 - m);
      }
      if (overwrite) p.set(avg.array);
    }
  }

  /** The moving averages of the weights by name (copies), when `ema` is on. */
  emaWeights(): Record<string, Float32Array> {
    if (this.options.ema === null) throw new Error(`${this.spec.name}.emaWeights: ema is off`);
    const out: Record<string, Float32Array> = {};
    for (const [name, st] of this.state) {
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
    for (const [name, st] of this.state) {
      state[name] = {
        step: st.step,
        buffers: Object.fromEntries([...st.buffers].map(([k, b]) => [k, b.array.slice()])),
      };
    }
    return {
      format: 'rmsprop-optimizer/1',
      optimizer: this.spec.kind,
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
   * Restores state from `stateDict` (also after a JSON round trip). Everything is checked before
   * anything changes: the optimizer kind, the groups and their parameter names, buffer names and
   * lengths, and the options that give buffers their meaning (a momentum buffer that holds lr·u cannot
   * continue one that holds u). Other options are restored, as in PyTorch; a group whose learning rate
   * is a schedule keeps its schedule.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = `${this.spec.name}.loadStateDict`;
    if (!sd || sd.format !== 'rmsprop-optimizer/1')
      throw new TypeError(`${name}: not an optimizer state dict (format ${JSON.stringify(sd?.format)})`);
    if (sd.optimizer !== this.spec.kind)
      throw new TypeError(`${name}: the state is of ${sd.optimizer}, this optimizer is ${this.spec.kind}`);
    for (const [key, v] of [
      ['step', sd.step],
      ['skippedSteps', sd.skippedSteps],
    ] as const) {
      if (!Number.isInteger(v) || (v as number) < 0)
        throw new RangeError(`${name}: ${key} must be an integer ≥ 0, got ${v}`);
    }
    if (!Array.isArray(sd.groups) || sd.groups.length !== this.paramGroups.length) {
      throw new RangeError(
        `${name}: the state has ${sd.groups?.length} parameter groups, this optimizer ${this.paramGroups.length}`,
      );
    }
    const options = sd.groups.map((saved, i) => {
      const group = this.paramGroups[i]!;
      const want = [...group.params].sort().join(', ');
      const got = [...(saved.params ?? [])].sort().join(', ');
      if (want !== got) throw new RangeError(`${name}: group ${i} holds [${got}] in the state, [${want}] here`);
      for (const key of this.spec.stateShaping) {
        if (saved.options[key as string] !== group.options[key]) {
          throw new RangeError(
            `${name}: option ${String(key)} is ${JSON.stringify(saved.options[key as string])} in the state and ${JSON.stringify(group.options[key])} here; ` +
              'the buffers would mean something else. Construct the optimizer with the saved options, or change them after loading.',
          );
        }
      }
      const o = { ...group.options, ...saved.options } as O;
      if (typeof group.options.lr === 'function') o.lr = group.options.lr;
      this.spec.check(o, this.checker);
      this.checker.group(o);
      return o;
    });
    const allowed = new Set([...this.spec.bufferNames, 'ema']);
    const loaded = new Map<string, { step: number; arrays: Map<string, Float32Array> }>();
    for (const [pname, saved] of Object.entries(sd.state ?? {})) {
      const e = this.entries.get(pname);
      if (!e) throw new RangeError(`${name}: the state has parameter '${pname}', which this optimizer does not have`);
      if (!Number.isInteger(saved.step) || saved.step < 0)
        throw new RangeError(`${name}: step of '${pname}' must be an integer ≥ 0, got ${saved.step}`);
      const arrays = new Map<string, Float32Array>();
      for (const [bname, data] of Object.entries(saved.buffers ?? {})) {
        if (!allowed.has(bname))
          throw new RangeError(
            `${name}: '${pname}' has buffer '${bname}'; ${this.spec.name} keeps ${[...allowed].join(', ')}`,
          );
        const a = Float32Array.from(data as ArrayLike<number>);
        if (a.length !== e.length)
          throw new RangeError(
            `${name}: buffer '${bname}' of '${pname}' has ${a.length} elements, the parameter ${e.length}`,
          );
        if (!a.every(Number.isFinite))
          throw new RangeError(`${name}: buffer '${bname}' of '${pname}' holds non-finite values`);
        arrays.set(bname, a);
      }
      loaded.set(pname, { step: saved.step, arrays });
    }
    // Everything is checked: now replace.
    this.dispose();
    for (const [pname, { step, arrays }] of loaded) {
      const buffers = new Map<string, StateBuffer>();
      for (const [bname, a] of arrays) {
        const b = allocState(a.length);
        b.array.set(a);
        buffers.set(bname, b);
      }
      this.state.set(pname, { step, buffers });
    }
    this.paramGroups.forEach((g, i) => (g.options = options[i]!));
    this.stepCount = sd.step;
    this.skippedSteps = sd.skippedSteps;
  }

  /** Frees all state now instead of at garbage collection; the optimizer starts afresh if used again. */
  dispose(): void {
    for (const st of this.state.values()) for (const b of st.buffers.values()) b.free();
    this.state.clear();
    this.stage?.forEach((b) => b.free());
    this.stage = null;
  }
}
