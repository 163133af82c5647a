import { checkArray, checkInt, checkRegion, kernelsFor } from './check.js';
import { runRows } from './thread-pool.js';

// One Elman RNN time step over n rows of `hidden` units (assembly/rnn.ts): h = act(z), the activation
// (tanh or relu, PyTorch's `nonlinearity`) of the pre-activations z = x·W_ihᵀ + h·W_hhᵀ + b, and its
// gradient. Operands are byte offsets in the kernel memory. The rows are split over the threads; a row is
// computed the same way whatever the split, so results do not depend on the threads.

/** An Elman RNN's activation, as PyTorch's `nonlinearity` names it. */
export type RnnActivation = 'tanh' | 'relu';

// The activation codes of assembly/rnn.ts.
const CODE: Record<RnnActivation, number> = { tanh: 0, relu: 1 };

/**
 * Units (rows × hidden) a thread gets at least: below, handing a share to a worker costs more than it saves
 * (~3 ns a unit for tanh, less for relu and the gradients; measured on a busy 2-core machine, roughly).
 */
const LEAST_UNITS = 2 ** 15;

function checkSizes(fn: string, activation: RnnActivation, n: number, hidden: number): void {
  if (!Object.hasOwn(CODE, activation))
    throw new RangeError(`${fn}: activation must be 'tanh' or 'relu', got ${JSON.stringify(activation)}`);
  checkInt(fn, 'n', n, 0);
  checkInt(fn, 'hidden', hidden, 0);
  checkInt(fn, 'n·hidden', n * hidden, 0);
}

/** h = act(z) over [n, hidden]; h may be z. */
export function rnnCell(activation: RnnActivation, zPtr: number, hPtr: number, n: number, hidden: number): void {
  const fn = 'rnnCell';
  checkSizes(fn, activation, n, hidden);
  checkRegion(fn, 'z', 'zPtr', zPtr, n * hidden);
  checkRegion(fn, 'h', 'hPtr', hPtr, n * hidden);
  kernelsFor(fn);
  const units = 4 * hidden;
  runRows('rnnCell', n, hidden, LEAST_UNITS, (row, count, part) => [
    CODE[activation],
    zPtr + units * row,
    hPtr + units * row,
    count,
    hidden,
    part,
  ]);
}

/**
 * The gradient of `rnnCell` from its output h and the gradient dh of h, each [n, hidden]: dz = dh·act'
 * (tanh' = 1 − h², relu' = 1 where h > 0, else 0); dz may be dh.
 */
export function rnnCellBackward(
  activation: RnnActivation,
  hPtr: number,
  dhPtr: number,
  dzPtr: number,
  n: number,
  hidden: number,
): void {
  const fn = 'rnnCellBackward';
  checkSizes(fn, activation, n, hidden);
  for (const [name, ptr] of [
    ['h', hPtr],
    ['dh', dhPtr],
    ['dz', dzPtr],
  ] as const)
    checkRegion(fn, name, `${name}Ptr`, ptr, n * hidden);
  kernelsFor(fn);
  const units = 4 * hidden;
  runRows('rnnCellBackward', n, hidden, LEAST_UNITS, (row, count, part) => [
    CODE[activation],
    hPtr + units * row,
    dhPtr + units * row,
    dzPtr + units * row,
    count,
    hidden,
    part,
  ]);
}

/** `rnnCell` over plain arrays, in float64 rounded once: the reference. */
export function rnnCellReference(
  activation: RnnActivation,
  z: Float32Array,
  h: Float32Array,
  n: number,
  hidden: number,
): void {
  const fn = 'rnnCellReference';
  checkSizes(fn, activation, n, hidden);
  checkArray(fn, 'z', z, n * hidden);
  checkArray(fn, 'h', h, n * hidden);
  for (let k = 0; k < n * hidden; k++) h[k] = activation === 'tanh' ? Math.tanh(z[k]!) : z[k]! > 0 ? z[k]! : 0;
}

/** `rnnCellBackward` over plain arrays, in float64 rounded once: the reference. */
export function rnnCellBackwardReference(
  activation: RnnActivation,
  h: Float32Array,
  dh: Float32Array,
  dz: Float32Array,
  n: number,
  hidden: number,
): void {
  const fn = 'rnnCellBackwardReference';
  checkSizes(fn, activation, n, hidden);
  checkArray(fn, 'h', h, n * hidden);
  checkArray(fn, 'dh', dh, n * hidden);
  checkArray(fn, 'dz', dz, n * hidden);
  for (let k = 0; k < n * hidden; k++) {
    const y = h[k]!;
    dz[k] = activation === 'tanh' ? dh[k]! * (1 - y) * (1 + y) : y > 0 ? dh[k]! : 0;
  }
}
