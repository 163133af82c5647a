// The optimizer weights TensorFlow.js saves with a model (`model.save(…, { includeOptimizer: true })`):
// `iter`, then one slot of every variable, then the next slot of every variable, in the order
// tf.train.* write them, so that a file saved by either optimizer loads into the other.
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerKind, OptimizerStateDict } from 'rmsprop/optim';

/** tfjs-core's { name, tensor } pair, which it does not export. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/**
 * One slot: its name in the file (`dense/kernel/rms`) and the buffer of ours it holds. `always`: written
 * for every variable whatever the options (tf.train.rmsprop keeps a momentum buffer at momentum 0),
 * as zeros where ours keeps none; the others only when ours keeps them.
 */
interface Slot {
  readonly slot: string;
  readonly buffer: string;
  readonly always?: boolean;
}

const ADAM: readonly Slot[] = [
  { slot: 'm', buffer: 'expAvg', always: true },
  { slot: 'v', buffer: 'expAvgSq', always: true },
  { slot: 'vhat', buffer: 'maxExpAvgSq' }, // AMSGrad, which tf.train.adam lacks
];

/** Each kind's slots in tf.train.*'s order; the moving average of the weights (ours only) comes last. */
const LAYOUT: Readonly<Record<OptimizerKind, readonly Slot[]>> = {
  rmsprop: [
    { slot: 'rms', buffer: 'squareAvg', always: true },
    { slot: 'momentum', buffer: 'momentumBuffer', always: true },
    { slot: 'mg', buffer: 'gradAvg' },
  ],
  adam: ADAM,
  adamw: ADAM,
  sgd: [{ slot: 'momentum', buffer: 'momentumBuffer' }], // tf.train.momentum's; tf.train.sgd saves none
  adagrad: [{ slot: 'accumulator', buffer: 'sum', always: true }],
  adadelta: [
    { slot: 'accum_grad', buffer: 'squareAvg', always: true },
    { slot: 'accum_var', buffer: 'accDelta', always: true },
  ],
};
const slotsOf = (kind: OptimizerKind): readonly Slot[] => [...LAYOUT[kind], { slot: 'ema', buffer: 'ema' }];

/** The weights `getWeights` returns after `iter`, from our state by variable name. */
export function savedWeights(
  kind: OptimizerKind,
  state: OptimizerStateDict['state'],
  variables: ReadonlyMap<string, tf.Variable>,
): NamedTensor[] {
  const out: NamedTensor[] = [];
  for (const { slot, buffer, always } of slotsOf(kind)) {
    const kept = [...variables.keys()].some((name) => state[name]?.buffers[buffer]);
    if (!always && !kept) continue;
    for (const [name, v] of variables) {
      const data = state[name]?.buffers[buffer];
      out.push({ name: `${name}/${slot}`, tensor: data ? tf.tensor(data, v.shape, 'float32') : tf.zeros(v.shape) });
    }
  }
  return out;
}

/** Saved weights read back: for each of our buffers, one entry per variable in the file's order. */
export interface SavedState {
  readonly step: number;
  /** The variable names the file gives, in its order (another session's names, after a model was loaded). */
  readonly names: readonly string[];
  readonly buffers: ReadonlyMap<string, Float32Array[]>;
  /** Every weight but `iter` as given, copied (tfjs-layers disposes what it passes). */
  readonly weights: readonly { name: string; data: Float32Array; shape: number[] }[];
}

/** The weights of a `SavedState` as tensors again. */
export const tensorsOf = (saved: SavedState): NamedTensor[] =>
  saved.weights.map(({ name, data, shape }) => ({ name, tensor: tf.tensor(data, shape, 'float32') }));

/** Reads `getWeights` output (ours or tf.train.*'s), refusing what is not that shape. */
export async function readSavedWeights(
  where: string,
  kind: OptimizerKind,
  weights: readonly NamedTensor[],
): Promise<SavedState> {
  const [iter, ...rest] = weights;
  if (!iter || iter.name !== 'iter')
    throw new Error(`${where}: the first weight must be 'iter', got ${JSON.stringify(iter?.name)}`);
  const step = (await iter.tensor.data())[0]!;
  const slots = slotsOf(kind);
  const bySlot = new Map(slots.map((s) => [s.slot, s.buffer]));
  const buffers = new Map<string, Float32Array[]>();
  const names = new Map<string, string[]>();
  const copies: SavedState['weights'][number][] = [];
  for (const { name: full, tensor } of rest) {
    const cut = full.lastIndexOf('/');
    const buffer = bySlot.get(full.slice(cut + 1));
    if (cut < 0 || !buffer) {
      throw new Error(`${where}: '${full}' is not <variable>/<slot> with a slot of ${[...bySlot.keys()].join(', ')}`);
    }
    if (!buffers.has(buffer)) [buffers, names].forEach((m) => m.set(buffer, []));
    const data = Float32Array.from(await tensor.data());
    copies.push({ name: full, data, shape: tensor.shape });
    buffers.get(buffer)!.push(data);
    names.get(buffer)!.push(full.slice(0, cut));
  }
  const lists = [...names.values()];
  const first = lists[0] ?? [];
  if (lists.some((l) => l.length !== first.length)) {
    const counts = [...names].map(([b, l]) => `${l.length} of ${slots.find((s) => s.buffer === b)!.slot}`);
    throw new Error(`${where}: every slot needs one weight per variable, got ${counts.join(', ')}`);
  }
  return { step, names: first, buffers, weights: copies };
}

/** The state dict's `state` with the file's i-th entries given to `variables[i]`. */
export function stateByPosition(
  where: string,
  saved: SavedState,
  variables: readonly string[],
): OptimizerStateDict['state'] {
  if (saved.names.length !== variables.length) {
    throw new Error(
      `${where}: the weights hold the state of ${saved.names.length} variables, this optimizer trains ${variables.length}`,
    );
  }
  const state: OptimizerStateDict['state'] = {};
  variables.forEach((name, i) => {
    state[name] = {
      step: saved.step,
      buffers: Object.fromEntries([...saved.buffers].map(([b, list]) => [b, list[i]!])),
    };
  });
  return state;
}
