import { checkArray, checkInt, checkRegion, kernelsFor } from './check.js';
import { runRows } from './thread-pool.js';

// One GRU time step over n rows of `hidden` units (assembly/gru.ts), as PyTorch's GRU: gates in the order
// reset, update, new, each a block of `hidden` floats in a row of 3·hidden; r = σ(x_r + W_hr·h + b_hr),
// z = σ(x_z + W_hz·h + b_hz), n = tanh(x_n + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h, where x_* is the
// input's share x·W_iᵀ + b_i. Operands are byte offsets in the kernel memory. The rows are split over the
// threads; a row is computed the same way whatever the split, so results do not depend on the threads.

// Units (rows × hidden) a thread gets at least: below, handing a share to a worker costs more than it saves
// (measured on a busy 2-core machine, roughly). The forward's three transcendentals take ~15 ns a unit, so
// a step of batch 128 × 128 units splits in two; the backward, ~2 ns a unit, splits only from 4× that.
const LEAST_UNITS = 2 ** 13;
const LEAST_UNITS_BACKWARD = 2 ** 15;

function checkSizes(fn: string, n: number, hidden: number): void {
  checkInt(fn, 'n', n, 0);
  checkInt(fn, 'hidden', hidden, 0);
  checkInt(fn, '3·n·hidden', 3 * n * hidden, 0);
}

/**
 * x [n, 3·hidden], the input's share of the gates, becomes the activated gates r, z, n (in place), from hh
 * [n, 3·hidden] = h·W_hhᵀ and its bias bhh [3·hidden] (bhhPtr 0 for none); hPrev [n, hidden] is h, and
 * h' and hn = W_hn·h + b_hn (which the backward pass needs) are written to h and hn [n, hidden].
 */
export function gruCell(
  xPtr: number,
  hhPtr: number,
  bhhPtr: number,
  hPrevPtr: number,
  hPtr: number,
  hnPtr: number,
  n: number,
  hidden: number,
): void {
  const fn = 'gruCell';
  checkSizes(fn, n, hidden);
  checkRegion(fn, 'x', 'xPtr', xPtr, 3 * n * hidden);
  checkRegion(fn, 'hh', 'hhPtr', hhPtr, 3 * n * hidden);
  if (bhhPtr !== 0) checkRegion(fn, 'bhh', 'bhhPtr', bhhPtr, 3 * hidden);
  for (const [name, ptr] of [
    ['hPrev', hPrevPtr],
    ['h', hPtr],
    ['hn', hnPtr],
  ] as const)
    checkRegion(fn, name, `${name}Ptr`, ptr, n * hidden);
  kernelsFor(fn);
  const [gates, units] = [12 * hidden, 4 * hidden];
  runRows('gruCell', n, hidden, LEAST_UNITS, (row, count, part) => [
    xPtr + gates * row,
    hhPtr + gates * row,
    bhhPtr,
    hPrevPtr + units * row,
    hPtr + units * row,
    hnPtr + units * row,
    count,
    hidden,
    part,
  ]);
}

/**
 * The gradient of `gruCell`, from its activated gates [n, 3·hidden], hn and hPrev [n, hidden] and the
 * gradient dh of h': dx and dhh [n, 3·hidden], the gradients of the input's and of the recurrent share of
 * the gates, and dhPrev = dh·z [n, hidden] (which may be dh), the part of the gradient of h that does not
 * flow through W_hh (the caller adds dhh·W_hh).
 */
