import { accuracy, testKey } from 'rmsprop/train';

/** The epoch value runs are compared on, and which way is better. */
export interface ComparedMetric {
  /** An epoch line's key: `testAccuracy`, or `testLoss`. */
  key: string;
  higherIsBetter: boolean;
}

/**
 * What runs are compared on, by the summary (final value, best, speed to the target) and by the choice of
 * a tuned learning rate alike: the test accuracy when the problem's metric is accuracy, else the test
 * loss. run.json names the metric but not which way it is better, which only accuracy's definition tells.
 */
export function comparedMetric(metric: string | null): ComparedMetric {
  return metric === accuracy.name
    ? { key: testKey(metric), higherIsBetter: accuracy.mode === 'max' }
    : { key: 'testLoss', higherIsBetter: false };
}
