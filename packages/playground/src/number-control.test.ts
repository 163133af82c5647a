import { describe, expect, it } from 'vitest';
import { positionOf, valueAt, type NumberControlSpec } from './number-control.js';

const lr: NumberControlSpec = { key: 'lr', label: 'lr', scale: 'log', min: 1e-5, max: 10 };
const decay: NumberControlSpec = { key: 'decay', label: 'decay', scale: 'linear', min: 0, max: 0.999 };

describe('slider scales', () => {
  it('span the range end to end', () => {
    expect(valueAt(lr, 0)).toBe(1e-5);
    expect(valueAt(lr, 1000)).toBe(10);
    expect(valueAt(decay, 0)).toBe(0);
    expect(valueAt(decay, 1000)).toBe(0.999);
  });

  it('move a log slider by equal ratios and give round values', () => {
    expect(valueAt(lr, 500)).toBe(0.01);
    expect(valueAt(lr, 250)).toBe(0.000316);
    expect(valueAt(lr, 501) / valueAt(lr, 500)).toBeCloseTo(10 ** (6 / 1000), 2);
  });

  it('place a value at the position that gives it back', () => {
    for (const spec of [lr, decay]) {
      for (let p = 0; p <= 1000; p += 37) expect(positionOf(spec, valueAt(spec, p))).toBe(p);
    }
  });

  it('pin values outside the range to the nearest end', () => {
    expect(positionOf(lr, 100)).toBe(1000);
    expect(positionOf(lr, 0)).toBe(0);
    expect(positionOf(decay, -1)).toBe(0);
  });

  it('give whole numbers on an integer slider', () => {
    const steps: NumberControlSpec = { key: 'steps', label: 'steps', scale: 'log', min: 10, max: 5000, integer: true };
    expect(Number.isInteger(valueAt(steps, 333))).toBe(true);
  });
});
