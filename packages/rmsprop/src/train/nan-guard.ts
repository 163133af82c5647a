import type { Callback } from './callback.js';

/** A loss that became NaN or infinite, thrown by `nanGuard({ throws: true })`. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
}

/**
 * Stops the run at the first NaN or infinite loss, before that step's update (so the parameters are
 * those of the last good step), with a message naming the step and the epoch; `history.stopped` holds
 * it. With `throws`, fit then rejects with a NonFiniteLossError carrying the same message.
 */
export function nanGuard(o: { throws?: boolean; name?: string } = {}): Callback {
  const { throws = false, name = 'nanGuard' } = o;
  return {
    name,
    onLoss(ctx, loss) {
      if (Number.isFinite(loss)) return;
      const of = ctx.stepsPerEpoch === undefined ? '' : ` of ${ctx.stepsPerEpoch}`;
      ctx.stop(
        name,
        `${name}: the loss is ${loss} at step ${ctx.step} (epoch ${ctx.epoch}, batch ${ctx.batch}${of}); ` +
          `training stopped before this step's update, the parameters are those after step ${ctx.step - 1}`,
      );
    },
    onTrainEnd(ctx, _history, error) {
      if (throws && error === null && ctx.stopped?.by === name) throw new NonFiniteLossError(ctx.stopped.message);
    },
  };
}
