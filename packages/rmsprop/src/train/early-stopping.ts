import type { Callback } from './callback.js';
import { finiteOrNull, modeOf, monitorOf, valueOf } from './monitor.js';

export interface EarlyStoppingOptions {
  /** The epoch value to watch; default `testLoss` with a held-out set, else `loss`. */
  monitor?: string;
  /** Epochs without improvement tolerated before stopping; default 0. */
  patience?: number;
  /** The least change that counts as an improvement; default 0. */
  minDelta?: number;
  /** 'auto' (default): 'max' for accuracies, 'min' otherwise. */
  mode?: 'min' | 'max' | 'auto';
  /** Put back the parameters of the best epoch when the run ends. Default false. */
  restoreBest?: boolean;
  name?: string;
}

/**
 * Stops when the monitored value has not improved by more than `minDelta` for `patience` epochs in a
 * row, as Keras's EarlyStopping. Its state (best value, epochs waited) goes into checkpoints; the best
 * parameters kept by `restoreBest` do not.
 */
export function earlyStopping(o: EarlyStoppingOptions = {}): Callback {
  const { patience = 0, minDelta = 0, restoreBest = false, name = 'earlyStopping' } = o;
  if (!Number.isInteger(patience) || patience < 0)
    throw new RangeError(`earlyStopping: patience must be an integer ≥ 0, got ${patience}`);
  if (!(Number.isFinite(minDelta) && minDelta >= 0))
    throw new RangeError(`earlyStopping: minDelta must be a finite number ≥ 0, got ${minDelta}`);
  modeOf(o.mode ?? 'auto', o.monitor ?? 'loss');
  let best = NaN;
  let bestEpoch = 0;
  let wait = 0;
  let loaded = false;
  let bestWeights: Record<string, Float32Array> | null = null;
  return {
    name,
    onTrainBegin() {
      if (!loaded) [best, bestEpoch, wait] = [NaN, 0, 0];
      loaded = false;
      bestWeights = null;
    },
    onEpochEnd(ctx, log) {
      const monitor = monitorOf(o.monitor, log);
      const mode = modeOf(o.mode ?? 'auto', monitor);
      const v = valueOf(name, log, monitor);
      if (Number.isNaN(best)) best = mode === 'min' ? Infinity : -Infinity;
      const improved = mode === 'min' ? v < best - minDelta : v > best + minDelta;
      if (improved) {
        [best, bestEpoch, wait] = [v, log.epoch, 0];
        if (restoreBest) bestWeights = ctx.model.stateDict();
        return;
      }
      wait++;
      if (wait >= Math.max(patience, 1)) {
        ctx.stop(
          name,
          `${name}: ${monitor} has not improved by more than ${minDelta} for ${wait} epoch${wait > 1 ? 's' : ''} ` +
            `(best ${best} at epoch ${bestEpoch}); stopped after epoch ${log.epoch}`,
        );
      }
    },
    onTrainEnd(ctx) {
      if (restoreBest && bestWeights) ctx.model.loadStateDict(bestWeights);
      bestWeights = null;
    },
    stateDict: () => ({ best: finiteOrNull(best), bestEpoch, wait }),
    loadStateDict(s) {
      const state = s as { best: number | null; bestEpoch: number; wait: number };
      best = state.best ?? NaN;
      [bestEpoch, wait, loaded] = [state.bestEpoch, state.wait, true];
    },
  };
}
