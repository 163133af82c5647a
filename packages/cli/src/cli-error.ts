/** Bad input on the command line (a flag, a value, a missing data set): exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A run that failed (or diverged under `--fail-on-divergence`): exit status 1, after its files are written. */
export class RunFailedError extends Error {
  override name = 'RunFailedError';
}

/** Ctrl-C stopped the run, after its checkpoint was written: exit status 130, as a shell reports SIGINT. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}

/** The exit status for an error that reached the top. */
export function exitStatusOf(e: unknown): number {
  if (e instanceof UsageError) return 2;
  if (e instanceof InterruptedError) return 130;
  return 1;
}
