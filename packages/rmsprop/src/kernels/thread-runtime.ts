// Which threads this runtime can give the kernels' pool, decided once at load: Node's worker_threads,
// Web Workers, or none (and why). The pool blocks in `Atomics.wait`, so a browser thread counts only
// where it may block there: a Web Worker of a cross-origin isolated page, not the page itself.

/** How the pool starts its threads here, or why it cannot. */
export type ThreadRuntime = { readonly kind: 'node' | 'web' } | { readonly kind: 'none'; readonly reason: string };

interface Globals {
  process?: { getBuiltinModule?: unknown };
  crossOriginIsolated?: boolean;
  Worker?: unknown;
}

/** Whether this thread may block in `Atomics.wait` (a page's main thread may not: it throws). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // returns at once: 0 is not 1
    return true;
  } catch {
    return false;
  }
}

function detect(): ThreadRuntime {
  const g = globalThis as Globals;
  const none = (reason: string): ThreadRuntime => ({ kind: 'none', reason });
  // Browsers define crossOriginIsolated; Node does not.
  if (g.crossOriginIsolated === undefined) {
    if (typeof g.process?.getBuiltinModule !== 'function')
      return none('this runtime has neither Node’s process.getBuiltinModule (Node 20.16 and later) nor Web Workers');
    return typeof SharedArrayBuffer === 'function' ? { kind: 'node' } : none('this runtime has no SharedArrayBuffer');
  }
  if (g.crossOriginIsolated !== true)
    return none(
      'the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin ' +
        'and Cross-Origin-Embedder-Policy: require-corp), so it has no shared memory',
    );
  if (typeof SharedArrayBuffer !== 'function') return none('this runtime has no SharedArrayBuffer');
  if (typeof g.Worker !== 'function') return none('this context cannot start Web Workers');
  if (!mayBlock())
    return none(
      "Atomics.wait is not allowed on a page's main thread: use the kernels in a Web Worker for more threads",
    );
  return { kind: 'web' };
}

/** The threads this runtime offers the pool, decided at load. */
export const threadRuntime: ThreadRuntime = detect();
