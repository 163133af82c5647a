// The pool's threads in a browser: classic Web Workers running a Blob URL of the worker's code. They
// have no workerData, so each gets its data in a first message, and a worker created here starts only
// once this thread is back in its event loop: hence a promise, not a worker ready on return.

/**
 * Starts one Web Worker per entry of `data`, each running `code` (which defines `run(data)`) on its
 * entry, and resolves with them once all run; rejects (and ends them) if one fails to start or they
 * take longer than `seconds`.
 */
export function startWebWorkers(code: string, data: readonly object[], seconds: number): Promise<Worker[]> {
  // Each worker says it runs before `run` takes its thread for good.
  const source = `${code}\nonmessage = (e) => { onmessage = null; postMessage('running'); run(e.data); };`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const workers = data.map(() => new Worker(url, { name: 'rmsprop kernels' }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`rmsprop kernels: the worker threads did not start in ${seconds} s`)),
      seconds * 1000,
    );
  });
  const running = workers.map(
    (w, i) =>
      new Promise<void>((resolve, reject) => {
        w.onmessage = () => resolve();
        w.onerror = (e) => {
          e.preventDefault(); // the caller gets the error; the console need not
          reject(new Error(`rmsprop kernels: a worker thread failed to start: ${e.message}`));
        };
        w.postMessage(data[i]);
      }),
  );
  return Promise.race([Promise.all(running), late])
    .then(
      () => workers,
      (e: unknown) => {
        for (const w of workers) w.terminate();
        throw e;
      },
    )
    .finally(() => {
      clearTimeout(timer);
      URL.revokeObjectURL(url);
    });
}
