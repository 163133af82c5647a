import { wasmBase64 as threadedBase64 } from './wasm-threads-binary.js';
import { wasmBase64 } from './wasm-binary.js';
import { threadRuntime } from './thread-runtime.js';

/**
 * The exports of `assembly/index.ts`. Pointers are byte offsets; the optimizer kernels read their
 * hyper-parameters from the block at `hyperparameters`, which only optimizer-steps.ts writes.
 */
export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  readonly heapBase: WebAssembly.Global;
  readonly hyperparameters: WebAssembly.Global;
  rmsprop(p: number, g: number, v: number, mg: number, buf: number, n: number, flags: number): void;
  adam(p: number, g: number, m: number, v: number, vmax: number, n: number, flags: number): void;
  sgd(p: number, g: number, buf: number, n: number, flags: number): void;
  adagrad(p: number, g: number, sum: number, n: number, flags: number): void;
  adadelta(p: number, g: number, sq: number, acc: number, n: number, flags: number): void;
  ema(avg: number, p: number, n: number): void;
  sumSquares(g: number, n: number, clip: number): number;
  allFinite(g: number, n: number): number;
  gemm(
    ta: number,
    tb: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    work: number,
  ): void;
  gemmWorkspace(m: number, n: number, k: number): number;
  im2col(x: number, col: number, ...shape: number[]): void;
  col2im(col: number, dx: number, ...shape: number[]): void;
  copyRows(
    src: number,
    dst: number,
    outer: number,
    rows: number,
    cols: number,
    srcOuter: number,
    srcRow: number,
    dstOuter: number,
    dstRow: number,
    bias: number,
  ): void;
  maxPool(x: number, y: number, argmax: number, ...window: number[]): void;
  maxPoolBackward(dy: number, argmax: number, dx: number, ...planes: number[]): void;
  avgPool(x: number, y: number, ...window: number[]): void;
  avgPoolBackward(dy: number, dx: number, ...window: number[]): void;
  elementwise(op: number, a: number, b: number, c: number, out: number, n: number, alpha: number, beta: number): void;
  sum(x: number, n: number): number;
  sumRows(x: number, rows: number, cols: number, out: number, divisor: number): void;
  sumColumns(x: number, rows: number, cols: number, out: number): void;
  broadcastRows(g: number, rows: number, cols: number, out: number, scale: number): void;
  pointwise(op: number, a: number, b: number, out: number, n: number): void;
  softmaxRows(x: number, rows: number, cols: number, out: number, log: number): void;
  softmaxRowsBackward(g: number, y: number, rows: number, cols: number, out: number, log: number): void;
  maxRows(x: number, rows: number, cols: number, out: number): void;
  maxRowsBackward(g: number, x: number, y: number, rows: number, cols: number, out: number): void;
  // The cell kernels run `n` rows of `hidden` units; `part` picks the tail-staging rows of the thread.
  lstmCell(z: number, cPrev: number, c: number, h: number, tc: number, n: number, hidden: number, part: number): void;
  lstmCellBackward(
    gates: number,
    cPrev: number,
    tc: number,
    dh: number,
    dc: number,
    dz: number,
    dcPrev: number,
    n: number,
    hidden: number,
    part: number,
  ): void;
  gruCell(
    x: number,
    hh: number,
    bhh: number,
    hPrev: number,
    h: number,
    hn: number,
    n: number,
    hidden: number,
    part: number,
  ): void;
  gruCellBackward(
    gates: number,
    hn: number,
    hPrev: number,
    dh: number,
    dx: number,
    dhh: number,
    dhPrev: number,
    n: number,
    hidden: number,
    part: number,
  ): void;
  rnnCell(act: number, z: number, h: number, n: number, hidden: number, part: number): void;
  rnnCellBackward(act: number, h: number, dh: number, dz: number, n: number, hidden: number, part: number): void;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const abort = (): never => {
  throw new Error('rmsprop kernels: WebAssembly abort');
};

/** The compiled kernels and the memory every thread's instance of them shares. */
export interface SharedKernels {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
}

function instantiate(): { exports: WasmKernels; shared: SharedKernels | null } | null {
  if (typeof WebAssembly !== 'object') return null;
  // The build with threads needs its memory shared with the workers; elsewhere the plain build runs.
  if (threadRuntime.kind !== 'none') {
    const bytes = decode(threadedBase64);
    if (WebAssembly.validate(bytes)) {
      const module = new WebAssembly.Module(bytes);
      const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
      const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
      return { exports: instance.exports as unknown as WasmKernels, shared: { module, memory } };
    }
  }
  const bytes = decode(wasmBase64);
  // A runtime without SIMD128 rejects the module; the TypeScript reference path then does the work.
  if (!WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort } });
  return { exports: instance.exports as unknown as WasmKernels, shared: null };
}

const loaded = instantiate();

/** The kernel module, or null where WebAssembly SIMD is unavailable. */
export const wasm: WasmKernels | null = loaded?.exports ?? null;

/** The module and its shared memory, where worker threads can run kernels too; null elsewhere. */
export const sharedKernels: SharedKernels | null = loaded?.shared ?? null;

/** Whether the WebAssembly kernels run here; without them only the TypeScript reference paths do. */
export const wasmAvailable = wasm !== null;
