import { UsageError } from './cli-error.js';

// Readers of flag values: each names the flag, the value and what is allowed when the value is bad.

const bad = (flag: string, value: string, allowed: string): UsageError =>
  new UsageError(`${flag} must be ${allowed}, got ${JSON.stringify(value)}`);

/** An integer ≥ `min`. */
export function integerFlag(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min) throw bad(flag, value, `an integer ≥ ${min}`);
  return n;
}

/** A finite number > 0. */
export function positiveFlag(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw bad(flag, value, 'a number > 0');
  return n;
}

/** A finite number. */
export function numberFlag(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw bad(flag, value, 'a number');
  return n;
}

/** `MIN:MAX`, two numbers with 0 < MIN < MAX (a range of learning rates). */
export function rangeFlag(flag: string, value: string): [number, number] {
  const parts = value.split(':').map(Number);
  const [lo, hi] = parts;
  if (parts.length !== 2 || !(lo! > 0 && hi! > lo! && Number.isFinite(hi)))
    throw bad(flag, value, 'MIN:MAX with 0 < MIN < MAX, e.g. 1e-4:1e-1');
  return [lo!, hi!];
}

/** `N` (the seeds 0 … N−1) or a comma-separated list of integer seeds (`0,7,42`). */
export function seedsFlag(flag: string, value: string): number[] {
  const allowed = 'a count N ≥ 1 (seeds 0 … N−1) or a comma-separated list of integers, e.g. 0,7,42';
  if (!value.includes(',')) {
    const n = Number(value);
    if (value.trim() === '' || !Number.isSafeInteger(n) || n < 1) throw bad(flag, value, allowed);
    return Array.from({ length: n }, (_, i) => i);
  }
  const seeds = value
    .split(',')
    .filter((s) => s.trim() !== '')
    .map(Number);
  if (seeds.length === 0 || !seeds.every((s) => Number.isSafeInteger(s) && s >= 0)) throw bad(flag, value, allowed);
  if (new Set(seeds).size !== seeds.length) throw bad(flag, value, `${allowed}, each seed once`);
  return seeds;
}

/** One of `allowed`. */
export function choiceFlag<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw bad(flag, value, `one of ${allowed.join(', ')}`);
  return value as T;
}
