import type { Tensor } from './tensor.js';

// Tensors made while a scope is open belong to it and are freed when it closes, so a training step
// leaks nothing without the user calling dispose (the Trainer opens one scope per step).
const open: Set<Tensor>[] = [];

export function track(t: Tensor): void {
  open.at(-1)?.add(t);
}

/** Takes `t` out of every open scope: it lives until `dispose()` or garbage collection. */
export function keep<T extends Tensor>(t: T): T {
  for (const s of open) s.delete(t);
  return t;
}

function tensorsIn(value: unknown, found: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || found.has(value)) return;
  found.add(value);
  if (Array.isArray(value)) for (const v of value) tensorsIn(v, found);
  else if (value.constructor === Object) for (const v of Object.values(value)) tensorsIn(v, found);
}

/**
 * Runs `fn` and frees every tensor it made except those in its result (a tensor, or arrays and plain
 * objects of them), which move to the enclosing scope.
 */
export function scope<T>(fn: () => T): T {
  const mine = new Set<Tensor>();
  open.push(mine);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    open.pop();
    for (const t of mine) t.dispose();
    throw e;
  }
  open.pop();
  const kept = new Set<unknown>();
  tensorsIn(result, kept);
  for (const t of mine) {
    if (kept.has(t)) track(t);
    else t.dispose();
  }
  return result;
}
