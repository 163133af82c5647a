import { stage, unstage, wholeBytes } from './tail';

@inline function loop(avg: usize, p: usize, bytes: usize, m: v128, om: v128): void {
  for (let i: usize = 0; i < bytes; i += 16) {
    v128.store(avg + i, f32x4.add(f32x4.mul(v128.load(avg + i), m), f32x4.mul(v128.load(p + i), om)));
  }
}

/** Exponential moving average of weights: avg ← m·avg + (1−m)·p. */
export function ema(avg: usize, p: usize, n: usize, momentum: f32, oneMinusMomentum: f32): void {
  const m = f32x4.splat(momentum), om = f32x4.splat(oneMinusMomentum);
  loop(avg, p, wholeBytes(n), m, om);
  if (n & 3) {
    loop(stage(0, avg, n), stage(1, p, n), 16, m, om);
    unstage(0, avg, n);
  }
}
