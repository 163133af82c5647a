export { wasm, wasmAvailable, type WasmKernels } from './instance.js';
export { setThreads, getThreads, startThreads, threadsAvailable, threadsUnavailableReason } from './thread-pool.js';
export {
  rmspropStep,
  adamStep,
  sgdStep,
  adagradStep,
  adadeltaStep,
  emaStep,
  NO_PREPROCESSING,
  HYPERPARAMETERS,
  FLAGS,
  type Preprocessing,
  type StepOperands,
  type RmspropHyperparameters,
  type AdamHyperparameters,
  type SgdHyperparameters,
  type AdagradHyperparameters,
  type AdadeltaHyperparameters,
} from './optimizer-steps.js';
export { sumSquares, allFinite, sumSquaresReference, allFiniteReference } from './gradient-scan.js';
export { Heap } from './heap.js';
export { F32Block, heap, inWasmMemory } from './f32-block.js';
export { gemm, gemmReference } from './gemm.js';
export { im2col, col2im, copyRows, im2colReference, col2imReference, copyRowsReference } from './conv.js';
export type { Im2colShape, RowLayout } from './conv.js';
export {
  maxPool,
  maxPoolBackward,
  avgPool,
  avgPoolBackward,
  maxPoolReference,
  maxPoolBackwardReference,
  avgPoolReference,
  avgPoolBackwardReference,
} from './pool.js';
export type { PoolWindow } from './pool.js';
export {
  binary,
  scaleShift,
  relu,
  reluBackward,
  divGradB,
  binaryReference,
  scaleShiftReference,
  reluReference,
  reluBackwardReference,
  divGradBReference,
} from './elementwise.js';
export type { BinaryOp } from './elementwise.js';
export {
  sum,
  sumRows,
  sumColumns,
  broadcastRows,
  sumReference,
  sumRowsReference,
  sumColumnsReference,
  broadcastRowsReference,
} from './sum.js';
export {
  exp,
  log,
  tanh,
  sigmoid,
  gelu,
  tanhBackward,
  sigmoidBackward,
  geluBackward,
  normalCdf,
  expReference,
  logReference,
  tanhReference,
  sigmoidReference,
  geluReference,
  tanhBackwardReference,
  sigmoidBackwardReference,
  geluBackwardReference,
} from './pointwise.js';
export {
  softmaxRows,
  logSoftmaxRows,
  softmaxRowsBackward,
  logSoftmaxRowsBackward,
  softmaxLine,
  softmaxLineBackward,
  softmaxRowsReference,
  logSoftmaxRowsReference,
  softmaxRowsBackwardReference,
  logSoftmaxRowsBackwardReference,
} from './softmax.js';
export { maxRows, maxRowsBackward, maxRowsReference, maxRowsBackwardReference } from './max-rows.js';
export { lstmCell, lstmCellBackward, lstmCellReference, lstmCellBackwardReference } from './lstm-cell.js';
export { gruCell, gruCellBackward, gruCellReference, gruCellBackwardReference } from './gru-cell.js';
export {
  rnnCell,
  rnnCellBackward,
  rnnCellReference,
  rnnCellBackwardReference,
  type RnnActivation,
} from './rnn-cell.js';
