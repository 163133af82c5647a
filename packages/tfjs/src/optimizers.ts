import * as tf from '@tensorflow/tfjs-core';
import * as core from 'rmsprop/optim';
import { TfjsOptimizer } from './bridge.js';

/** RMSProp with every switch of the library (`{ centered, momentum, nesterov, weightDecay, flavor, … }`). */
export class RMSprop extends TfjsOptimizer<core.RMSpropOptions> {
  static readonly className = 'rmsprop.RMSprop';
  constructor(options: core.Init<core.RMSpropOptions> = {}) {
    super(core.RMSprop, 'rmsprop', options);
  }
}

export class Adam extends TfjsOptimizer<core.AdamOptions> {
  static readonly className = 'rmsprop.Adam';
  constructor(options: core.Init<core.AdamOptions> = {}) {
    super(core.Adam, 'adam', options);
  }
}

export class AdamW extends TfjsOptimizer<core.AdamOptions> {
  static readonly className = 'rmsprop.AdamW';
  constructor(options: core.Init<core.AdamOptions> = {}) {
    super(core.AdamW, 'adam', options);
  }
}

export class SGD extends TfjsOptimizer<core.SGDOptions> {
  static readonly className = 'rmsprop.SGD';
  constructor(options: core.Init<core.SGDOptions> = {}) {
    super(core.SGD, 'sgd', options);
  }
}

export class Adagrad extends TfjsOptimizer<core.AdagradOptions> {
  static readonly className = 'rmsprop.Adagrad';
  constructor(options: core.Init<core.AdagradOptions> = {}) {
    super(core.Adagrad, 'adagrad', options);
  }
}

export class Adadelta extends TfjsOptimizer<core.AdadeltaOptions> {
  static readonly className = 'rmsprop.Adadelta';
  constructor(options: core.Init<core.AdadeltaOptions> = {}) {
    super(core.Adadelta, 'adadelta', options);
  }
}

// Registered so that models saved with these optimizers load again.
for (const cls of [RMSprop, Adam, AdamW, SGD, Adagrad, Adadelta]) {
  tf.serialization.registerClass(
    cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );
}
