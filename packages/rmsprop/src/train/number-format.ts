// How numbers are shown to people: the progress lines of fit, and the command's lines and reports.

/**
 * A loss or metric: four significant digits, in fixed notation for ordinary magnitudes and with an
 * exponent beyond them (`501500000000000` and `1.609e+31` side by side read as `5.015e+14`, `1.609e+31`);
 * NaN and infinities as they are.
 */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const short = Number(x.toPrecision(4));
  const size = Math.abs(short);
  return size !== 0 && (size >= 1e6 || size < 1e-4) ? short.toExponential() : String(short);
}

/** A learning rate: `1e-3`, `2.5e-4`, `0.05`, `1e+6`: fixed for ordinary magnitudes, an exponent beyond. */
export function formatRate(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const short = Number(x.toPrecision(3));
  return Math.abs(short) < 0.01 || Math.abs(short) >= 1e6 ? short.toExponential() : String(short);
}

/** A duration: `4.2s`, `2m05s`, `1h02m`; `?` when unknown (not finite). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return seconds < 10 ? `${Number(seconds.toFixed(1))}s` : `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/** How `progress` writes each kind of number; replace any of them with `progress({ format })`. */
export interface NumberFormat {
  /** Losses, metrics and steps per second. */
  value(x: number): string;
  /** Learning rates. */
  rate(x: number): string;
  /** Durations in seconds. */
  duration(seconds: number): string;
}

/** The formats above. */
export const numberFormat: Readonly<NumberFormat> = {
  value: formatValue,
  rate: formatRate,
  duration: formatDuration,
};
