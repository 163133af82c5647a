import type { Callback, FitContext } from 'rmsprop/train';

/**
 * Ctrl-C while training: the first asks the run to stop at the end of the current step (after writing
 * a checkpoint); a second one quits at once, or, while a checkpoint is being written (`guard`), as soon
 * as it is in place, so that no Ctrl-C ever leaves a half-written file or loses the last checkpoint.
 * Nothing is printed on the first, where it would tear the live bar: the command says what happened
 * once the bar is gone.
 */
export class Interrupt {
  private requested = false;
  private writing = 0;
  private quitWhenWritten = false;
  private turn = performance.now();
  private readonly onSignal = (): void => {
    if (!this.requested) this.requested = true;
    else if (this.writing > 0) this.quitWhenWritten = true;
    else this.quit();
  };

  /** `exit` ends the process (replaced in tests). */
  constructor(private readonly exit: (code: number) => void = (code) => process.exit(code)) {}

  private quit(): void {
    process.stderr.write('\nrmsprop: Ctrl-C again: quitting now; the last checkpoint written is kept\n');
    this.exit(130);
  }

  /** Runs `write` (a checkpoint's) so that a further Ctrl-C waits until it has finished. */
  async guard<T>(write: () => Promise<T>): Promise<T> {
    this.writing++;
    try {
      return await write();
    } finally {
      this.writing--;
      if (this.writing === 0 && this.quitWhenWritten) this.quit();
    }
  }

  /** As Ctrl-C (for tests). */
  signal(): void {
    this.onSignal();
  }

  listen(): this {
    process.on('SIGINT', this.onSignal);
    return this;
  }

  close(): void {
    process.off('SIGINT', this.onSignal);
  }

  /**
   * Whether Ctrl-C came. Asked at the end of each step: fit's steps only await microtasks and signals
   * are handled in the event loop, which therefore gets a turn now and then, or Ctrl-C would wait for
   * the end of the run.
   */
  async came(): Promise<boolean> {
    if (performance.now() - this.turn > TURN) {
      await new Promise((resolve) => setImmediate(resolve));
      this.turn = performance.now();
    }
    return this.requested;
  }
}

/** How often the training loop lets the event loop run, in ms. */
const TURN = 50;

/**
 * Stops the run at the end of the step during which Ctrl-C came, once `save` has written its
 * checkpoint (after the other callbacks, so their state is up to date).
 */
export function stopOnInterrupt(interrupt: Interrupt, save: (ctx: FitContext) => Promise<string>): Callback {
  return {
    name: 'stopOnInterrupt',
    runsLast: true,
    async onStepEnd(ctx) {
      if (!(await interrupt.came()) || ctx.stopped) return;
      const path = await save(ctx);
      ctx.stop('interrupt', `interrupted by Ctrl-C after step ${ctx.step}; checkpoint in ${path}`);
    },
  };
}
