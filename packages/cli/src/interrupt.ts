import type { Callback, FitContext } from 'rmsprop/train';

// Files being written now (checkpoints, run.json, reports), and what a Ctrl-C that came meanwhile
// asked for once they are in place.
let writing = 0;
let afterWrites: (() => void) | null = null;

/**
 * Runs `write` (of a checkpoint or of any file written atomically) so that a Ctrl-C that quits waits
 * until it has finished: no Ctrl-C ever leaves a half-written or temporary file, or loses the last
 * checkpoint.
 */
export async function uninterrupted<T>(write: () => Promise<T>): Promise<T> {
  writing++;
  try {
    return await write();
  } finally {
    writing--;
    const then = writing === 0 ? afterWrites : null;
    afterWrites = null;
    then?.();
  }
}

/**
 * Ctrl-C while a command runs: the first asks the run to stop at the end of the current step (after
 * writing a checkpoint); a second one quits at once, or once the files being written are in place.
 * Nothing is printed on the first, where it would tear the live bar: the command says what happened
 * once the bar is gone. Listen for the whole command, reports included.
 */
export class Interrupt {
  private requested = false;
  private turn = performance.now();
  private readonly onSignal = (): void => {
    if (!this.requested) this.requested = true;
    else if (writing > 0) afterWrites = () => this.quit();
    else this.quit();
  };

  /** `exit` ends the process (replaced in tests). */
  constructor(private readonly exit: (code: number) => void = (code) => process.exit(code)) {}

  private quit(): void {
    process.stderr.write('\nrmsprop: Ctrl-C again: quitting now; the files written so far are whole\n');
    this.exit(130);
  }

  /** As Ctrl-C (for tests). */
  signal(): void {
    this.onSignal();
  }

  /** Listens until the process ends: a Ctrl-C while the command writes its reports must wait for them too. */
  listen(): this {
    process.on('SIGINT', this.onSignal);
    return this;
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
