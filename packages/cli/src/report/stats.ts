export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** NaN for no values. */
export const mean = (xs: readonly number[]): number => (xs.length === 0 ? NaN : sum(xs) / xs.length);

/** The sample standard deviation (n − 1); 0 for one value, NaN for none. */
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return xs.length === 1 ? 0 : NaN;
  const m = mean(xs);
  return Math.sqrt(sum(xs.map((x) => (x - m) ** 2)) / (xs.length - 1));
}
