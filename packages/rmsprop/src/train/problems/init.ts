import { init, type Conv2d, type Linear } from '../../nn/index.js';
import { noGrad } from '../../tensor/index.js';

/** TensorFlow's initialisation as DeepOBS uses it: weights from a truncated normal, biases constant. */
export function truncatedNormalInit<L extends Linear | Conv2d>(layer: L, std: number, bias = 0): L {
  init.truncatedNormal(layer.weight, std);
  const b = layer.bias;
  if (b) noGrad(() => b.data.fill(bias));
  return layer;
}

/** Zeros in every weight and bias. */
export function zeroInit<L extends Linear | Conv2d>(layer: L): L {
  noGrad(() => {
    layer.weight.data.fill(0);
    layer.bias?.data.fill(0);
  });
  return layer;
}
