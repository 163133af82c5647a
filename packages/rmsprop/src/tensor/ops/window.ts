/** Sizes of a 2-D sliding window, as PyTorch's conv2d and pooling take them. */
export type Pair = number | readonly [number, number];

export function pair(op: string, name: string, v: Pair, min: number): [number, number] {
  const [a, b] = typeof v === 'number' ? [v, v] : v;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a! < min || b! < min) {
    throw new RangeError(`${op}: ${name} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return [a!, b!];
}

/** Output length along one axis: floor (or ceil) of (n + padding − dilation·(k − 1) − 1)/stride + 1. */
export function outputLength(
  op: string,
  n: number,
  k: number,
  stride: number,
  before: number,
  after: number,
  dilation: number,
  ceil = false,
): number {
  const span = n + before + after - dilation * (k - 1) - 1;
  if (span < 0) {
    throw new RangeError(
      `${op}: the window (${k}, dilation ${dilation}) is larger than the padded input (${n} + ${before} + ${after})`,
    );
  }
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // With ceil_mode the last window must start inside the input or its left padding (PyTorch's rule).
  if (ceil && (out - 1) * stride >= n + before) out--;
  return out;
}
