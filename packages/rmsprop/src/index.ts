export * from './optim/index.js';
export {
  F32Block,
  heap,
  inWasmMemory,
  wasm,
  setThreads,
  getThreads,
  startThreads,
  threadsAvailable,
  threadsUnavailableReason,
} from './kernels/index.js';
