import type { TextStream } from 'rmsprop/train';
import type { Flags } from './command-flags.js';

/** What a command prints: lines for people on stdout, the live bar on a terminal, and the `--json` summary last. */
export class Output {
  readonly json: boolean;
  /** The live bar: on a terminal, unless --quiet (elsewhere it would fill logs with redraws). */
  readonly bar: boolean;
  /** Where the lines go, those of the runs' progress too. */
  readonly stream: TextStream = process.stdout;

  constructor(o: Flags) {
    this.json = o.json === true;
    this.bar = o.quiet !== true && process.stdout.isTTY === true;
  }

  line = (s: string): void => {
    this.stream.write(`${s}\n`);
  };

  /** The machine-readable summary, on the last line of stdout (with --json). */
  summary(value: object): void {
    if (this.json) this.line(JSON.stringify(value));
  }
}
