import { describe, expect, it } from 'vitest';
import { curveSpec, type CurveSpecOptions } from './curve-spec.js';

const options: CurveSpecOptions = {
  title: 'Test loss',
  subtitle: ['line: mean over seeds; band: min–max over seeds'],
  xTitle: 'epoch',
  xIntegers: true,
  yTitle: 'test loss',
  yScale: 'linear',
  optimizers: ['adam', 'rmsprop'],
  curves: {
    points: [
      { optimizer: 'rmsprop', x: 1, mean: 2, min: 1, max: 3, n: 2 },
      { optimizer: 'rmsprop', x: 2, mean: 1, min: 0.5, max: 1.5, n: 2 },
    ],
    diverged: [],
  },
};

// The spec as plain data: the parts the tests look at.
interface Layer {
  mark: { type: string; shape?: string };
  data?: { values: unknown[] };
  encoding: Record<string, { field?: string; title?: string; scale?: Record<string, unknown>; legend?: unknown }>;
}
const layers = (o: CurveSpecOptions): Layer[] => (curveSpec(o) as unknown as { layer: Layer[] }).layer;

describe('curveSpec', () => {
  it('draws a band from min to max under a line of the mean', () => {
    const [band, line, ...rest] = layers(options);
    expect(rest).toEqual([]);
    expect(band!.mark.type).toBe('area');
    expect([band!.encoding.y!.field, band!.encoding.y2!.field]).toEqual(['min', 'max']);
    expect(line!.mark.type).toBe('line');
    expect(line!.encoding.y!.field).toBe('mean');
    expect((curveSpec(options) as { data: { values: unknown[] } }).data.values).toBe(options.curves.points);
  });

  it('gives every optimizer of the report its colour, with a legend, even one without points here', () => {
    const color = layers(options)[1]!.encoding.color!;
    expect(color.field).toBe('optimizer');
    expect(color.scale).toMatchObject({ domain: ['adam', 'rmsprop'] });
    expect(color.legend).toMatchObject({ title: 'optimizer' });
  });

  it('titles the axes and scales y as asked', () => {
    const line = layers(options)[1]!.encoding;
    expect([line.x!.title, line.y!.title]).toEqual(['epoch', 'test loss']);
    expect(line.y!.scale).toEqual({ zero: false });
    expect(layers({ ...options, yScale: 'log' })[1]!.encoding.y!.scale).toEqual({ type: 'log' });
  });

  it('marks the ends of diverged runs with crosses', () => {
    const diverged = [{ optimizer: 'adam', x: 2, y: 3 }];
    const marks = layers({ ...options, curves: { ...options.curves, diverged } })[2]!;
    expect(marks.mark).toMatchObject({ type: 'point', shape: 'cross' });
    expect(marks.data!.values).toBe(diverged);
  });
});
