import { emaStep } from '../kernels/index.js';
import type { ParamStates } from './param-state.js';
import { dataOf, paramPtr, type Entry } from './params.js';

/**
 * Keras's moving average of the weights, after a step: a copy of the weights at the first step
 * (`stepCount` 0), then avg ← m·avg + (1 − m)·w; with `overwrite`, the average is then copied into the weights.
 */
export function updateEma(
  entries: Iterable<Entry<unknown>>,
  states: ParamStates,
  o: { momentum: number; stepCount: number; overwrite: boolean; useWasm: boolean },
): void {
  const m = o.stepCount === 0 ? 0 : o.momentum;
  for (const e of entries) {
    const avg = states.get(e.name)!.buffers.get('ema')!;
    const p = dataOf(e);
    const pPtr = paramPtr(e);
    if (o.useWasm && pPtr !== null) {
      emaStep(avg.ptr!, pPtr, e.length, m);
    } else {
      const a = avg.array;
      for (let i = 0; i < a.length; i++) a[i] = a[i]! * m + p[i]! * (1 - m);
    }
    if (o.overwrite) p.set(avg.array);
  }
}
