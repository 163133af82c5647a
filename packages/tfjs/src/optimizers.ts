import * as tf from '@tensorflow/tfjs-core';
import * as core from 'rmsprop/optim';
import { TfjsOptimizer, type CoreClass } from './bridge.js';

/** A TensorFlow.js optimizer class for one of the library's, registered for serialization as `className`. */
function bridge<O extends core.GroupOptions>(
  className: string,
  Core: CoreClass<O>,
  kind: string,
): { new (options?: core.Init<O>): TfjsOptimizer<O>; readonly className: string } {
  const cls = class extends TfjsOptimizer<O> {
    static readonly className = className;
    constructor(options: core.Init<O> = {}) {
      super(Core, kind, options);
    }
  };
  // Registered so that models saved with these optimizers load again.
  tf.serialization.registerClass(
    cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );
  return cls;
}

/** RMSProp with every switch of the library (`{ centered, momentum, nesterov, weightDecay, flavor, … }`). */
export const RMSprop = bridge('rmsprop.RMSprop', core.RMSprop, 'rmsprop');
export type RMSprop = TfjsOptimizer<core.RMSpropOptions>;
export const Adam = bridge('rmsprop.Adam', core.Adam, 'adam');
export type Adam = TfjsOptimizer<core.AdamOptions>;
export const AdamW = bridge('rmsprop.AdamW', core.AdamW, 'adam');
export type AdamW = TfjsOptimizer<core.AdamOptions>;
export const SGD = bridge('rmsprop.SGD', core.SGD, 'sgd');
export type SGD = TfjsOptimizer<core.SGDOptions>;
export const Adagrad = bridge('rmsprop.Adagrad', core.Adagrad, 'adagrad');
export type Adagrad = TfjsOptimizer<core.AdagradOptions>;
export const Adadelta = bridge('rmsprop.Adadelta', core.Adadelta, 'adadelta');
export type Adadelta = TfjsOptimizer<core.AdadeltaOptions>;
