import { hp, stage, unstage, wholeBytes } from './tail';

// src/kernels/optimizer-steps.ts declares this list too; a test compares them.
const MOMENTUM = 0, ONE_MINUS_MOMENTUM = 1;

@inline function loop(avg: usize, p: usize, bytes: usize): void {
  const m = hp(MOMENTUM), om = hp(ONE_MINUS_MOMENTUM);
  for (let i: usize = 0; i < bytes; i += 16) {
    v128.store(avg + i, f32x4.add(f32x4.mul(v128.load(avg + i), m), f32x4.mul(v128.load(p + i), om)));
  }
}

/** Exponential moving average of weights: avg ← m·avg + (1−m)·p. */
export function ema(avg: usize, p: usize, n: usize): void {
  loop(avg, p, wholeBytes(n));
  if (n & 3) {
    loop(stage(0, avg, n), stage(1, p, n), 16);
    unstage(0, avg, n);
  }
}
