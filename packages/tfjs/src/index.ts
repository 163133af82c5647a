export { RMSprop, Adam, AdamW, SGD, Adagrad, Adadelta } from './optimizers.js';
export { TfjsOptimizer, type CoreClass } from './bridge.js';
