import type { Module } from '../nn/index.js';
import type { ParamLike } from '../optim/index.js';

/**
 * A module's parameters as the optimizers take them: by PyTorch name, each reading its tensor's values
 * and gradient afresh at every step (views of WebAssembly memory must not outlive a growth of it), so
 * the fused kernels update the weights in place with no copy.
 */
export function parametersOf(model: Module): Record<string, ParamLike> {
  return Object.fromEntries(
    model.namedParameters().map(([name, t]) => [
      name,
      {
        get data() {
          return t.data;
        },
        get grad() {
          return t.grad?.data ?? null;
        },
      },
    ]),
  );
}
