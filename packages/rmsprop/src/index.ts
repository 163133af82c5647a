export * from './optim/index.js';
export { F32Block, heap, inWasmMemory, wasm } from './kernels/index.js';
