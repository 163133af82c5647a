import { configure, kindById, type OptimizerConfig } from './optimizer-kinds.js';
import { defaultSurfaceLineup } from './presets.js';
import type { Point, Surface } from './surfaces/surface.js';
import { surfaceById, surfaces } from './surfaces/surfaces.js';

/** What a shared link reproduces: the surface, where the paths start, how they run, and the optimizers. */
export interface PlaygroundState {
  readonly surface: Surface;
  readonly start: Point;
  readonly steps: number;
  /** σ of the gradient noise; 0 for exact gradients. */
  readonly noise: number;
  readonly seed: number;
  readonly optimizers: readonly OptimizerConfig[];
}

export const STEPS = { min: 10, max: 5000, default: 1000 } as const;

export function defaultState(surface: Surface = surfaces[0]!): PlaygroundState {
  return { surface, start: surface.start, steps: STEPS.default, noise: 0, seed: 0, optimizers: defaultSurfaceLineup };
}

/** Shortest exact decimal, with `1e-8` rather than `1e+21`'s plus sign, which a query reads as a space. */
const numberText = (x: number): string => String(x).replace('e+', 'e');

/** `rmsprop:lr=0.005,momentum=0.9,centered=1`: the kind, then the options that differ from the defaults. */
function formatOptimizer({ kind, options }: OptimizerConfig): string {
  const changed = kind.settings
    .filter((s) => options[s.key] !== kind.defaults[s.key])
    .map((s) => {
      const v = options[s.key]!;
      return `${s.key}=${typeof v === 'boolean' ? Number(v) : numberText(v)}`;
    });
  return changed.length > 0 ? `${kind.id}:${changed.join(',')}` : kind.id;
}

/** The optimizer of `formatOptimizer`'s text; unknown kinds are dropped, unknown or bad options ignored. */
function parseOptimizer(text: string): OptimizerConfig | null {
  const [id, list = ''] = text.split(':', 2);
  const kind = kindById(id!);
  if (!kind) return null;
  const options: Record<string, number | boolean> = {};
  for (const pair of list.split(',')) {
    const [key, raw] = pair.split('=', 2);
    const setting = kind.settings.find((s) => s.key === key);
    if (!setting || raw === undefined) continue;
    if (setting.type === 'switch') {
      if (raw === '0' || raw === '1') options[setting.key] = raw === '1';
    } else {
      const v = Number(raw);
      if (raw !== '' && Number.isFinite(v)) options[setting.key] = v;
    }
  }
  return configure(kind, options);
}

/** The query string of a state (without '?'), leaving out what equals the defaults. */
export function formatState(s: PlaygroundState): string {
  const parts = [`surface=${s.surface.id}`];
  if (s.start[0] !== s.surface.start[0] || s.start[1] !== s.surface.start[1])
    parts.push(`start=${s.start.map(numberText).join(',')}`);
  if (s.steps !== STEPS.default) parts.push(`steps=${s.steps}`);
  if (s.noise !== 0) parts.push(`noise=${numberText(s.noise)}`);
  if (s.seed !== 0) parts.push(`seed=${s.seed}`);
  for (const o of s.optimizers) parts.push(`opt=${formatOptimizer(o)}`);
  return parts.join('&');
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);

/** The state a query string describes; what is missing or malformed takes its default. */
export function parseState(query: string): PlaygroundState {
  const q = new URLSearchParams(query);
  const base = defaultState(surfaceById(q.get('surface') ?? '') ?? surfaces[0]);
  const number = (key: string): number | null => {
    const raw = q.get(key);
    const v = raw === null || raw === '' ? NaN : Number(raw);
    return Number.isFinite(v) ? v : null;
  };
  const start = (q.get('start') ?? '').split(',').map(Number);
  const optimizers = q
    .getAll('opt')
    .map(parseOptimizer)
    .filter((o): o is OptimizerConfig => o !== null);
  const steps = number('steps');
  const seed = number('seed');
  return {
    ...base,
    start: start.length === 2 && start.every(Number.isFinite) ? [start[0]!, start[1]!] : base.start,
    steps: steps === null ? base.steps : clamp(Math.round(steps), STEPS.min, STEPS.max),
    noise: Math.max(number('noise') ?? 0, 0),
    seed: seed !== null && Number.isSafeInteger(seed) ? seed : 0,
    // A link that names no optimizer (or none the page knows) gets the default line-up.
    optimizers: optimizers.length > 0 ? optimizers : base.optimizers,
  };
}
