export { RMSprop, Adam, AdamW, SGD, Adagrad, Adadelta } from './optimizers.js';
export { TfjsOptimizer } from './bridge.js';
