import { describe, expect, it } from 'vitest';
import { lrFindSpec } from './lr-find-spec.js';
import { LR_FIND_FORMAT, type LrFindResult } from './runs.js';

const result: LrFindResult = {
  format: LR_FIND_FORMAT,
  problem: 'mnist_logreg',
  optimizer: 'rmsprop',
  options: {},
  seed: 1,
  minLr: 1e-4,
  maxLr: 1,
  lrs: [1e-4, 1e-3, 1e-2, 1e-1, 1],
  losses: [2.2, 1.6, 1.1, 9, NaN],
  smoothed: [2, 1.7, 1.3, 3, 50],
  suggestion: 1e-3,
  method: 'steepest',
};

interface Layer {
  mark: { type: string };
  data?: { values: { lr: number; loss?: number; series?: string; label?: string }[] };
  layer?: Layer[];
  encoding: Record<string, { field?: string; title?: string; scale?: { type?: string; domain?: number[] } }>;
}
const layers = (r: LrFindResult): Layer[] => (lrFindSpec(r) as unknown as { layer: Layer[] }).layer;

describe('lrFindSpec', () => {
  it('draws the loss and its smoothed curve against the learning rate on a log axis, leaving out NaN', () => {
    const [curves] = layers(result);
    expect(curves!.encoding.x).toMatchObject({
      field: 'lr',
      title: 'learning rate (log scale)',
      scale: { type: 'log' },
    });
    const values = curves!.data!.values;
    expect(values.filter((v) => v.series === 'loss').map((v) => v.loss)).toEqual([2.2, 1.6, 1.1, 9]);
    expect(values.filter((v) => v.series === 'smoothed loss').map((v) => v.loss)).toEqual([2, 1.7, 1.3, 3, 50]);
  });

  it('cuts the loss axis at twice the starting smoothed loss once the loss blows up', () => {
    expect(layers(result)[0]!.encoding.y!.scale!.domain).toEqual([1.1, 4]);
    const calm = { ...result, losses: [2, 1.5, 1, 1.2, 1.4], smoothed: [2, 1.6, 1.2, 1.2, 1.3] };
    expect(layers(calm)[0]!.encoding.y!.scale!.domain).toBeUndefined();
  });

  it('marks the suggested rate with a rule and a label', () => {
    const marks = layers(result)[1]!;
    expect(marks.data!.values).toEqual([{ lr: 1e-3, label: 'suggested lr 1e-3' }]);
    expect(marks.layer!.map((l) => l.mark.type)).toEqual(['rule', 'text']);
  });

  it('marks nothing without a suggestion', () => {
    expect(layers({ ...result, suggestion: NaN })).toHaveLength(1);
  });
});
