// Shared by the optimizers' tests and those that train with them (not part of the build).
import type { Transform } from './index.js';

/** A user's own heavy-ball momentum, with its state declared in `init`: b ← m·b + u, and the update is b. */
export const heavyBall = (m: number): Transform => ({
  init: (param) => ({ velocity: new Float32Array(param.length) }),
  update: (updates, slots) =>
    updates.map((u, k) => {
      const b = slots[k]!.state.velocity!;
      return u.map((x, i) => (b[i] = b[i]! * m + x));
    }),
});
