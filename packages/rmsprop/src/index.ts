export * from './optim/index.js';
export { F32Block, heap, inWasmMemory, wasm, setThreads, getThreads, threadsAvailable } from './kernels/index.js';
