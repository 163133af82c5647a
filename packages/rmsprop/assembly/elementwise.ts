// Elementwise kernels over n floats: whole groups of four in v128, the last n % 4 through tail.ts's
// staging rows. Outputs may alias inputs (each element is read before it is written).
import { stage, unstage, wholeBytes } from './tail';

export const ADD = 0, SUB = 1, MUL = 2, DIV = 3, SCALE_SHIFT = 4, RELU = 5, RELU_BACKWARD = 6, DIV_GRAD_B = 7;

// The op is a constant after inlining, so each compiles to its own loop. The scalars of SCALE_SHIFT are
// passed as f32 values; a and b are unused where an op has fewer inputs.
@inline function loop(op: i32, a: usize, b: usize, c: usize, out: usize, bytes: usize, alpha: v128, beta: v128): void {
  for (let i: usize = 0; i < bytes; i += 16) {
    const x = v128.load(a + i);
    let r: v128;
    if (op == ADD) r = f32x4.add(x, v128.load(b + i));
    else if (op == SUB) r = f32x4.sub(x, v128.load(b + i));
    else if (op == MUL) r = f32x4.mul(x, v128.load(b + i));
    else if (op == DIV) r = f32x4.div(x, v128.load(b + i));
    else if (op == SCALE_SHIFT) r = f32x4.add(f32x4.mul(x, alpha), beta);
    // x > 0 ? x : 0, with NaN to 0, as the TypeScript `x > 0 ? x : 0`.
    else if (op == RELU) r = v128.and(x, f32x4.gt(x, f32x4.splat(0)));
    // a = g, b = x: g where x > 0, else 0 (also for g = NaN or ±∞, as PyTorch's threshold_backward).
    else if (op == RELU_BACKWARD) r = v128.and(x, f32x4.gt(v128.load(b + i), f32x4.splat(0)));
    else {
      // a = g, b = x, c = y: −g·((x / y) / y), PyTorch's gradient of x / y with respect to y.
      const y = v128.load(c + i);
      r = f32x4.mul(f32x4.neg(x), f32x4.div(f32x4.div(v128.load(b + i), y), y));
    }
    v128.store(out + i, r);
  }
}

@inline function run(op: i32, a: usize, b: usize, c: usize, out: usize, n: usize, alpha: f32, beta: f32): void {
  const av = f32x4.splat(alpha), bv = f32x4.splat(beta);
  loop(op, a, b, c, out, wholeBytes(n), av, bv);
  if (n & 3) {
    const ta = stage(0, a, n), tb = stage(1, b, n), tc = stage(2, c, n), to = stage(3, out, n);
    loop(op, ta, tb, tc, to, 16, av, bv);
    unstage(3, out, n);
  }
}

/**
 * out[k] = op(a[k], b[k], c[k]) for k < n: ADD a + b, SUB a − b, MUL a·b, DIV a / b, SCALE_SHIFT
 * a·alpha + beta, RELU max(a, 0), RELU_BACKWARD a where b > 0, DIV_GRAD_B −a·((b / c) / c).
 * Pointers an op does not use may be 0.
 */
export function elementwise(op: i32, a: usize, b: usize, c: usize, out: usize, n: usize, alpha: f32, beta: f32): void {
  switch (op) {
    case ADD: run(ADD, a, b, c, out, n, alpha, beta); break;
    case SUB: run(SUB, a, b, c, out, n, alpha, beta); break;
    case MUL: run(MUL, a, b, c, out, n, alpha, beta); break;
    case DIV: run(DIV, a, b, c, out, n, alpha, beta); break;
    case SCALE_SHIFT: run(SCALE_SHIFT, a, b, c, out, n, alpha, beta); break;
    case RELU: run(RELU, a, b, c, out, n, alpha, beta); break;
    case RELU_BACKWARD: run(RELU_BACKWARD, a, b, c, out, n, alpha, beta); break;
    default: run(DIV_GRAD_B, a, b, c, out, n, alpha, beta);
  }
}
