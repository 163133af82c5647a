import type { GroupOptions, OptimizerOptions } from './options.js';
import type { ParamStates } from './param-state.js';
import { dataOf, type Item, type ParamGroup } from './params.js';
import type { OptimizerSpec } from './spec.js';
import {
  addDecayedWeights,
  chain,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  scale,
  type Slot,
  type Transform,
} from './transforms/index.js';

/** A group's parameters with gradients in one step, beside the state the transforms see. */
interface GroupStep {
  readonly slots: Slot[];
  updates: Float32Array[];
}

/**
 * The reference path: the same update as the fused kernels, as a chain of transforms in TypeScript.
 * Clipping comes first (by value and norm per group, then by global norm), then maximize and L2 decay,
 * the optimizer's `core`, and decoupled decay; the result is added to each parameter.
 */
export function referenceStep<O extends GroupOptions>(
  spec: OptimizerSpec<O>,
  items: readonly Item<O>[],
  lrs: ReadonlyMap<ParamGroup<O>, number>,
  states: ParamStates,
  o: OptimizerOptions,
): void {
  const groups = new Map<ParamGroup<O>, GroupStep>();
  for (const it of items) {
    const { name, group } = it.entry;
    const step = groups.get(group) ?? { slots: [], updates: [] };
    groups.set(group, step);
    const st = states.get(name)!;
    step.slots.push({
      name,
      param: dataOf(it.entry),
      state: states.views(name),
      created: it.created,
      step: st.step + 1,
    });
    step.updates.push(it.grad);
  }
  for (const [g, s] of groups) {
    const { clipValue, clipNorm } = g.options;
    const clips: Transform[] = [
      ...(clipValue !== null ? [clipByValue(clipValue)] : []),
      ...(clipNorm !== null ? [clipByNorm(clipNorm)] : []),
    ];
    s.updates = chain(...clips).update(s.updates, s.slots);
  }
  if (o.globalClipNorm !== null) {
    const all = [...groups.values()];
    const clipped = clipByGlobalNorm(o.globalClipNorm).update(
      all.flatMap((s) => s.updates),
      all.flatMap((s) => s.slots),
    );
    for (const s of all) s.updates = clipped.splice(0, s.updates.length);
  }
  for (const [g, s] of groups) {
    const { maximize, weightDecay, decoupledWeightDecay } = g.options;
    const lr = lrs.get(g)!;
    const decay = weightDecay !== 0;
    const updates = chain(
      ...(maximize ? [scale(-1)] : []),
      ...(decay && !decoupledWeightDecay ? [addDecayedWeights(weightDecay)] : []),
      spec.core(g.options, lr),
      ...(decay && decoupledWeightDecay ? [addDecayedWeights(-lr * weightDecay)] : []),
    ).update(s.updates, s.slots);
    s.slots.forEach(({ param }, k) => {
      const u = updates[k]!;
      for (let i = 0; i < param.length; i++) param[i]! += u[i]!;
    });
  }
}
