import type { Callback, FitContext } from 'rmsprop/train';

/**
 * Ctrl-C while training: the first asks the run to stop at the end of the current step (after writing
 * a checkpoint); a second one quits at once. Nothing is printed here, where it would tear the live bar:
 * the command says what happened once the bar is gone.
 */
export class Interrupt {
  requested = false;
  private readonly onSignal = (): void => {
    if (this.requested) process.exit(130);
    this.requested = true;
  };

  listen(): this {
    process.on('SIGINT', this.onSignal);
    return this;
  }

  close(): void {
    process.off('SIGINT', this.onSignal);
  }
}

/** How often the training loop lets the event loop run, in ms. */
const TURN = 50;

/**
 * Stops the run at the end of the step during which Ctrl-C came, once `save` has written its
 * checkpoint (after the other callbacks, so their state is up to date).
 */
export function stopOnInterrupt(interrupt: Interrupt, save: (ctx: FitContext) => Promise<string>): Callback {
  let turn = performance.now();
  return {
    name: 'stopOnInterrupt',
    runsLast: true,
    async onStepEnd(ctx) {
      // fit's steps only await microtasks, and signals are handled in the event loop: give it a turn now and then.
      if (performance.now() - turn > TURN) {
        await new Promise((resolve) => setImmediate(resolve));
        turn = performance.now();
      }
      if (!interrupt.requested || ctx.stopped) return;
      const path = await save(ctx);
      ctx.stop('interrupt', `interrupted by Ctrl-C after step ${ctx.step}; checkpoint in ${path}`);
    },
  };
}
