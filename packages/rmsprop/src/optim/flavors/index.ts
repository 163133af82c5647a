import type { FlavorTable } from './flavor.js';
import { keras } from './keras.js';
import { optax } from './optax.js';
import { pytorch } from './pytorch.js';
import { tf1 } from './tf1.js';
import { tfjs } from './tfjs.js';

export type Flavor = 'pytorch' | 'keras' | 'tf1' | 'tfjs' | 'optax';

export const flavors: Readonly<Record<Flavor, FlavorTable>> = { pytorch, keras, tf1, tfjs, optax };

export type { FlavorEntry, FlavorTable } from './flavor.js';
