import { contours } from 'd3-contour';
import { geoIdentity, geoPath, geoTransform } from 'd3-geo';
import { scaleLinear, scaleSequential, scaleSequentialLog } from 'd3-scale';
import { interpolateYlGnBu } from 'd3-scale-chromatic';
import { pointer, select } from 'd3-selection';
import { formatNumber } from './optimizer-kinds.js';
import type { Point, Surface } from './surfaces/surface.js';

/** One optimizer's path as the map draws it. */
export interface MapPath {
  readonly colour: string;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Steps in the path (points after the start). */
  readonly taken: number;
}

/** The map's side in SVG units; the page scales it to the column's width. */
const SIDE = 600;
/** Samples per side of the grid the contours are traced on. */
const GRID = 200;
const LEVELS = 24;

/** Valleys dark blue, hills pale yellow, light enough for coloured paths to stand out. */
const shade = (t: number): string => interpolateYlGnBu(0.85 - 0.8 * t);

/**
 * The contour map of a surface with the optimizers' paths on it: d3-contour traces the level sets of
 * the function sampled on a grid, d3-geo draws them and the paths, and a click picks the start.
 */
export class PathMap {
  readonly element: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly readout: HTMLElement;
  private surface: Surface | null = null;
  private paths: readonly MapPath[] = [];
  private x = scaleLinear().range([0, SIDE]);
  private y = scaleLinear().range([SIDE, 0]);
  /** Draws a GeoJSON line given in the surface's coordinates, in pixels. */
  private line = geoPath();

  constructor(container: HTMLElement, pick: (start: Point) => void) {
    this.element = document.createElement('div');
    this.element.className = 'path-map';
    this.svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.svg.setAttribute('viewBox', `0 0 ${SIDE} ${SIDE}`);
    this.svg.setAttribute('role', 'img');
    this.readout = document.createElement('div');
    this.readout.className = 'readout';
    this.element.append(this.svg, this.readout);
    container.append(this.element);
    const svg = select(this.svg);
    for (const layer of ['contours', 'landmarks', 'paths', 'start']) svg.append('g').attr('class', layer);
    svg.on('click', (event: MouseEvent) => {
      const [px, py] = pointer(event, this.svg);
      pick([Number(formatNumber(this.x.invert(px))), Number(formatNumber(this.y.invert(py)))]);
    });
    svg.on('pointermove', (event: PointerEvent) => {
      if (!this.surface) return;
      const [px, py] = pointer(event, this.svg);
      const [x, y] = [this.x.invert(px), this.y.invert(py)];
      this.readout.textContent = `x ${x.toFixed(3)}, y ${y.toFixed(3)}: f ${formatNumber(this.surface.value(x, y))}`;
    });
    svg.on('pointerleave', () => (this.readout.textContent = 'click to start the paths here'));
    this.readout.textContent = 'click to start the paths here';
  }

