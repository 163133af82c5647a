import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerInit, OptimizerKind } from 'rmsprop/optim';
import { TfjsOptimizer } from './bridge.js';

/** A TensorFlow.js optimizer class for one of the library's, registered for serialization as `className`. */
function bridge<K extends OptimizerKind>(
  className: string,
  kind: K,
): { new (options?: OptimizerInit<K>): TfjsOptimizer<K>; readonly className: string } {
  const cls = class extends TfjsOptimizer<K> {
    static readonly className = className;
    constructor(options: OptimizerInit<K> = {}) {
      super(kind, options);
    }
  };
  // Registered so that models saved with these optimizers load again.
  tf.serialization.registerClass(
    cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );
  return cls;
}

/** RMSProp with every switch of the library (`{ centered, momentum, nesterov, weightDecay, flavor, … }`). */
export const RMSprop = bridge('rmsprop.RMSprop', 'rmsprop');
export type RMSprop = TfjsOptimizer<'rmsprop'>;
export const Adam = bridge('rmsprop.Adam', 'adam');
export type Adam = TfjsOptimizer<'adam'>;
export const AdamW = bridge('rmsprop.AdamW', 'adamw');
export type AdamW = TfjsOptimizer<'adamw'>;
export const SGD = bridge('rmsprop.SGD', 'sgd');
export type SGD = TfjsOptimizer<'sgd'>;
export const Adagrad = bridge('rmsprop.Adagrad', 'adagrad');
export type Adagrad = TfjsOptimizer<'adagrad'>;
export const Adadelta = bridge('rmsprop.Adadelta', 'adadelta');
export type Adadelta = TfjsOptimizer<'adadelta'>;
