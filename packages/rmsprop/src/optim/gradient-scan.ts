import { allFinite, allFiniteReference, sumSquares, sumSquaresReference } from '../kernels/index.js';
import type { GroupOptions } from './options.js';
import { viewAt } from './state-buffer.js';
import type { Item } from './params.js';
import type { Staging } from './staging.js';

/**
 * One read of each gradient before anything changes: its sum of squares after clipping by value when
 * clipping by norm needs it (non-finite exactly when the gradient is), else the cheaper finiteness check
 * alone. Returns the first item with a NaN or infinite gradient, or null.
 */
export function scanGradients<O extends GroupOptions>(
  items: readonly Item<O>[],
  o: { globalClipNorm: number | null; useWasm: boolean; staging: Staging },
): Item<O> | null {
  const needNorms =
    o.useWasm && (o.globalClipNorm !== null || items.some((it) => it.entry.group.options.clipNorm !== null));
  for (const it of items) {
    const n = it.grad.length;
    if (needNorms) {
      const clip = it.entry.group.options.clipValue ?? Infinity;
      it.sumSquares = it.gradPtr !== null ? sumSquares(it.gradPtr, n, clip) : sumSquaresReference(it.grad, n, clip);
      it.finite = Number.isFinite(it.sumSquares);
    } else {
      it.finite =
        it.gradPtr !== null
          ? allFinite(it.gradPtr, n)
          : o.useWasm
            ? o.staging.allFinite(it.grad)
            : allFiniteReference(it.grad, n);
    }
  }
  return items.find((it) => !it.finite) ?? null;
}

/** Where and what the first non-finite element of an item's gradient is. */
export function firstNonFinite(it: Item<unknown>): { index: number; value: number } {
  const g = it.gradPtr !== null ? viewAt(it.gradPtr, it.grad.length) : it.grad;
  const index = g.findIndex((x) => !Number.isFinite(x));
  return { index, value: g[index]! };
}