  /** Draws the surface (its contours only when it changed), the start and the paths; `reveal` draws them up to a step. */
  show(surface: Surface, start: Point, paths: readonly MapPath[]): void {
    if (surface !== this.surface) this.drawSurface(surface);
    this.paths = paths;
    const svg = select(this.svg);
    svg
      .select('g.start')
      .selectAll('circle')
      .data([start])
      .join('circle')
      .attr('cx', (d) => this.x(d[0]))
      .attr('cy', (d) => this.y(d[1]))
      .attr('r', 7);
    const groups = svg
      .select('g.paths')
      .selectAll<SVGGElement, MapPath>('g.path')
      .data(paths)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'path');
        g.append('path').attr('class', 'casing');
        g.append('path').attr('class', 'trail');
        g.append('circle').attr('class', 'head').attr('r', 5.5);
        return g;
      });
    groups.select('path.trail').attr('stroke', (d) => d.colour);
    groups.select('circle.head').attr('fill', (d) => d.colour);
  }

  /** Draws each path up to `step` (the animation's frame), its head where it stands then. */
  reveal(step: number): void {
    const line = this.line;
    const upTo = (d: MapPath): number => Math.min(Math.floor(step), d.taken);
    const groups = select(this.svg).select('g.paths').selectAll<SVGGElement, MapPath>('g.path');
    groups.selectAll<SVGPathElement, MapPath>('path').attr('d', (d) => {
      const n = upTo(d) + 1;
      const coordinates = Array.from({ length: n }, (_, i) => [d.x[i]!, d.y[i]!]);
      return n > 1 ? line({ type: 'LineString', coordinates }) : null;
    });
    groups
      .select('circle.head')
      .attr('cx', (d) => this.x(d.x[upTo(d)]!))
      .attr('cy', (d) => this.y(d.y[upTo(d)]!));
  }

  private drawSurface(surface: Surface): void {
    this.surface = surface;
    this.x = scaleLinear().domain(surface.x).range([0, SIDE]);
    this.y = scaleLinear().domain(surface.y).range([SIDE, 0]);
    const [sx, sy] = [this.x, this.y];
    this.line = geoPath(
      geoTransform({
        point(px: number, py: number) {
          this.stream.point(sx(px), sy(py));
        },
      }),
    );
    // Sample at cell centres, row 0 at the top, as d3-contour and the SVG both count rows downwards.
    const values = new Float64Array(GRID * GRID);
    for (let j = 0; j < GRID; j++) {
      const y = this.y.invert(((j + 0.5) * SIDE) / GRID);
      for (let i = 0; i < GRID; i++) values[j * GRID + i] = surface.value(this.x.invert(((i + 0.5) * SIDE) / GRID), y);
    }
    const sorted = Float64Array.from(values).sort();
    const [lo, hi] = [sorted[0]!, sorted[sorted.length - 1]!];
    let thresholds: number[];
    let colour: (v: number) => string;
    if (surface.lowest === null) {
      // Unbounded below (the saddle): even levels of the function itself.
      thresholds = Array.from({ length: LEVELS }, (_, k) => lo + ((hi - lo) * k) / LEVELS);
      const scale = scaleSequential(shade).domain([lo, hi]);
      colour = (v) => scale(v);
    } else {
      // Levels of f − f* spaced by equal ratios, so the valley floor is as detailed as the walls.
      const gap = (v: number): number => v - surface.lowest!;
      const floor = Math.max(gap(sorted[Math.floor(sorted.length * 0.002)]!), gap(hi) * 1e-7);
      for (let k = 0; k < values.length; k++) values[k] = Math.max(gap(values[k]!), floor);
      const ratio = (gap(hi) / floor) ** (1 / LEVELS);
      thresholds = Array.from({ length: LEVELS }, (_, k) => floor * ratio ** k);
      const scale = scaleSequentialLog(shade).domain([floor, gap(hi)]);
      colour = (v) => scale(v);
    }
    const toPixels = geoPath(geoIdentity().scale(SIDE / GRID));
    const svg = select(this.svg);
    svg
      .select('g.contours')
      .selectAll('path')
      .data(contours().size([GRID, GRID]).thresholds(thresholds)(Array.from(values)))
      .join('path')
      .attr('d', toPixels)
      .attr('fill', (d) => colour(d.value));
    const marks = svg
      .select('g.landmarks')
      .selectAll('g.landmark')
      .data(surface.landmarks)
      .join((enter) => {
        const g = enter.append('g');
        g.append('title');
        g.append('circle').attr('r', 8);
        g.append('path');
        return g;
      })
      .attr('class', (d) => `landmark ${d.kind}`)
      .attr('transform', (d) => `translate(${this.x(d.at[0])},${this.y(d.at[1])})`);
    marks.select('title').text((d) => `${d.kind} at (${d.at.map(formatNumber).join(', ')})`);
    // A cross for a minimum, a diamond for a saddle point.
    marks.select('path').attr('d', (d) => (d.kind === 'minimum' ? 'M-5,-5L5,5M-5,5L5,-5' : 'M0,-6L6,0L0,6L-6,0Z'));
  }
}
