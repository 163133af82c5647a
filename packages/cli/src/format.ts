// How numbers are shown on the terminal.

/** A loss or metric: four significant digits (NaN and infinities as they are). */
export const value = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));

/** A learning rate: `1e-3`, `2.5e-4`, `0.05`. */
export function rate(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const short = Number(x.toPrecision(3));
  return Math.abs(short) < 0.01 ? short.toExponential() : String(short);
}

/** A duration: `4s`, `2m05s`, `1h02m`. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return seconds < 10 ? `${Number(seconds.toFixed(1))}s` : `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/** A metric's short name on the terminal, as Keras shows it. */
export const metricLabel = (name: string): string => (name === 'accuracy' ? 'acc' : name);
