// The thread pool: worker threads (Node's, or a browser's Web Workers), each with its own instance of
// the kernels over the one shared memory. It starts once, at the first call that splits work (or at
// `startThreads()`), and its workers sleep in `Atomics.wait` between calls. A call runs one part on the
// calling thread and the others on workers, and returns when all are done. Only the kernels' folder
// knows of it: this file, the starters of its threads and the typed wrappers that split their work.
import { sharedKernels, wasm, type WasmKernels } from './instance.js';
import { startNodeWorkers } from './node-workers.js';
import { threadRuntime } from './thread-runtime.js';
import { startWebWorkers } from './web-workers.js';

interface NodeRuntime {
  getBuiltinModule(id: 'node:os'): typeof import('node:os');
  env: Record<string, string | undefined>;
}
const node = (globalThis as { process?: NodeRuntime }).process;

// The control block, in a SharedArrayBuffer of its own: the call's generation (the workers wait on it),
// how many workers are done with it and how many are ready, whether one failed, the kernel, the parts,
// the arguments of each part, and the word to instantiate.
const GENERATION = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
const KERNEL = 4;
const PARTS = 5;
const ARGC = 6;
const INSTANTIATE = 7;
const HEADER = 8;
const MAX_ARGS = 24;
const MAX_THREADS = 64;
const START_SECONDS = 30;

// A worker, given its data by its starter: at the word, instantiate the kernels over the shared memory,
// say so, then run its part of each call.
const WORKER = `
function run({ module, memory, control, args, names, index }) {
  const ctl = new Int32Array(control);
  Atomics.wait(ctl, ${INSTANTIATE}, 0);
  const kernels = new WebAssembly.Instance(module, {
    env: { memory, abort() { throw new Error('rmsprop kernels: WebAssembly abort'); } },
  }).exports;
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
}
`;

type Kernel = keyof WasmKernels & string;

interface Workers {
  threads: readonly { terminate(): unknown }[];
  readonly ctl: Int32Array;
  readonly argv: Float64Array;
  readonly names: readonly string[];
  /** Whether the workers wait for calls: a browser's are not until `started` resolves. */
  ready: boolean;
  /** Resolves with the threads the kernels use once the workers are ready. */
  started: Promise<number>;
}

function defaultThreads(): number {
  const fromEnv = node?.env.RMSPROP_THREADS;
  if (fromEnv !== undefined && fromEnv !== '') return checkedThreads('RMSPROP_THREADS', Number(fromEnv));
  const cores =
    threadRuntime.kind === 'node'
      ? node!.getBuiltinModule('node:os').availableParallelism()
      : (globalThis.navigator?.hardwareConcurrency ?? 1);
  return Math.min(cores, MAX_THREADS);
}

function checkedThreads(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS)
    throw new RangeError(`${what} must be an integer from 1 to ${MAX_THREADS}, got ${n}`);
  return n;
}

/**
 * Why the kernels run on one thread only here, or null where they can use more: a page that is not
 * cross-origin isolated, a page's main thread (which may not block in `Atomics.wait`), a runtime whose
 * WebAssembly has no threads. Results are the same either way; the library never logs it, so read it
 * here to tell your users.
 */
export const threadsUnavailableReason: string | null =
  sharedKernels !== null
    ? null
    : wasm === null
      ? 'WebAssembly SIMD is unavailable here: the TypeScript reference paths do the work'
      : threadRuntime.kind === 'none'
        ? threadRuntime.reason
        : 'this runtime’s WebAssembly has no threads (shared memory and atomics)';

/**
 * Whether kernels can run on more than one thread here: Node, or a Web Worker of a cross-origin
 * isolated page, with shared WebAssembly memory. Where not, `threadsUnavailableReason` says why.
 */
export const threadsAvailable = threadsUnavailableReason === null;

let wanted = threadsAvailable ? defaultThreads() : 1;
let pool: Workers | null = null;

/**
 * Sets how many threads the kernels use (default: the cores available, `os.availableParallelism()` in
 * Node or `navigator.hardwareConcurrency` in a browser, or `RMSPROP_THREADS` in Node). Results do not
 * depend on it: every kernel splits its work so that each output is computed the same way. Where threads
 * are unavailable (`threadsAvailable` false, `threadsUnavailableReason` says why) only 1 is accepted.
 */
export function setThreads(n: number): void {
  checkedThreads('setThreads: n', n);
  if (n > 1 && !threadsAvailable)
    throw new RangeError(`setThreads: only 1 thread is possible here (${threadsUnavailableReason}), got ${n}`);
  if (n !== wanted) stopPool();
  wanted = n;
}

