import type { TopLevelSpec } from 'vega-lite';
import type { SeedCurves } from './seed-curves.js';

export interface CurveSpecOptions {
  title: string;
  /** Lines under the title: what the line and the band are, how the curve was smoothed. */
  subtitle: string[];
  xTitle: string;
  /** Whole numbers on the x axis (epochs): each is also drawn as a point, so that one epoch shows. */
  xIntegers?: boolean;
  yTitle: string;
  yScale: 'linear' | 'log';
  /** A d3 format for the y axis labels (`.2~%` for accuracy). */
  yFormat?: string;
  /** Every optimizer of the report, so each has the same colour in every chart, even one it is missing from. */
  optimizers: string[];
  curves: SeedCurves;
}

/**
 * A Vega-Lite chart of curves over seeds: per optimizer a line (the mean) over a light band (min–max),
 * one colour per optimizer with a legend, and a cross where a diverged run's curve ends.
 */
export function curveSpec(o: CurveSpecOptions): TopLevelSpec {
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: o.xTitle,
    scale: { zero: false },
    axis: o.xIntegers ? { format: 'd', tickMinStep: 1 } : {},
  };
  const y = {
    type: 'quantitative' as const,
    title: o.yTitle,
    // A log scale has no zero; a linear one starting at zero would squash the curves' ends together.
    scale: o.yScale === 'log' ? { type: o.yScale } : { zero: false },
    axis: o.yFormat === undefined ? {} : { format: o.yFormat },
  };
  const color = optimizerColor(o.optimizers);
  const diverged =
    o.curves.diverged.length === 0
      ? []
      : [
          {
            data: { values: o.curves.diverged },
            // Vega's cross is a plus; turned, it is the × the subtitle promises.
            mark: { type: 'point' as const, shape: 'cross', angle: 45, size: 100, filled: true },
            encoding: { x, y: { ...y, field: 'y' }, color },
          },
        ];
  return {
    title: { text: o.title, subtitle: o.subtitle, anchor: 'start' },
    width: 560,
    height: 320,
    data: { values: o.curves.points },
    layer: [
      {
        mark: { type: 'area', opacity: 0.2 },
        encoding: { x, y: { ...y, field: 'min' }, y2: { field: 'max' }, color },
      },
      {
        mark: { type: 'line', strokeWidth: 2, ...(o.xIntegers ? { point: { filled: true, size: 30 } } : {}) },
        encoding: { x, y: { ...y, field: 'mean' }, color },
      },
      ...diverged,
    ],
  };
}

/**
 * The colour of each optimizer, the same in every chart of a report (`optimizers` is every optimizer of
 * the report, in order), with a legend of line strokes.
 */
export function optimizerColor(optimizers: string[]) {
  return {
    field: 'optimizer',
    type: 'nominal' as const,
    scale: { domain: optimizers, scheme: 'tableau10' },
    // A band layer would otherwise draw the legend's symbols as faint areas.
    legend: { title: 'optimizer', symbolType: 'stroke', symbolStrokeWidth: 2, symbolOpacity: 1, labelLimit: 360 },
  };
}
