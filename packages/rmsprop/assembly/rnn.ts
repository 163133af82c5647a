// One Elman RNN time step, forward and backward, over n rows of `hidden` units: the activation of the
// pre-activations z = x·W_ihᵀ + h·W_hhᵀ + b (summed by the GEMMs in place) and its gradient. The rows are
// contiguous, so a call is one run of n·hidden floats; its last n·hidden % 4 go through tail.ts's staging
// rows of part `part` (the thread running these rows).
import { tanhv } from './transcendental';
import { stage, unstage, wholeBytes } from './tail';

export const TANH = 0, RELU = 1;

// The activation is a constant after inlining, so each compiles to its own loop.
@inline function forwardLoop(act: i32, z: usize, h: usize, bytes: usize): void {
  for (let i: usize = 0; i < bytes; i += 16) {
    const x = v128.load(z + i);
    // relu as x > 0 ? x : 0, NaN to 0, as elementwise.ts's RELU.
    v128.store(h + i, act == TANH ? tanhv(x) : v128.and(x, f32x4.gt(x, f32x4.splat(0))));
  }
}

// dz = dh·act'(z) from the output h: tanh' = (1 − h)(1 + h); relu' = 1 where h > 0, else 0 (dh passes
// whole or not at all, also ±∞ and NaN, as PyTorch's threshold_backward).
@inline function backwardLoop(act: i32, h: usize, dh: usize, dz: usize, bytes: usize): void {
  for (let i: usize = 0; i < bytes; i += 16) {
    const y = v128.load(h + i), g = v128.load(dh + i);
    const one = f32x4.splat(1);
    v128.store(
      dz + i,
      act == TANH
        ? f32x4.mul(g, f32x4.mul(f32x4.sub(one, y), f32x4.add(one, y)))
        : v128.and(g, f32x4.gt(y, f32x4.splat(0))),
    );
  }
}

@inline function forward(act: i32, z: usize, h: usize, count: usize, part: usize): void {
  forwardLoop(act, z, h, wholeBytes(count));
  if (count & 3) {
    forwardLoop(act, stage(0, z, count, part), stage(1, 0, count, part), 16);
    unstage(1, h, count, part);
  }
}

@inline function backward(act: i32, h: usize, dh: usize, dz: usize, count: usize, part: usize): void {
  backwardLoop(act, h, dh, dz, wholeBytes(count));
  if (count & 3) {
    backwardLoop(act, stage(0, h, count, part), stage(1, dh, count, part), stage(2, 0, count, part), 16);
    unstage(2, dz, count, part);
  }
}

/** h = act(z) over [n, hidden] (act TANH or RELU); h may be z. */
export function rnnCell(act: i32, z: usize, h: usize, n: usize, hidden: usize, part: usize): void {
  if (act == TANH) forward(TANH, z, h, n * hidden, part);
  else forward(RELU, z, h, n * hidden, part);
}

/** The gradient of rnnCell from its output h [n, hidden] and the gradient dh of h: dz (may be dh). */
export function rnnCellBackward(act: i32, h: usize, dh: usize, dz: usize, n: usize, hidden: usize, part: usize): void {
  if (act == TANH) backward(TANH, h, dh, dz, n * hidden, part);
  else backward(RELU, h, dh, dz, n * hidden, part);
}
