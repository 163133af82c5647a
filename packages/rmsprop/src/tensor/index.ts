export { Tensor, type DType, type Shape, type Node } from './tensor.js';
export { backward, noGrad, registerGradient, record, type GradientFn } from './tape.js';
export { scope, keep } from './scope.js';
export { Generator, defaultGenerator, manualSeed } from './random.js';
export { numbersToJson, numbersFromJson } from './json-numbers.js';
export {
  full,
  zeros,
  ones,
  fromArray,
  rand,
  randn,
  truncatedNormal,
  type CreateOptions,
  type RandomOptions,
} from './creation.js';
export * from './ops/elementwise.js';
export * from './ops/activation.js';
export * from './ops/reduce.js';
export * from './ops/matmul.js';
export * from './ops/shape.js';
export { broadcastShapes } from './ops/broadcast.js';
export * from './ops/softmax.js';
export * from './ops/loss.js';
export * from './ops/dropout.js';
export * from './ops/conv.js';
export * from './ops/pool.js';
export { gemm } from './ops/gemm.js';
export * from './ops/linear.js';
export { gradcheck, type GradcheckOptions, type GradcheckMismatch } from './gradcheck.js';
export * from './ops/lstm.js';
export * from './ops/gru.js';
export * from './ops/rnn.js';
