/** Our optimizers a framework's can map onto (AdamW is Adam with decoupled decay). */
export type FlavorKind = 'rmsprop' | 'adam' | 'sgd' | 'adagrad' | 'adadelta';

/** How one framework's optimizer maps onto ours: its defaults and how each of its option names translates. */
export interface FlavorEntry {
  /** Which of our optimizers reproduces it. */
  readonly kind: FlavorKind;
  /** Its defaults and fixed semantics, in our option names. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Its option names, each turned into some of ours. */
  readonly names: Readonly<Record<string, (value: unknown) => Record<string, unknown>>>;
  /** Combines options that only mean something together (Keras `use_ema` with `ema_momentum`). */
  readonly finish?: (options: Record<string, unknown>) => void;
}

/** A framework's optimizers by the names it gives them (`rmsprop`, `adamw`, `momentum`, …). */
export type FlavorTable = Readonly<Record<string, FlavorEntry>>;

export const rename =
  (to: string) =>
  (value: unknown): Record<string, unknown> => ({ [to]: value });

/** Options that do not change the arithmetic (PyTorch's `foreach`, Keras's `name`). */
export const ignore = (): Record<string, unknown> => ({});

/** Options we refuse unless they have the framework's neutral value. */
export const onlyNeutral =
  (option: string, neutral: unknown, why: string) =>
  (value: unknown): Record<string, unknown> => {
    if (value === neutral || (value === null && neutral === undefined)) return {};
    throw new RangeError(`${option}=${JSON.stringify(value)} is not supported: ${why}`);
  };

/** Python's `None` arrives as null: keep the default then. */
export const orDefault =
  (to: string) =>
  (value: unknown): Record<string, unknown> =>
    value === null ? {} : { [to]: value };
