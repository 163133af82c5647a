import { F32Block } from './f32-block.js';
import { wasm } from './instance.js';
import { runParts, splitRange } from './thread-pool.js';

/** How one operand is laid out: `rows × cols` stored row-major with `ld` floats from row to row. */
interface Operand {
  name: 'A' | 'B' | 'C';
  ldName: 'lda' | 'ldb' | 'ldc';
  rows: number;
  cols: number;
  ld: number;
  why: string;
}

function checkSize(fn: string, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${fn}: ${name} must be a non-negative integer, got ${value}`);
  }
}

/** Checks m, n, k and the leading dimensions as BLAS does (ld ≥ max(1, stored row length)); returns the layouts. */
function checkShapes(
  fn: string,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  lda: number,
  ldb: number,
  ldc: number,
): Operand[] {
  checkSize(fn, 'm', m);
  checkSize(fn, 'n', n);
  checkSize(fn, 'k', k);
  const operands: Operand[] = [
    transA
      ? { name: 'A', ldName: 'lda', rows: k, cols: m, ld: lda, why: 'k × m since transA is true' }
      : { name: 'A', ldName: 'lda', rows: m, cols: k, ld: lda, why: 'm × k since transA is false' },
    transB
      ? { name: 'B', ldName: 'ldb', rows: n, cols: k, ld: ldb, why: 'n × k since transB is true' }
      : { name: 'B', ldName: 'ldb', rows: k, cols: n, ld: ldb, why: 'k × n since transB is false' },
    { name: 'C', ldName: 'ldc', rows: m, cols: n, ld: ldc, why: 'm × n' },
  ];
  for (const o of operands) {
    const least = Math.max(1, o.cols);
    if (!Number.isSafeInteger(o.ld) || o.ld < least) {
      throw new RangeError(
        `${fn}: ${o.ldName} must be an integer ≥ ${least} (the row length of ${o.name}, stored ` +
          `${o.rows} × ${o.cols}, ${o.why}), got ${o.ld}`,
      );
    }
  }
  return operands;
}

/** Floats from the first element of an operand to one past its last (0 if it is empty). */
const extent = (o: Operand): number => (o.rows === 0 || o.cols === 0 ? 0 : (o.rows - 1) * o.ld + o.cols);

// The packing buffers of the kernel, at their largest (≤ ~1.4 MB; the blocking bounds them) and taken
// when the module loads: an allocation inside gemm could grow the memory and detach views its callers hold.
const LARGEST = 2 ** 30;
const workspaceFloats = wasm ? Math.ceil(wasm.gemmWorkspace(LARGEST, LARGEST, LARGEST) / 4) : 0;
// One per thread: each packs its own panels. The others are taken when threads first split a product; the
// memory is then shared, whose growth leaves every view valid.
const workspaces: F32Block[] = wasm ? [new F32Block(workspaceFloats)] : [];

// Floating-point operations a thread takes at least: a smaller share costs more to hand over than it saves.
const SPLIT_FLOPS = 2 ** 22;

/**
 * C ← α·op(A)·op(B) + β·C in single precision, by the packed, register-tiled WebAssembly SIMD kernel.
 *
 * Matrices are row-major in the kernels' memory: `aPtr`, `bPtr`, `cPtr` are byte offsets (an `F32Block`'s
 * `ptr`, plus 4 per element to start inside one) and `lda`, `ldb`, `ldc` count floats from one row to the
 * next, so sub-matrices and the matrices of a batch can be addressed in place. op(A) is m × k: A is stored
 * m × k, or k × m when `transA`; op(B) is k × n: B is stored k × n, or n × k when `transB`; C is m × n.
 * As in BLAS, β = 0 overwrites C without reading it (NaN there does not propagate), and α = 0 or k = 0
 * scales C by β without reading A or B. C must not overlap A or B. Sums run in f32, k-blocks of ≤ 256
 * terms at a time; α and β are used as f32.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  aPtr: number,
  lda: number,
  bPtr: number,
  ldb: number,
  beta: number,
  cPtr: number,
  ldc: number,
): void {
  if (!wasm) throw new Error('gemm: WebAssembly is not available in this runtime');
  const operands = checkShapes('gemm', transA, transB, m, n, k, lda, ldb, ldc);
  const bytes = wasm.memory.buffer.byteLength;
  const ptrs = [aPtr, bPtr, cPtr];
  operands.forEach((o, i) => {
    const ptr = ptrs[i]!;
    const ptrName = `${o.name.toLowerCase()}Ptr`;
    if (!Number.isSafeInteger(ptr) || ptr < 0) {
      throw new RangeError(`gemm: ${ptrName} must be a non-negative integer byte offset, got ${ptr}`);
    }
    const end = ptr + 4 * extent(o);
    if (end > bytes) {
      throw new RangeError(
        `gemm: ${o.name} (${o.rows} × ${o.cols}, ${o.ldName} ${o.ld}) at ${ptrName} ${ptr} ends at byte ${end}, ` +
          `past the end of the kernel memory (${bytes} bytes)`,
      );
    }
  });
  if (m === 0 || n === 0) return;
  // Threads take blocks of 16 rows or columns of C, whichever C has more of (each thread packs the whole
  // of the other operand, so a tall C splits its rows): each element of C is computed by the same
  // operations in the same order (the depth blocks depend on k alone) whatever the split.
  const byRows = m > n;
  const least = Math.ceil(SPLIT_FLOPS / Math.max(1, 2 * (byRows ? n : m) * k));
  const parts = splitRange(byRows ? m : n, 16, least).map(([start, size], t) => {
    while (workspaces.length <= t) workspaces.push(new F32Block(workspaceFloats));
    const work = workspaces[t]!.ptr;
    if (byRows) {
      const a = aPtr + 4 * start * (transA ? 1 : lda);
      return [+transA, +transB, size, n, k, alpha, a, lda, bPtr, ldb, beta, cPtr + 4 * start * ldc, ldc, work];
    }
    const b = bPtr + 4 * start * (transB ? ldb : 1);
    return [+transA, +transB, m, size, k, alpha, aPtr, lda, b, ldb, beta, cPtr + 4 * start, ldc, work];
  });
  runParts('gemm', parts);
}

/**
 * The same operation as `gemm`, written as the textbook triple loop over plain Float32Arrays (element 0
 * of `a`, `b`, `c` is the first element of each matrix): the reference the kernel is tested against.
 * Each dot product is accumulated in f64 (products of f32 values are exact in f64), then α·sum + β·C is
 * rounded to f32 on the store; α and β are first rounded to f32, as the kernel receives them.
 */
export function gemmReference(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
): void {
  const operands = checkShapes('gemmReference', transA, transB, m, n, k, lda, ldb, ldc);
  [a, b, c].forEach((array, i) => {
    const o = operands[i]!;
    if (extent(o) > array.length) {
      throw new RangeError(
        `gemmReference: ${o.name} (${o.rows} × ${o.cols}, ${o.ldName} ${o.ld}) needs ${extent(o)} elements, ` +
          `got a Float32Array of ${array.length}`,
      );
    }
  });
  const al = Math.fround(alpha);
  const be = Math.fround(beta);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const q = i * ldc + j;
      if (al === 0 || k === 0) {
        c[q] = be === 0 ? 0 : be * c[q]!;
        continue;
      }
      let sum = 0;
      for (let p = 0; p < k; p++) {
        sum += a[transA ? p * lda + i : i * lda + p]! * b[transB ? j * ldb + p : p * ldb + j]!;
      }
      c[q] = be === 0 ? al * sum : al * sum + be * c[q]!;
    }
  }
}
