/** A point of the plane, [x, y]. */
export type Point = readonly [number, number];

/** A marked point of a surface: a global minimum, or the saddle point of a surface without one. */
export interface Landmark {
  readonly at: Point;
  readonly kind: 'minimum' | 'saddle';
}

/** A loss surface of two parameters, with its analytic gradient and where to look at it. */
export interface Surface {
  /** The surface's key in the URL. */
  readonly id: string;
  readonly name: string;
  /** The function as a reader would write it. */
  readonly formula: string;
  /** One sentence on what the surface shows about optimizers. */
  readonly lesson: string;
  /** The region the map shows. */
  readonly x: Point;
  readonly y: Point;
  /** Where the paths start until the user clicks elsewhere. */
  readonly start: Point;
  readonly landmarks: readonly Landmark[];
  /** The least value, subtracted in the loss plot; null where the function is unbounded below. */
  readonly lowest: number | null;
  value(x: number, y: number): number;
  gradient(x: number, y: number): Point;
}
