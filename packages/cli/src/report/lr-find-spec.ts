import type { TopLevelSpec } from 'vega-lite';
import { formatRate } from 'rmsprop/train';
import type { LrFindResult } from './runs.js';

/**
 * A Vega-Lite chart of a learning-rate range test: the loss and its smoothed curve against the learning
 * rate on a log axis, with the suggested rate marked.
 */
export function lrFindSpec(r: LrFindResult): TopLevelSpec {
  const rows = r.lrs.flatMap((lr, i) =>
    [
      { lr, loss: r.losses[i]!, series: 'loss' },
      { lr, loss: r.smoothed[i]!, series: 'smoothed loss' },
    ].filter((p) => lr > 0 && Number.isFinite(p.loss)),
  );
  const losses = rows.map((p) => p.loss);
  const start = r.smoothed.find(Number.isFinite);
  // The test runs the loss up until it explodes; past twice the starting loss the curve says nothing
  // more, and letting the axis follow it would flatten the part that matters.
  const top = Math.max(...losses);
  const domain = start !== undefined && start > 0 && top > 2 * start ? [Math.min(...losses), 2 * start] : undefined;
  const x = {
    field: 'lr',
    type: 'quantitative' as const,
    title: 'learning rate (log scale)',
    scale: { type: 'log' as const },
    // A tick and a grid line per decade, not a log axis's nine minor ones.
    axis: { format: '.0e', values: decades(r.minLr, r.maxLr) },
  };
  const suggestion = Number.isFinite(r.suggestion)
    ? [
        {
          data: { values: [{ lr: r.suggestion, label: `suggested lr ${formatRate(r.suggestion)}` }] },
          layer: [
            { mark: { type: 'rule' as const, color: '#e45756', strokeDash: [4, 4], strokeWidth: 2 }, encoding: { x } },
            {
              mark: { type: 'text' as const, color: '#e45756', align: 'left' as const, dx: 4, dy: 8, fontSize: 11 },
              encoding: { x, y: { value: 0 }, text: { field: 'label' } },
            },
          ],
        },
      ]
    : [];
  return {
    title: {
      text: `Learning-rate range test: ${r.problem}, ${r.optimizer}`,
      subtitle: [
        `learning rate from ${formatRate(r.minLr)} to ${formatRate(r.maxLr)}, seed ${r.seed}`,
        Number.isFinite(r.suggestion)
          ? `suggestion ${formatRate(r.suggestion)} by ${r.method}`
          : `no suggestion (${r.method})`,
      ],
      anchor: 'start',
    },
    width: 560,
    height: 320,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', clip: true },
        encoding: {
          x,
          y: {
            field: 'loss',
            type: 'quantitative',
            title: 'training loss',
            scale: domain === undefined ? { zero: false } : { zero: false, domain },
          },
          color: {
            field: 'series',
            type: 'nominal',
            scale: { domain: ['loss', 'smoothed loss'], range: ['#9ecae9', '#1f5a94'] },
            legend: { title: null, symbolType: 'stroke', symbolStrokeWidth: 2 },
          },
        },
      },
      ...suggestion,
    ],
  };
}

/** The powers of ten from `lo` to `hi`. */
function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}
