// Transcendental functions over n floats and the gradients of the activations, four lanes at a time,
// the last n % 4 through tail.ts's staging rows. Outputs may alias inputs.
import { expv, geluGradv, geluv, logv, sigmoidv, tanhv } from './transcendental';
import { stage, unstage, wholeBytes } from './tail';

export const EXP = 0, LOG = 1, TANH = 2, SIGMOID = 3, GELU = 4, TANH_BACKWARD = 5, SIGMOID_BACKWARD = 6,
  GELU_BACKWARD = 7;

// The op is a constant after inlining, so each compiles to its own loop; b is unused by the forward ops.
@inline function loop(op: i32, a: usize, b: usize, out: usize, bytes: usize): void {
  for (let i: usize = 0; i < bytes; i += 16) {
    const x = v128.load(a + i);
    let r: v128;
    if (op == EXP) r = expv(x);
    else if (op == LOG) r = logv(x);
    else if (op == TANH) r = tanhv(x);
    else if (op == SIGMOID) r = sigmoidv(x);
    else if (op == GELU) r = geluv(x);
    else if (op == TANH_BACKWARD) {
      // a = g, b = y: g·(1 − y)(1 + y), which keeps its digits where y² is close to 1.
      const y = v128.load(b + i);
      r = f32x4.mul(x, f32x4.mul(f32x4.sub(f32x4.splat(1), y), f32x4.add(f32x4.splat(1), y)));
    } else if (op == SIGMOID_BACKWARD) {
      // a = g, b = y: g·(y·(1 − y)).
      const y = v128.load(b + i);
      r = f32x4.mul(x, f32x4.mul(y, f32x4.sub(f32x4.splat(1), y)));
    } else {
      // a = g, b = x.
      r = f32x4.mul(x, geluGradv(v128.load(b + i)));
    }
    v128.store(out + i, r);
  }
}

@inline function run(op: i32, a: usize, b: usize, out: usize, n: usize): void {
  loop(op, a, b, out, wholeBytes(n));
  if (n & 3) {
    const ta = stage(0, a, n), tb = stage(1, b, n), to = stage(2, out, n);
    loop(op, ta, tb, to, 16);
    unstage(2, out, n);
  }
}

/**
 * out[k] = op(a[k], b[k]) for k < n: EXP e^a, LOG ln a, TANH tanh a, SIGMOID 1/(1 + e^−a), GELU a·Φ(a);
 * TANH_BACKWARD a·(1 − b²), SIGMOID_BACKWARD a·b·(1 − b) (b the forward output), GELU_BACKWARD a·GELU'(b)
 * (b the forward input). b may be 0 for the forward ops.
 */
export function pointwise(op: i32, a: usize, b: usize, out: usize, n: usize): void {
  switch (op) {
    case EXP: run(EXP, a, b, out, n); break;
    case LOG: run(LOG, a, b, out, n); break;
    case TANH: run(TANH, a, b, out, n); break;
    case SIGMOID: run(SIGMOID, a, b, out, n); break;
    case GELU: run(GELU, a, b, out, n); break;
    case TANH_BACKWARD: run(TANH_BACKWARD, a, b, out, n); break;
    case SIGMOID_BACKWARD: run(SIGMOID_BACKWARD, a, b, out, n); break;
    default: run(GELU_BACKWARD, a, b, out, n);
  }
}
