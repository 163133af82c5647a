import type { GroupOptions } from './options.js';
import type { LoadedParamState } from './param-state.js';
import type { ParamGroup } from './params.js';

/** The format tag of every optimizer state dict. */
export const OPTIMIZER_FORMAT = 'rmsprop-optimizer/1';

/** The serialisable state of an optimizer: options, step counts and buffers, keyed by parameter name. */
export interface OptimizerStateDict {
  format: typeof OPTIMIZER_FORMAT;
  optimizer: string;
  step: number;
  skippedSteps: number;
  /** Group options; a schedule is stored as its current value, and a group given a schedule keeps it. */
  groups: { params: string[]; options: Record<string, unknown> }[];
  state: Record<string, { step: number; buffers: Record<string, Float32Array | number[]> }>;
}

/** What a state dict is checked against. */
export interface StateDictTarget<O extends GroupOptions> {
  /** The owner in messages, e.g. 'RMSprop.loadStateDict'. */
  readonly where: string;
  readonly kind: string;
  /** Options that change what a buffer means: they must be equal. */
  readonly stateShaping: readonly string[];
  /** Buffers this optimizer can keep. */
  readonly bufferNames: readonly string[];
  readonly groups: readonly ParamGroup<O>[];
  /** A parameter's length, or undefined for a name the optimizer does not have. */
  lengthOf(param: string): number | undefined;
  /** Throws for options the optimizer refuses. */
  checkGroup(o: O): void;
}

const integer = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0;

/**
 * Checks everything in `sd` against `t` before anything changes: the optimizer kind, the groups and their
 * parameter names, buffer names and lengths, and the options that give buffers their meaning (a momentum
 * buffer that holds lr·u cannot continue one that holds u). Returns the groups' options to restore (a
 * group whose learning rate is a schedule keeps its schedule) and the parameters' state.
 */
export function checkStateDict<O extends GroupOptions>(
  sd: OptimizerStateDict,
  t: StateDictTarget<O>,
): { options: O[]; state: Map<string, LoadedParamState> } {
  const name = t.where;
  if (!sd || sd.format !== OPTIMIZER_FORMAT)
    throw new TypeError(`${name}: not an optimizer state dict (format ${JSON.stringify(sd?.format)})`);
  if (sd.optimizer !== t.kind)
    throw new TypeError(`${name}: the state is of ${sd.optimizer}, this optimizer is ${t.kind}`);
  for (const [key, v] of [
    ['step', sd.step],
    ['skippedSteps', sd.skippedSteps],
  ] as const) {
    if (!integer(v)) throw new RangeError(`${name}: ${key} must be an integer ≥ 0, got ${v}`);
  }
  if (!Array.isArray(sd.groups) || sd.groups.length !== t.groups.length) {
    throw new RangeError(
      `${name}: the state has ${sd.groups?.length} parameter groups, this optimizer ${t.groups.length}`,
    );
  }
  const options = sd.groups.map((saved, i) => {
    const group = t.groups[i]!;
    const current = group.options as unknown as Record<string, unknown>;
    const want = [...group.params].sort().join(', ');
    const got = [...(saved.params ?? [])].sort().join(', ');
    if (want !== got) throw new RangeError(`${name}: group ${i} holds [${got}] in the state, [${want}] here`);
    for (const key of t.stateShaping) {
      if (saved.options[key] !== current[key]) {
        throw new RangeError(
          `${name}: option ${key} is ${JSON.stringify(saved.options[key])} in the state and ${JSON.stringify(current[key])} here; ` +
            'the buffers would mean something else. Construct the optimizer with the saved options, or change them after loading.',
        );
      }
    }
    const o = { ...group.options, ...saved.options } as O;
    if (typeof group.options.lr === 'function') o.lr = group.options.lr;
    t.checkGroup(o);
    return o;
  });
  const allowed = new Set([...t.bufferNames, 'ema']);
  const state = new Map<string, LoadedParamState>();
  for (const [pname, saved] of Object.entries(sd.state ?? {})) {
    const length = t.lengthOf(pname);
    if (length === undefined)
      throw new RangeError(`${name}: the state has parameter '${pname}', which this optimizer does not have`);
    if (!integer(saved.step))
      throw new RangeError(`${name}: step of '${pname}' must be an integer ≥ 0, got ${saved.step}`);
    const arrays = new Map<string, Float32Array>();
    for (const [bname, data] of Object.entries(saved.buffers ?? {})) {
      if (!allowed.has(bname))
        throw new RangeError(
          `${name}: '${pname}' has buffer '${bname}'; this optimizer keeps ${[...allowed].join(', ')}`,
        );
      const a = Float32Array.from(data as ArrayLike<number>);
      if (a.length !== length)
        throw new RangeError(
          `${name}: buffer '${bname}' of '${pname}' has ${a.length} elements, the parameter ${length}`,
        );
      if (!a.every(Number.isFinite))
        throw new RangeError(`${name}: buffer '${bname}' of '${pname}' holds non-finite values`);
      arrays.set(bname, a);
    }
    state.set(pname, { step: saved.step, arrays });
  }
  return { options, state };
}