/**
 * The number of threads the kernels use. (In a browser they use that many once `startThreads()` has
 * resolved, and one until then.)
 */
export const getThreads = (): number => wanted;

function stopWorkers({ threads }: Workers): void {
  for (const t of threads) void t.terminate();
}

function stopPool(): void {
  if (pool) stopWorkers(pool);
  pool = null;
}

// Instantiating rewrites the module's static data (the hyper-parameter block among it), so the workers
// wait for the word, given here while this thread runs no kernel, and this thread waits until all have.
function instantiateWorkers({ ctl, threads }: Workers): void {
  Atomics.store(ctl, INSTANTIATE, 1);
  Atomics.notify(ctl, INSTANTIATE);
  for (let ready = 0; (ready = Atomics.load(ctl, READY)) < threads.length;) {
    if (Atomics.wait(ctl, READY, ready, START_SECONDS * 1000) === 'timed-out') {
      for (const t of threads) void t.terminate();
      throw new Error(
        `rmsprop kernels: ${threads.length - ready} worker thread(s) did not start in ${START_SECONDS} s`,
      );
    }
  }
}

const oneThread = Promise.resolve(1);

function startPool(): Workers {
  const { module, memory } = sharedKernels!;
  const control = new SharedArrayBuffer(HEADER * 4);
  const args = new SharedArrayBuffer(MAX_THREADS * MAX_ARGS * 8);
  const names = Object.keys(wasm!).filter((k) => typeof wasm![k as Kernel] === 'function');
  const data = Array.from({ length: wanted - 1 }, (_, i) => ({ module, memory, control, args, names, index: i + 1 }));
  const count = wanted;
  const ctl = new Int32Array(control);
  const fresh: Workers = { threads: [], ctl, argv: new Float64Array(args), names, ready: false, started: oneThread };
  if (threadRuntime.kind === 'node') {
    fresh.threads = startNodeWorkers(WORKER, data);
    instantiateWorkers(fresh);
    return Object.assign(fresh, { ready: true, started: Promise.resolve(count) });
  }
  // A browser's workers start once this thread is back in its event loop; the word to instantiate is
  // given then, in a task of its own, so never while a kernel runs here.
  fresh.started = startWebWorkers(WORKER, data, START_SECONDS)
    .then((workers) => {
      fresh.threads = workers;
      if (pool !== fresh) {
        stopWorkers(fresh); // setThreads changed the count meanwhile
        return startThreads();
      }
      instantiateWorkers(fresh);
      fresh.ready = true;
      return count;
    })
    .catch((e: unknown) => {
      if (pool !== fresh) return startThreads();
      [pool, wanted] = [null, 1]; // the kernels go on with one thread
      throw e;
    });
  fresh.started.catch(() => undefined); // a pool started by a kernel call has nobody awaiting it
  return fresh;
}

/**
 * Starts the pool if calls are to split work and it is not running, and resolves with the number of
 * threads the kernels then use. In Node the pool is ready at once. In a browser its workers start only
 * once this thread is back in its event loop: until the promise resolves, every call runs on this thread,
 * with the same results. If the workers cannot start, it rejects and the kernels stay on one thread
 * (`getThreads()` is then 1). The first call that splits work starts the pool anyway; await this before
 * heavy work to have it ready. (A caller that writes the module's static data, the hyper-parameter block,
 * calls this first, since starting a worker in Node rewrites that data.)
 */
export function startThreads(): Promise<number> {
  if (wanted === 1) return oneThread;
  pool ??= startPool();
  return pool.started;
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
  if (parts[0]!.length > MAX_ARGS) throw new RangeError(`runParts: ${kernel} takes more than ${MAX_ARGS} arguments`);
  pool ??= startPool();
  if (!pool.ready) {
    for (const args of parts) k(...args); // a browser's pool is starting: the same results on this thread
    return;
  }
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
  let parts = Math.max(1, Math.min(wanted, Math.floor(n / Math.max(least, align))));
  if (parts > 1 && !(pool ??= startPool()).ready) parts = 1; // a browser's pool is starting: run whole here
  const size = Math.ceil(n / parts / align) * align;
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += size) out.push([start, Math.min(size, n - start)]);
  return out.length > 0 ? out : [[0, 0]];
}

/**
 * Runs a row kernel (a recurrent cell, a softmax, …: each row of `width` units computed on its own) over n rows split
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
