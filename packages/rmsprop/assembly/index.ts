export { rmsprop } from './rmsprop';
export { adam } from './adam';
export { sgd } from './sgd';
export { adagrad } from './adagrad';
export { adadelta } from './adadelta';
export { ema } from './ema';
export { gemm, gemmWorkspace } from './gemm';
export { sumSquares, allFinite } from './reduce';
export { im2col, col2im, copyRows } from './conv';
export { maxPool, maxPoolBackward, avgPool, avgPoolBackward } from './pool';
export { elementwise } from './elementwise';
export { sum, sumRows, sumColumns, broadcastRows } from './sum';
export { pointwise } from './pointwise';
export { softmaxRows, softmaxRowsBackward } from './softmax';
export { maxRows, maxRowsBackward } from './max';
export { lstmCell, lstmCellBackward } from './lstm';
export { gruCell, gruCellBackward } from './gru';
export { rnnCell, rnnCellBackward } from './rnn';
export { HP as hyperparameters } from './tail';

/** First byte the module's own data does not use; the host's allocator starts here. */
export const heapBase: usize = __heap_base;
