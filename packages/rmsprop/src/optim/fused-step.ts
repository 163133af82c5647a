import type { GroupOptions } from './options.js';
import type { ParamStates } from './param-state.js';
import { dataOf, paramPtr, type Item, type ParamGroup } from './params.js';
import type { OptimizerSpec } from './spec.js';
import type { Staging } from './staging.js';

/** Clip-by-norm factors from the sums of squares the gradient scan computed, and maximize's sign. */
function scaleGradients(items: readonly Item<GroupOptions>[], globalClipNorm: number | null): void {
  let total = 0;
  for (const it of items) {
    const { clipNorm, maximize } = it.entry.group.options;
    const norm = Math.sqrt(it.sumSquares);
    it.gScale = (clipNorm === null ? 1 : clipNorm / Math.max(norm, clipNorm)) * (maximize ? -1 : 1);
    total += it.gScale * it.gScale * it.sumSquares;
  }
  if (globalClipNorm !== null) {
    const f = globalClipNorm / Math.max(Math.sqrt(total), globalClipNorm);
    for (const it of items) it.gScale *= f;
  }
}

/** The fused path: one kernel call per parameter (or per chunk of a parameter outside the kernels' memory). */
export function fusedStep<O extends GroupOptions>(
  spec: OptimizerSpec<O>,
  items: readonly Item<O>[],
  lrs: ReadonlyMap<ParamGroup<O>, number>,
  states: ParamStates,
  o: { globalClipNorm: number | null; staging: Staging },
): void {
  const fused = spec.fused!;
  scaleGradients(items, o.globalClipNorm);
  for (const it of items) {
    const options = it.entry.group.options;
    const lr = lrs.get(it.entry.group)!;
    const st = states.get(it.entry.name)!;
    const { clipValue, weightDecay, decoupledWeightDecay: decoupled } = options;
    const buffers: Record<string, number> = {};
    for (const [k, b] of st.buffers) buffers[k] = b.ptr!;
    const call = {
      p: paramPtr(it.entry),
      g: it.gradPtr,
      buffers,
      n: it.entry.length,
      step: st.step + 1,
      created: it.created,
      pre: {
        gScale: it.gScale,
        clip: clipValue ?? Infinity,
        l2: decoupled ? 0 : weightDecay,
        pDecay: decoupled ? 1 - lr * weightDecay : 1,
      },
    };
    const { p, g } = call;
    if (p !== null && g !== null)
      fused(options, lr, { p, g, buffers, n: call.n, step: call.step, created: it.created, pre: call.pre });
    else o.staging.run(call, dataOf(it.entry), it.grad, (c) => fused(options, lr, c));
  }
}
