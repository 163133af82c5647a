import { beale } from './beale.js';
import { himmelblau } from './himmelblau.js';
import { illConditionedQuadratic } from './ill-conditioned-quadratic.js';
import { rastrigin } from './rastrigin.js';
import { rosenbrock } from './rosenbrock.js';
import { saddle } from './saddle.js';
import type { Surface } from './surface.js';

/** Every surface the page offers, in menu order. */
export const surfaces: readonly Surface[] = [rosenbrock, beale, himmelblau, saddle, rastrigin, illConditionedQuadratic];

/** The surface with this URL key, or undefined. */
export const surfaceById = (id: string): Surface | undefined => surfaces.find((s) => s.id === id);
