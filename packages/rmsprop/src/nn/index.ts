export { Module, Sequential } from './module.js';
export * as init from './init.js';
export { Linear } from './layers/linear.js';
export { Conv2d } from './layers/conv2d.js';
export { ReLU, LeakyReLU, Tanh, Sigmoid, GELU, MaxPool2d, AvgPool2d, Flatten, Dropout } from './layers/stateless.js';
export { Embedding } from './layers/embedding.js';
export { BatchNorm1d, BatchNorm2d } from './layers/batch-norm.js';
export { RNN, LSTM, GRU, type RecurrentOptions, type RNNOptions, type RecurrentResult } from './layers/recurrent.js';
