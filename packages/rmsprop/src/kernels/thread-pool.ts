// The thread pool: worker threads, each with its own instance of the kernels over the one shared
// memory. It starts once, at the first call that splits work, and its workers sleep in `Atomics.wait`
// between calls. A call runs one part on the calling thread and the others on workers, and returns when
// all are done. Only this file and the typed wrappers that split their work know of it.
import { sharedKernels, wasm, type WasmKernels } from './instance.js';

interface NodeRuntime {
  getBuiltinModule(id: 'node:worker_threads'): typeof import('node:worker_threads');
  getBuiltinModule(id: 'node:os'): typeof import('node:os');
  env: Record<string, string | undefined>;
}
const node = (globalThis as { process?: NodeRuntime }).process;

// The control block, in a SharedArrayBuffer of its own: the call's generation (the workers wait on it),
// how many workers are done with it and how many are ready, whether one failed, the kernel, the parts
// and the arguments of each part.
const GENERATION = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
const KERNEL = 4;
const PARTS = 5;
const ARGC = 6;
const HEADER = 8;
const MAX_ARGS = 16;
const MAX_THREADS = 64;

// A worker: instantiate the kernels over the shared memory, say so, then run its part of each call.
const WORKER = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, args, names, index } = workerData;
const kernels = new WebAssembly.Instance(module, {
  env: { memory, abort() { throw new Error('rmsprop kernels: WebAssembly abort'); } },
}).exports;
const ctl = new Int32Array(control);
const argv = new Float64Array(args);
Atomics.add(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${GENERATION}, seen);
  seen = Atomics.load(ctl, ${GENERATION});
  try {
    if (index < ctl[${PARTS}]) {
      const base = index * ${MAX_ARGS};
      kernels[names[ctl[${KERNEL}]]](...argv.subarray(base, base + ctl[${ARGC}]));
    }
  } catch (e) {
    Atomics.store(ctl, ${FAILED}, 1);
  } finally {
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
}
`;

type Kernel = keyof WasmKernels & string;

interface Workers {
  readonly threads: readonly { terminate(): unknown }[];
  readonly ctl: Int32Array;
  readonly argv: Float64Array;
  readonly names: readonly string[];
}

function defaultThreads(): number {
  const fromEnv = node?.env.RMSPROP_THREADS;
  if (fromEnv !== undefined && fromEnv !== '') return checkedThreads('RMSPROP_THREADS', Number(fromEnv));
  return Math.min(node?.getBuiltinModule('node:os').availableParallelism() ?? 1, MAX_THREADS);
}

function checkedThreads(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS)
    throw new RangeError(`${what} must be an integer from 1 to ${MAX_THREADS}, got ${n}`);
  return n;
}

/** Whether kernels can run on more than one thread here (Node with shared WebAssembly memory). */
export const threadsAvailable = sharedKernels !== null;

let wanted = threadsAvailable ? defaultThreads() : 1;
let pool: Workers | null = null;

/**
 * Sets how many threads the kernels use (default: the cores available, or `RMSPROP_THREADS`). Results do
 * not depend on it: every kernel splits its work so that each output is computed the same way. Where
 * threads are unavailable (`threadsAvailable` false: a browser, for now) only 1 is accepted.
 */
export function setThreads(n: number): void {
  checkedThreads('setThreads: n', n);
  if (n > 1 && !threadsAvailable)
    throw new RangeError(
      `setThreads: this runtime has no worker threads with shared memory; only 1 is possible, got ${n}`,
    );
  if (n !== wanted) stopPool();
  wanted = n;
}

/** The number of threads the kernels use. */
export const getThreads = (): number => wanted;

function stopPool(): void {
  for (const t of pool?.threads ?? []) void t.terminate();
  pool = null;
}

function startPool(): Workers {
  const { Worker } = node!.getBuiltinModule('node:worker_threads');
  const { module, memory } = sharedKernels!;
  const control = new SharedArrayBuffer(HEADER * 4);
  const args = new SharedArrayBuffer(MAX_THREADS * MAX_ARGS * 8);
  const names = Object.keys(wasm!).filter((k) => typeof wasm![k as Kernel] === 'function');
  const ctl = new Int32Array(control);
  const threads = Array.from({ length: wanted - 1 }, (_, i) => {
    const w = new Worker(WORKER, { eval: true, workerData: { module, memory, control, args, names, index: i + 1 } });
    w.unref(); // a process that is done exits though the workers wait
    return w;
  });
  // Instantiating rewrites the module's static data (the hyper-parameter block among it): wait for
  // every worker before any call writes it.
  for (let ready = 0; (ready = Atomics.load(ctl, READY)) < threads.length;) {
    if (Atomics.wait(ctl, READY, ready, 30_000) === 'timed-out') {
      for (const t of threads) void t.terminate();
      throw new Error(`rmsprop kernels: ${threads.length - ready} worker thread(s) did not start in 30 s`);
    }
  }
  return { threads, ctl, argv: new Float64Array(args), names };
}

/**
 * Starts the pool if calls are to split work and it is not running: a caller that writes the module's
 * static data (the hyper-parameter block) calls this first, since starting a worker rewrites that data.
 */
export function startThreads(): void {
  if (wanted > 1 && !pool) pool = startPool();
}

/**
 * Runs `kernel` once per part, each with its own arguments, part 0 on this thread and the others on the
 * pool's workers, and returns when all are done. At most `getThreads()` parts.
 */
export function runParts(kernel: Kernel, parts: readonly (readonly number[])[]): void {
  const k = wasm![kernel] as (...args: number[]) => unknown;
  if (parts.length === 1) {
    k(...parts[0]!);
    return;
  }
  if (parts.length > wanted) throw new RangeError(`runParts: ${parts.length} parts for ${wanted} threads`);
  pool ??= startPool();
  const { ctl, argv, names, threads } = pool;
  parts.forEach((args, i) => i > 0 && argv.set(args, i * MAX_ARGS));
  ctl[KERNEL] = names.indexOf(kernel);
  ctl[PARTS] = parts.length;
  ctl[ARGC] = parts[0]!.length;
  Atomics.store(ctl, DONE, 0);
  Atomics.add(ctl, GENERATION, 1);
  Atomics.notify(ctl, GENERATION);
  let failure: unknown = null;
  try {
    k(...parts[0]!);
  } catch (e) {
    failure = e;
  }
  for (let done = 0; (done = Atomics.load(ctl, DONE)) < threads.length;) Atomics.wait(ctl, DONE, done);
  if (Atomics.exchange(ctl, FAILED, 0) === 1) {
    stopPool(); // the next call starts a fresh pool
    failure ??= new Error(`rmsprop kernels: ${kernel} failed on a worker thread`);
  }
  if (failure !== null) throw failure;
}

/** Elements an elementwise kernel gives a thread at least: a smaller share costs more to hand over than it saves. */
export const SPLIT_ELEMENTS = 2 ** 17;

/** An operand's address `start` elements on; 0 (an absent operand) stays 0. */
export const shifted = (ptr: number, start: number): number => (ptr === 0 ? 0 : ptr + 4 * start);

/**
 * Runs an elementwise `kernel` over n elements split into ranges (each a whole number of cache lines
 * but the last, so one thread at most handles a tail of n % 4), each on its own thread: `args(start,
 * count)` gives a range's arguments. Ranges of fewer than `least` elements are not worth a thread.
 */
export function runSplit(
  kernel: Kernel,
  n: number,
  least: number,
  args: (start: number, count: number) => readonly number[],
): void {
  runParts(
    kernel,
    splitRange(n, 16, least).map(([start, count]) => args(start, count)),
  );
}

/**
 * Splits n elements into at most `getThreads()` contiguous ranges, each a multiple of `align` elements
 * long but the last, with no range under `least` elements: [start, count] pairs.
 */
export function splitRange(n: number, align: number, least: number): [start: number, count: number][] {
  const parts = Math.max(1, Math.min(wanted, Math.floor(n / Math.max(least, align))));
  const size = Math.ceil(n / parts / align) * align;
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += size) out.push([start, Math.min(size, n - start)]);
  return out.length > 0 ? out : [[0, 0]];
}

/**
 * Runs a row kernel (a recurrent cell: each row of `width` units computed on its own) over n rows split
 * into contiguous ranges, one a thread, each computed as it would be alone: `args(row, count, part)` gives a
 * range's arguments, `part` its index, which the kernel stages its row tails under (the parts run at once).
 * A thread gets at least `least` units (rows × width): fewer cost more to hand over than they save.
 */
export function runRows(
  kernel: Kernel,
  n: number,
  width: number,
  least: number,
  args: (row: number, count: number, part: number) => readonly number[],
): void {
  const rows = splitRange(n, 1, Math.ceil(least / Math.max(width, 1)));
  runParts(
    kernel,
    rows.map(([row, count], part) => args(row, count, part)),
  );
}
