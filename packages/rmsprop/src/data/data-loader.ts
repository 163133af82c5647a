import { defaultGenerator, Generator } from '../tensor/random.js';
import type { Batch, Dataset } from './dataset.js';

export interface DataLoaderOptions {
  /** Examples per batch; default 32. */
  batchSize?: number;
  /** A new order every epoch (default true); false keeps the data set's order. */
  shuffle?: boolean;
  /** Leaves out the last batch when it would be smaller than batchSize; default false. */
  dropLast?: boolean;
  /** Draws the orders; default a generator seeded with `seed`, or the default generator (see manualSeed). */
  generator?: Generator;
  seed?: number;
}

/**
 * Batches of a data set, every example once per epoch, in an order drawn from a seeded generator: the
 * same seed gives the same epochs on every platform.
 *
 * A batch's tensors are made when `x` or `y` is first read, so they belong to the scope open then: in
 * `for (const b of loader) scope(() => step(b))` each batch is freed with its step.
 */
export class DataLoader implements Iterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;

  constructor(
    readonly dataset: Dataset,
    o: DataLoaderOptions = {},
  ) {
    const { batchSize = 32, shuffle = true, dropLast = false } = o;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`DataLoader: batchSize must be an integer ≥ 1, got ${batchSize}`);
    }
    [this.batchSize, this.shuffle, this.dropLast] = [batchSize, shuffle, dropLast];
    this.generator = o.generator ?? (o.seed === undefined ? defaultGenerator : new Generator(o.seed));
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** The example indices of each batch of the next epoch (drawing its order from the generator). */
  epochIndices(): Int32Array[] {
    const order = Int32Array.from({ length: this.dataset.length }, (_, i) => i);
    if (this.shuffle) {
      // Fisher–Yates.
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(this.generator.uniform() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    return Array.from({ length: this.length }, (_, b) =>
      order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, order.length)),
    );
  }

  /** One epoch of batches. */
  *[Symbol.iterator](): Iterator<Batch> {
    for (const indices of this.epochIndices()) yield lazyBatch(this.dataset, indices);
  }
}

function lazyBatch(dataset: Dataset, indices: Int32Array): Batch {
  let made: Batch | null = null;
  const make = (): Batch => (made ??= dataset.batch(indices));
  // A plain object, so a scope that returns it keeps its tensors.
  return {
    get x() {
      return make().x;
    },
    get y() {
      return make().y;
    },
  };
}
