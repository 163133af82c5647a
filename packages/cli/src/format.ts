/**
 * A time the command can only estimate, rounded as an estimate should be: `~19 s`, `~35 min`, `~2.7 h`
 * (its exact durations are rmsprop/train's `formatDuration`).
 */
export function about(seconds: number): string {
  if (seconds < 1) return 'under 1 s';
  if (seconds < 90) return `~${Math.round(seconds)} s`;
  return seconds < 90 * 60 ? `~${Math.round(seconds / 60)} min` : `~${Math.round(seconds / 360) / 10} h`;
}