export function gruCellBackward(
  gatesPtr: number,
  hnPtr: number,
  hPrevPtr: number,
  dhPtr: number,
  dxPtr: number,
  dhhPtr: number,
  dhPrevPtr: number,
  n: number,
  hidden: number,
): void {
  const fn = 'gruCellBackward';
  checkSizes(fn, n, hidden);
  for (const [name, ptr] of [
    ['gates', gatesPtr],
    ['dx', dxPtr],
    ['dhh', dhhPtr],
  ] as const)
    checkRegion(fn, name, `${name}Ptr`, ptr, 3 * n * hidden);
  for (const [name, ptr] of [
    ['hn', hnPtr],
    ['hPrev', hPrevPtr],
    ['dh', dhPtr],
    ['dhPrev', dhPrevPtr],
  ] as const)
    checkRegion(fn, name, `${name}Ptr`, ptr, n * hidden);
  kernelsFor(fn);
  const [gates, units] = [12 * hidden, 4 * hidden];
  runRows('gruCellBackward', n, hidden, LEAST_UNITS_BACKWARD, (row, count, part) => [
    gatesPtr + gates * row,
    hnPtr + units * row,
    hPrevPtr + units * row,
    dhPtr + units * row,
    dxPtr + gates * row,
    dhhPtr + gates * row,
    dhPrevPtr + units * row,
    count,
    hidden,
    part,
  ]);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** `gruCell` over plain arrays (bhh null for none), in float64 rounded once: the reference. */
export function gruCellReference(
  x: Float32Array,
  hh: Float32Array,
  bhh: Float32Array | null,
  hPrev: Float32Array,
  h: Float32Array,
  hn: Float32Array,
  n: number,
  hidden: number,
): void {
  const fn = 'gruCellReference';
  checkSizes(fn, n, hidden);
  checkArray(fn, 'x', x, 3 * n * hidden);
  checkArray(fn, 'hh', hh, 3 * n * hidden);
  if (bhh) checkArray(fn, 'bhh', bhh, 3 * hidden);
  for (const [name, a] of [
    ['hPrev', hPrev],
    ['h', h],
    ['hn', hn],
  ] as const)
    checkArray(fn, name, a, n * hidden);
  const b = (k: number) => bhh?.[k] ?? 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < hidden; j++) {
      const [kr, kz, kn] = [3 * i * hidden + j, (3 * i + 1) * hidden + j, (3 * i + 2) * hidden + j];
      const s = i * hidden + j;
      const r = sigmoid(x[kr]! + hh[kr]! + b(j));
      const z = sigmoid(x[kz]! + hh[kz]! + b(hidden + j));
      const m = hh[kn]! + b(2 * hidden + j);
      const g = Math.tanh(x[kn]! + r * m);
      [x[kr], x[kz], x[kn]] = [r, z, g];
      hn[s] = m;
      h[s] = (1 - z) * g + z * hPrev[s]!;
    }
  }
}

/** `gruCellBackward` over plain arrays, in float64 rounded once: the reference. */
export function gruCellBackwardReference(
  gates: Float32Array,
  hn: Float32Array,
  hPrev: Float32Array,
  dh: Float32Array,
  dx: Float32Array,
  dhh: Float32Array,
  dhPrev: Float32Array,
  n: number,
  hidden: number,
): void {
  const fn = 'gruCellBackwardReference';
  checkSizes(fn, n, hidden);
  for (const [name, a] of [
    ['gates', gates],
    ['dx', dx],
    ['dhh', dhh],
  ] as const)
    checkArray(fn, name, a, 3 * n * hidden);
  for (const [name, a] of [
    ['hn', hn],
    ['hPrev', hPrev],
    ['dh', dh],
    ['dhPrev', dhPrev],
  ] as const)
    checkArray(fn, name, a, n * hidden);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < hidden; j++) {
      const [kr, kz, kn] = [3 * i * hidden + j, (3 * i + 1) * hidden + j, (3 * i + 2) * hidden + j];
      const s = i * hidden + j;
      const [r, z, g, d] = [gates[kr]!, gates[kz]!, gates[kn]!, dh[s]!];
      const dn = d * (1 - z) * (1 - g * g);
      const dz = d * (hPrev[s]! - g) * z * (1 - z);
      const dr = dn * hn[s]! * r * (1 - r);
      [dx[kr], dx[kz], dx[kn]] = [dr, dz, dn];
      [dhh[kr], dhh[kz], dhh[kn]] = [dr, dz, dn * r];
      dhPrev[s] = d * z;
    }
  }
}
