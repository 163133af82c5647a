// The pool's threads in Node: worker_threads evaluating the worker's code, given their data at start.

interface NodeRuntime {
  getBuiltinModule(id: 'node:worker_threads'): typeof import('node:worker_threads');
}

/**
 * Starts one Node worker thread per entry of `data`, each running `code` (which defines `run(data)`) on
 * its entry. They run as soon as they are created, and never keep a finished process alive.
 */
export function startNodeWorkers(code: string, data: readonly object[]): { terminate(): unknown }[] {
  const node = (globalThis as unknown as { process: NodeRuntime }).process;
  const { Worker } = node.getBuiltinModule('node:worker_threads');
  return data.map((workerData) => {
    const w = new Worker(`${code}\nrun(require('node:worker_threads').workerData);`, { eval: true, workerData });
    w.unref(); // a process that is done exits though the workers wait
    return w;
  });
}
