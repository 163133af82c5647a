import { checkArray, checkInt, checkRegion, kernelsFor } from './check.js';
import { runRows } from './thread-pool.js';

// One LSTM time step over n rows of `hidden` units (assembly/lstm.ts), gates in PyTorch's order (input,
// forget, cell, output), each a block of `hidden` floats in a row of 4·hidden. Operands are byte offsets
// in the kernel memory; sigmoid and tanh are the SIMD ones of pointwise.ts. Rows are independent: threads
// take ranges of them.

/** Units a thread takes at least (five sigmoids and tanhs each): less costs more to hand over than it saves. */
const LEAST_UNITS = 2 ** 12;

function checkSizes(fn: string, n: number, hidden: number): void {
  checkInt(fn, 'n', n, 0);
  checkInt(fn, 'hidden', hidden, 0);
  checkInt(fn, '4·n·hidden', 4 * n * hidden, 0);
}

/**
 * z [n, 4·hidden] of pre-activations becomes the activated gates i, f, g, o (in place); then
 * c = f·cPrev + i·g, tc = tanh c and h = o·tc, each [n, hidden].
 */
export function lstmCell(
  zPtr: number,
  cPrevPtr: number,
  cPtr: number,
  hPtr: number,
  tcPtr: number,
  n: number,
  hidden: number,
): void {
  const fn = 'lstmCell';
  checkSizes(fn, n, hidden);
  checkRegion(fn, 'z', 'zPtr', zPtr, 4 * n * hidden);
  for (const [name, ptr] of [
    ['cPrev', cPrevPtr],
    ['c', cPtr],
    ['h', hPtr],
    ['tc', tcPtr],
  ] as const)
    checkRegion(fn, name, `${name}Ptr`, ptr, n * hidden);
  kernelsFor(fn);
  runRows(fn, n, hidden, LEAST_UNITS, (r, count, part) => {
    const [state, gates] = [4 * r * hidden, 16 * r * hidden];
    return [zPtr + gates, cPrevPtr + state, cPtr + state, hPtr + state, tcPtr + state, count, hidden, part];
  });
}

/**
 * The gradient of `lstmCell`, from its activated gates, cPrev and tc and the gradients dh and dc of its
 * outputs h and c: dz [n, 4·hidden] of the pre-activations and dcPrev [n, hidden] (which may be dc).
 */
export function lstmCellBackward(
  gatesPtr: number,
  cPrevPtr: number,
  tcPtr: number,
  dhPtr: number,
  dcPtr: number,
  dzPtr: number,
  dcPrevPtr: number,
  n: number,
  hidden: number,
): void {
  const fn = 'lstmCellBackward';
  checkSizes(fn, n, hidden);
  checkRegion(fn, 'gates', 'gatesPtr', gatesPtr, 4 * n * hidden);
  checkRegion(fn, 'dz', 'dzPtr', dzPtr, 4 * n * hidden);
  for (const [name, ptr] of [
    ['cPrev', cPrevPtr],
    ['tc', tcPtr],
    ['dh', dhPtr],
    ['dc', dcPtr],
    ['dcPrev', dcPrevPtr],
  ] as const)
    checkRegion(fn, name, `${name}Ptr`, ptr, n * hidden);
  kernelsFor(fn);
  runRows(fn, n, hidden, LEAST_UNITS, (r, count, part) => {
    const [state, gates] = [4 * r * hidden, 16 * r * hidden];
    return [
      ...[gatesPtr + gates, cPrevPtr + state, tcPtr + state, dhPtr + state, dcPtr + state, dzPtr + gates],
      ...[dcPrevPtr + state, count, hidden, part],
    ];
  });
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** `lstmCell` over plain arrays, in float64 rounded once: the reference. */
export function lstmCellReference(
  z: Float32Array,
  cPrev: Float32Array,
  c: Float32Array,
  h: Float32Array,
  tc: Float32Array,
  n: number,
  hidden: number,
): void {
  const fn = 'lstmCellReference';
  checkSizes(fn, n, hidden);
  checkArray(fn, 'z', z, 4 * n * hidden);
  for (const [name, a] of [
    ['cPrev', cPrev],
    ['c', c],
    ['h', h],
    ['tc', tc],
  ] as const)
    checkArray(fn, name, a, n * hidden);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < hidden; j++) {
      const k = 4 * r * hidden + j;
      const [i, f, g, o] = [
        sigmoid(z[k]!),
        sigmoid(z[k + hidden]!),
        Math.tanh(z[k + 2 * hidden]!),
        sigmoid(z[k + 3 * hidden]!),
      ];
      const cell = f * cPrev[r * hidden + j]! + i * g;
      [z[k], z[k + hidden], z[k + 2 * hidden], z[k + 3 * hidden]] = [i, f, g, o];
      c[r * hidden + j] = cell;
      tc[r * hidden + j] = Math.tanh(cell);
      h[r * hidden + j] = o * Math.tanh(cell);
    }
  }
}

/** `lstmCellBackward` over plain arrays, in float64 rounded once: the reference. */
export function lstmCellBackwardReference(
  gates: Float32Array,
  cPrev: Float32Array,
  tc: Float32Array,
  dh: Float32Array,
  dc: Float32Array,
  dz: Float32Array,
  dcPrev: Float32Array,
  n: number,
  hidden: number,
): void {
  const fn = 'lstmCellBackwardReference';
  checkSizes(fn, n, hidden);
  checkArray(fn, 'gates', gates, 4 * n * hidden);
  checkArray(fn, 'dz', dz, 4 * n * hidden);
  for (const [name, a] of [
    ['cPrev', cPrev],
    ['tc', tc],
    ['dh', dh],
    ['dc', dc],
    ['dcPrev', dcPrev],
  ] as const)
    checkArray(fn, name, a, n * hidden);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < hidden; j++) {
      const k = 4 * r * hidden + j;
      const s = r * hidden + j;
      const [i, f, g, o] = [gates[k]!, gates[k + hidden]!, gates[k + 2 * hidden]!, gates[k + 3 * hidden]!];
      const t = tc[s]!;
      const dct = dc[s]! + dh[s]! * o * (1 - t * t);
      dz[k] = dct * g * i * (1 - i);
      dz[k + hidden] = dct * cPrev[s]! * f * (1 - f);
      dz[k + 2 * hidden] = dct * i * (1 - g * g);
      dz[k + 3 * hidden] = dh[s]! * t * o * (1 - o);
      dcPrev[s] = dct * f;
    }
  }
}
