import { binary } from '../kernels/index.js';
import { keep } from './scope.js';
import { Tensor, type Node } from './tensor.js';

/** Given the gradient of the output, the gradients of the inputs (null where none flows). */
export type GradientFn = (grad: Tensor, node: Node, output: Tensor) => (Tensor | null)[];

const gradients = new Map<string, GradientFn>();
let recording = true;

/** Registers the gradient of op `name` (one file per op family does this for its ops). */
export function registerGradient(name: string, fn: GradientFn): void {
  if (gradients.has(name)) throw new Error(`registerGradient: '${name}' is registered twice`);
  gradients.set(name, fn);
}

/** Marks `output` as made by `op` from `inputs`, when gradients are being recorded and any input needs one. */
export function record(
  output: Tensor,
  op: string,
  inputs: readonly Tensor[],
  saved: Record<string, unknown> = {},
): Tensor {
  if (recording && inputs.some((t) => t.requiresGrad)) {
    if (!gradients.has(op)) throw new Error(`record: op '${op}' has no registered gradient`);
    output.requiresGrad = true;
    output.node = { op, inputs, saved };
  }
  return output;
}

/** Runs `fn` without recording a graph (evaluation, optimizer updates, gradient computations). */
export function noGrad<T>(fn: () => T): T {
  const before = recording;
  recording = false;
  try {
    return fn();
  } finally {
    recording = before;
  }
}

/** Adds `b` into `a` in place (both float32, same shape): a recurrent net does this once a time step. */
function accumulate(a: Tensor, b: Tensor): void {
  binary('add', a.ptr, b.ptr, a.ptr, a.size);
}

/**
 * Reverse-mode differentiation from `root`: adds d(root)/d(leaf) into the `grad` of every leaf that
 * requires a gradient (gradients accumulate across calls until zeroed, as in PyTorch). `grad` defaults
 * to 1 for a one-element root.
 */
export function backward(root: Tensor, grad?: Tensor): void {
  if (!root.requiresGrad) throw new Error('backward: this tensor does not require a gradient (no input of it does)');
  if (!grad && root.size !== 1) {
    throw new RangeError(`backward: a root of shape [${root.shape.join(', ')}] needs an explicit gradient`);
  }
  // Depth-first post-order: every tensor comes after the tensors made from it in `order` reversed.
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length) {
    const [t, done] = stack.pop()!;
    if (done) {
      order.push(t);
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push([t, true]);
    for (const i of t.node?.inputs ?? []) if (i.requiresGrad && !seen.has(i)) stack.push([i, false]);
  }
  noGrad(() => {
    const grads = new Map<Tensor, Tensor>();
    const seed = grad ?? new Tensor(root.shape);
    if (!grad) seed.data.fill(1);
    grads.set(root, seed);
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k]!;
      const g = grads.get(t);
      if (!g) continue;
      if (!t.node) {
        if (t.grad) accumulate(t.grad, g);
        else t.grad = keep(g === grad ? cloneOf(g) : g);
        continue;
      }
      const inputGrads = gradients.get(t.node.op)!(g, t.node, t);
      t.node.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (!gi || !input.requiresGrad) return;
        const have = grads.get(input);
        if (have) {
          accumulate(have, gi);
          if (gi !== g && inputGrads.indexOf(gi, i + 1) < 0) gi.dispose();
        }
        // Stored gradients are accumulated into in place, so none may be shared.
        else grads.set(input, gi === g || inputGrads.indexOf(gi) < i ? cloneOf(gi) : gi);
      });
      if (g !== grad) g.dispose();
    }
  });
}

function cloneOf(t: Tensor): Tensor {
  const c = new Tensor(t.shape);
  c.data.set(t.data);
  return c;
}
