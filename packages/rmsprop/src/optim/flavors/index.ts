import type { FlavorKind, FlavorTable } from './flavor.js';
import { keras } from './keras.js';
import { optax } from './optax.js';
import { pytorch } from './pytorch.js';
import { tf1 } from './tf1.js';
import { tfjs } from './tfjs.js';

export type Flavor = 'pytorch' | 'keras' | 'tf1' | 'tfjs' | 'optax';

const tables = { pytorch, keras, tf1, tfjs, optax };
type Tables = typeof tables;

export const flavors: Readonly<Record<Flavor, FlavorTable>> = tables;

/** Under flavor F, the framework's names for the optimizers our kind K reproduces (tf1: `sgd`, `momentum`). */
export type FlavorOptimizer<F extends Flavor, K extends FlavorKind> = {
  [N in keyof Tables[F]]: Tables[F][N] extends { kind: K } ? N : never;
}[keyof Tables[F]];

/** Under flavor F, the option names of those optimizers (Keras `rho`, TensorFlow.js `learningRate`, …). */
export type FlavorOptionName<F extends Flavor, K extends FlavorKind> = {
  [N in keyof Tables[F]]: Tables[F][N] extends { kind: K; names: infer M } ? keyof M & string : never;
}[keyof Tables[F]];

export type { FlavorEntry, FlavorKind, FlavorTable } from './flavor.js';
