import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One curve: a value per x (null where it has none). */
export interface Curve {
  readonly label: string;
  readonly colour: string;
  readonly values: ArrayLike<number | null>;
  /** Dashed, to tell a second curve of the same colour apart (the y coordinate beside the x one). */
  readonly dashed?: boolean;
}

/** The axes' labels (the page puts the title above the chart). */
export interface CurveChartOptions {
  readonly xLabel: string;
  readonly yLabel: string;
}

const HEIGHT = 240;
/** A log axis spans at most this many decades below its top: past float32's resolution a curve leaves the chart. */
const DECADES = 15;

/**
 * Tick labels that stay readable over many decades: 0.01 to 10 000 as decimals, the rest as 1e-6
 * (uPlot passes null for the ticks of a log axis it leaves unlabelled).
 */
const tick = (v: number | null): string =>
  v === null
    ? ''
    : v === 0 || (Math.abs(v) >= 0.01 && Math.abs(v) < 1e4)
      ? String(Number(v.toPrecision(3)))
      : v.toExponential(0);

/** Whole decades around the data, cut at DECADES below the largest value (uPlot would tick every decade to 1e-79). */
function logRange(_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min === null || max === null) return [0.1, 1];
  return uPlot.rangeLog(Math.max(min, max * 10 ** -DECADES), max, 10, true);
}

/**
 * A uPlot line chart that keeps its curves' identity: new values redraw it, a new set of curves
 * rebuilds it. An optional vertical marker follows the step the map shows.
 */
export class CurveChart {
  readonly element: HTMLElement;
  private plot: uPlot | null = null;
  private signature = '';
  private marker: number | null = null;

  constructor(
    container: HTMLElement,
    private readonly options: CurveChartOptions,
  ) {
    this.element = document.createElement('figure');
    this.element.className = 'curve-chart';
    container.append(this.element);
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT })).observe(this.element);
  }

  /**
   * Shows `curves` against `x` on a linear or a log y axis (which leaves out values ≤ 0), rebuilding the
   * chart when the curves or the axis changed.
   */
  update(x: ArrayLike<number>, curves: readonly Curve[], log: boolean): void {
    const signature = JSON.stringify([log, curves.map((c) => [c.label, c.colour, !!c.dashed])]);
    const clean = (v: number | null): number | null =>
      v === null || !Number.isFinite(v) || (log && v <= 0) ? null : v;
    const data: uPlot.AlignedData = [Array.from(x), ...curves.map((c) => Array.from(c.values, clean))];
    if (signature !== this.signature || !this.plot) {
      this.plot?.destroy();
      this.signature = signature;
      this.plot = new uPlot(this.config(curves, log), data, this.element);
    } else {
      this.plot.setData(data);
    }
  }

  /** Draws a vertical line at `x` (null: none). */
  mark(x: number | null): void {
    if (x === this.marker) return;
    this.marker = x;
    this.plot?.redraw(false, false);
  }

  private width(): number {
    return Math.max(this.element.clientWidth, 200);
  }

  private config(curves: readonly Curve[], log: boolean): uPlot.Options {
    const { xLabel, yLabel } = this.options;
    return {
      width: this.width(),
      height: HEIGHT,
      scales: { x: { time: false }, y: log ? { distr: 3, range: logRange } : {} },
      axes: [{ label: xLabel }, { label: yLabel, size: 60, values: (_u, splits) => splits.map(tick) }],
      series: [
        { label: xLabel },
        ...curves.map((c) => ({
          label: c.label,
          stroke: c.colour,
          width: 2,
          spanGaps: true,
          points: { show: false },
          ...(c.dashed ? { dash: [6, 4] } : {}),
        })),
      ],
      hooks: { draw: [(u: uPlot) => this.drawMarker(u)] },
    };
  }

  private drawMarker(u: uPlot): void {
    if (this.marker === null) return;
    const left = u.valToPos(this.marker, 'x', true);
    const { top, height } = u.bbox;
    u.ctx.save();
    u.ctx.strokeStyle = '#0008';
    u.ctx.setLineDash([3, 3]);
    u.ctx.beginPath();
    u.ctx.moveTo(left, top);
    u.ctx.lineTo(left, top + height);
    u.ctx.stroke();
    u.ctx.restore();
  }
}
