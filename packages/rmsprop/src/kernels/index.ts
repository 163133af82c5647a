export { setHyperparameters, wasm, type WasmKernels } from './instance.js';
export { Heap } from './heap.js';
export { F32Block, heap, inWasmMemory } from './f32-block.js';
export { gemm, gemmReference } from './gemm.js';
