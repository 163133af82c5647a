import type { EpochLog } from './callback.js';

/** The monitored value's name: as given, else `testLoss` when the run has a held-out set, else `loss`. */
export const monitorOf = (given: string | undefined, log: EpochLog): string =>
  given ?? ('testLoss' in log ? 'testLoss' : 'loss');

/** Which way is better: as given, else up for names that speak of accuracy, down for anything else. */
export function modeOf(mode: 'min' | 'max' | 'auto', monitor: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') throw new RangeError(`mode must be 'min', 'max' or 'auto', got ${JSON.stringify(mode)}`);
  return /accuracy/i.test(monitor) ? 'max' : 'min';
}

/** The monitored value of an epoch, or an error that lists what the log has. */
export function valueOf(owner: string, log: EpochLog, monitor: string): number {
  const v = log[monitor];
  if (typeof v !== 'number') {
    throw new RangeError(
      `${owner}: the epoch log has no '${monitor}' (it has ${Object.keys(log).join(', ')})` +
        (monitor.startsWith('test') ? '; pass a test set to fit, or monitor a training value' : ''),
    );
  }
  return v;
}

/** JSON cannot hold ±Infinity: a best value not yet set is stored as null. */
export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
