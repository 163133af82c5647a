import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate, formatValue } from './number-format.js';

describe('numbers shown to people', () => {
  it('values: four digits, fixed for ordinary magnitudes, an exponent beyond, one way everywhere', () => {
    expect([0.123456, 2.5, 1234.56, 0, -0.5].map(formatValue)).toEqual(['0.1235', '2.5', '1235', '0', '-0.5']);
    expect([501500000000000, 1.609e31, 3.2e-7, -2e9].map(formatValue)).toEqual([
      '5.015e+14',
      '1.609e+31',
      '3.2e-7',
      '-2e+9',
    ]);
    expect([NaN, Infinity].map(formatValue)).toEqual(['NaN', 'Infinity']);
  });

  it('learning rates and durations', () => {
    expect([1e-3, 2.5e-4, 0.05, 10, 1e20].map(formatRate)).toEqual(['1e-3', '2.5e-4', '0.05', '10', '1e+20']);
    expect([4.2, 125, 3720, NaN].map(formatDuration)).toEqual(['4.2s', '2m05s', '1h02m', '?']);
  });
});
