// The learning-rate range test (Smith 2017, "Cyclical learning rates", §3.3; fastai's lr_find): the rate
// grows exponentially from step to step while the loss is recorded, until the loss blows up.

/** The rate of step t of `steps`: minLr·(maxLr/minLr)^(t/(steps−1)). */
export const sweepRate =
  (minLr: number, maxLr: number, steps: number) =>
  (t: number): number =>
    minLr * (maxLr / minLr) ** (steps > 1 ? t / (steps - 1) : 0);

/**
 * fastai's smoothing, one loss at a time: an exponential moving average of the losses so far, divided
 * by 1 − βᵗ so early values are not pulled to 0. Each call takes the next loss and gives its smoothed
 * value in constant time, so a sweep of n steps smooths in O(n).
 */
export function smoother(beta = 0.98): (loss: number) => number {
  let avg = 0;
  let t = 0;
  return (loss) => {
    avg = beta * avg + (1 - beta) * loss;
    t++;
    return avg / (1 - beta ** t);
  };
}

/** The smoothed value of each loss of a list (see smoother). */
export function smooth(losses: readonly number[], beta = 0.98): number[] {
  const next = smoother(beta);
  return losses.map((loss) => next(loss));
}

/** The sweep stops once the smoothed loss exceeds this many times its best (fastai's rule). */
export const DIVERGED = 4;

export type SuggestMethod = 'steepest' | 'min10';
export const SUGGEST_METHODS: readonly SuggestMethod[] = ['steepest', 'min10'];

export const methodDescription: Record<SuggestMethod, string> = {
  steepest: 'steepest descent of the smoothed loss against log(lr)',
  min10: 'the rate of the smallest smoothed loss, divided by 10',
};

/**
 * The suggested rate. `steepest`: where the smoothed loss falls fastest against log(lr), looked for
 * before its minimum (past it the loss is blowing up); `min10`: a tenth of the rate at the minimum.
 */
export function suggest(lrs: readonly number[], smoothed: readonly number[], method: SuggestMethod): number {
  if (lrs.length === 0) throw new RangeError('suggest: no step was recorded');
  let best = 0;
  for (let i = 1; i < smoothed.length; i++) if (smoothed[i]! < smoothed[best]!) best = i;
  if (method === 'min10') return lrs[best]! / 10;
  // Too few steps before the minimum to measure a slope: the rate of the minimum itself.
  if (best < 2) return lrs[best]!;
  let steepest = 1;
  let slope = Infinity;
  for (let i = 1; i < best; i++) {
    const s = (smoothed[i + 1]! - smoothed[i - 1]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i - 1]!));
    if (s < slope) [steepest, slope] = [i, s];
  }
  return lrs[steepest]!;
}
