// The fused optimizer kernels (assembly/rmsprop.ts, adam.ts, sgd.ts, adagrad.ts, adadelta.ts, ema.ts)
// behind typed wrappers. A kernel takes pointers and a bit set of flags, and reads its hyper-parameters
// from a block of f32 slots in the order listed below: only this file writes that block, and
// optimizer-steps.test.ts fails if these lists and the constants of the AssemblyScript sources differ.
import { checkInt, checkRegion, kernelsFor } from './check.js';
import { runSplit, shifted, SPLIT_ELEMENTS, startThreads } from './thread-pool.js';

const SHARED = ['gScale', 'clip', 'l2', 'pDecay'] as const;

/** Each kernel's hyper-parameter slots, in order. */
export const HYPERPARAMETERS = {
  rmsprop: [...SHARED, 'decay', 'oneMinusDecay', 'vScale', 'eps', 'momentum', 'sIn', 'k1', 'k2', 'pOut'],
  adam: [
    ...SHARED,
    ...['beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'vScale', 'wScale', 'epsRoot', 'eps', 'mScale', 'gMix'],
    'lr',
  ],
  sgd: [...SHARED, 'momentum', 'damp', 'sIn', 'k1', 'k2', 'pOut'],
  adagrad: [...SHARED, 'eps', 'lr'],
  adadelta: [...SHARED, 'decay', 'oneMinusDecay', 'eps', 'lr'],
  ema: ['momentum', 'oneMinusMomentum'],
} as const;

/** Each kernel's flags: the i-th is bit 2^i. */
export const FLAGS = {
  rmsprop: ['centered', 'useMomentum', 'simple', 'epsInSqrt'],
  adam: ['amsgrad', 'simple'],
  sgd: ['useMomentum', 'simple'],
  adagrad: ['simple', 'epsInSqrt'],
  adadelta: ['simple'],
  ema: [],
} as const;

type Kernel = keyof typeof HYPERPARAMETERS;
type Shared = (typeof SHARED)[number];
/** A kernel's own slots (after the shared four, which come from `Preprocessing`). */
type Slots<K extends Kernel> = Record<Exclude<(typeof HYPERPARAMETERS)[K][number], Shared>, number>;
type Flags<K extends Kernel> = Record<(typeof FLAGS)[K][number], boolean>;

const SLOTS = 32; // the size of the block, assembly/tail.ts's HP

let block = new Float32Array(0);

/**
 * Writes a kernel's hyper-parameters (rounded to f32, as the kernel reads them): the shared four from
 * `pre` where the kernel has them, then its own; returns its flag bits. (The callers build `slots` as
 * literals: spreading a caller's options object into one is tens of microseconds a call in V8.)
 */
function prepare<K extends Kernel>(
  kernel: K,
  fn: string,
  pre: Preprocessing | null,
  slots: Slots<K>,
  flags: Flags<K>,
): number {
  const w = kernelsFor(fn);
  startThreads();
  if (block.buffer !== w.memory.buffer) block = new Float32Array(w.memory.buffer, w.hyperparameters.value, SLOTS);
  const names: readonly string[] = HYPERPARAMETERS[kernel];
  const own = slots as Record<string, number>;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    block[i] = pre !== null && i < SHARED.length ? pre[name as Shared] : own[name]!;
  }
  const bits: readonly (keyof Flags<K>)[] = FLAGS[kernel];
  let set = 0;
  for (let i = 0; i < bits.length; i++) if (flags[bits[i]!]) set |= 1 << i;
  return set;
}

/**
 * What every optimizer kernel does first: g ← clamp(g, ±clip)·gScale + l2·p, then p ← p·pDecay
 * (clipping by value and by norm, maximize, L2 and decoupled weight decay).
 */
export interface Preprocessing {
  gScale: number;
  /** Infinity: no clipping by value. */
  clip: number;
  l2: number;
  pDecay: number;
}

/** The preprocessing that changes nothing; kernels given it take their faster path. */
export const NO_PREPROCESSING: Readonly<Preprocessing> = { gScale: 1, clip: Infinity, l2: 0, pDecay: 1 };

const isSimple = (pre: Preprocessing): boolean =>
  pre.gScale === 1 && pre.clip === Infinity && pre.l2 === 0 && pre.pDecay === 1;

/** Byte offsets in the kernels' memory of a parameter and its gradient, and their length. */
export interface StepOperands {
  p: number;
  g: number;
  n: number;
}

/** Checks n and that p, g and the buffers `used` (n floats each) lie in the kernel memory. */
function checkOperands<A extends StepOperands>(fn: string, at: A, ...used: (keyof A & string)[]): void {
  checkInt(fn, 'n', at.n, 0);
  checkRegion(fn, 'the parameter', 'p', at.p, at.n);
  checkRegion(fn, 'the gradient', 'g', at.g, at.n);
  for (const name of used) {
    const ptr = at[name] as number | undefined;
    if (ptr === undefined) throw new RangeError(`${fn}: these settings need the buffer ${name}, got none`);
    checkRegion(fn, `buffer ${name}`, name, ptr, at.n);
  }
}

export interface RmspropHyperparameters {
  /** β of v ← β·v + (1−β)·g². */
  decay: number;
  /** Factor on v (and ḡ) before the root: 1, or Optax's bias correction 1/(1 − βᵗ). */
  vScale: number;
  eps: number;
  epsInSqrt: boolean;
  centered: boolean;
  /** 0: no momentum buffer. */
  momentum: number;
  /** b ← momentum·b + sIn·u; p −= pOut·(k1·b + k2·sIn·u); without momentum p −= pOut·u. */
  sIn: number;
  k1: number;
  k2: number;
  pOut: number;
}

/** One RMSProp step of n elements in place: see assembly/rmsprop.ts for the update. */
export function rmspropStep(
  at: StepOperands & { squareAvg: number; gradAvg?: number | undefined; momentumBuffer?: number | undefined },
  pre: Preprocessing,
  h: RmspropHyperparameters,
): void {
  const fn = 'rmspropStep';
  const useMomentum = h.momentum !== 0;
  checkOperands(fn, at, 'squareAvg');
  if (h.centered) checkOperands(fn, at, 'gradAvg');
  if (useMomentum) checkOperands(fn, at, 'momentumBuffer');
  const { decay, vScale, eps, momentum, sIn, k1, k2, pOut } = h;
  const flags = prepare(
    'rmsprop',
    fn,
    pre,
    { decay, oneMinusDecay: 1 - decay, vScale, eps, momentum, sIn, k1, k2, pOut },
    { centered: h.centered, useMomentum, simple: isSimple(pre) && vScale === 1, epsInSqrt: h.epsInSqrt },
  );
  const { p, g, squareAvg, gradAvg = 0, momentumBuffer = 0 } = at;
  runSplit('rmsprop', at.n, SPLIT_ELEMENTS, (s, n) => [
    p + 4 * s,
    g + 4 * s,
    squareAvg + 4 * s,
    shifted(gradAvg, s),
    shifted(momentumBuffer, s),
    n,
    flags,
  ]);
}

export interface AdamHyperparameters {
  beta1: number;
  beta2: number;
  /** Factors on v before and after the AMSGrad maximum (where its bias correction goes). */
  vScale: number;
  wScale: number;
  epsRoot: number;
  eps: number;
  /** Factors on m and on g in the numerator (bias correction of m, Nesterov's look-ahead). */
  mScale: number;
  gMix: number;
  lr: number;
  amsgrad: boolean;
}

/** One Adam step of n elements in place: see assembly/adam.ts for the update. */
export function adamStep(
  at: StepOperands & { expAvg: number; expAvgSq: number; maxExpAvgSq?: number | undefined },
  pre: Preprocessing,
  h: AdamHyperparameters,
): void {
  const fn = 'adamStep';
  checkOperands(fn, at, 'expAvg', 'expAvgSq');
  if (h.amsgrad) checkOperands(fn, at, 'maxExpAvgSq');
  const { beta1, beta2, vScale, wScale, epsRoot, eps, mScale, gMix, lr } = h;
  const flags = prepare(
    'adam',
    fn,
    pre,
    {
      beta1,
      oneMinusBeta1: 1 - beta1,
      beta2,
      oneMinusBeta2: 1 - beta2,
      vScale,
      wScale,
      epsRoot,
      eps,
      mScale,
      gMix,
      lr,
    },
    { amsgrad: h.amsgrad, simple: isSimple(pre) },
  );
  const { p, g, expAvg, expAvgSq, maxExpAvgSq = 0 } = at;
  runSplit('adam', at.n, SPLIT_ELEMENTS, (s, n) => [
    p + 4 * s,
    g + 4 * s,
    expAvg + 4 * s,
    expAvgSq + 4 * s,
    shifted(maxExpAvgSq, s),
    n,
    flags,
  ]);
}

export interface SgdHyperparameters {
  /** 0: no momentum buffer. */
  momentum: number;
  /** Factor on the gradient entering the buffer (1 − dampening). */
  damp: number;
  /** As in RMSProp: b ← momentum·b + damp·sIn·g; p −= pOut·(k1·b + k2·sIn·g). */
  sIn: number;
  k1: number;
  k2: number;
  pOut: number;
}

/** One SGD step of n elements in place: see assembly/sgd.ts for the update. */
export function sgdStep(
  at: StepOperands & { momentumBuffer?: number | undefined },
  pre: Preprocessing,
  h: SgdHyperparameters,
): void {
  const fn = 'sgdStep';
  const useMomentum = h.momentum !== 0;
  if (useMomentum) checkOperands(fn, at, 'momentumBuffer');
  else checkOperands(fn, at);
  const { momentum, damp, sIn, k1, k2, pOut } = h;
  const flags = prepare('sgd', fn, pre, { momentum, damp, sIn, k1, k2, pOut }, { useMomentum, simple: isSimple(pre) });
  const { p, g, momentumBuffer = 0 } = at;
  runSplit('sgd', at.n, SPLIT_ELEMENTS, (s, n) => [p + 4 * s, g + 4 * s, shifted(momentumBuffer, s), n, flags]);
}

export interface AdagradHyperparameters {
  eps: number;
  epsInSqrt: boolean;
  lr: number;
}

/** One Adagrad step of n elements in place: see assembly/adagrad.ts for the update. */
export function adagradStep(at: StepOperands & { sum: number }, pre: Preprocessing, h: AdagradHyperparameters): void {
  const fn = 'adagradStep';
  checkOperands(fn, at, 'sum');
  const flags = prepare(
    'adagrad',
    fn,
    pre,
    { eps: h.eps, lr: h.lr },
    { simple: isSimple(pre), epsInSqrt: h.epsInSqrt },
  );
  const { p, g, sum } = at;
  runSplit('adagrad', at.n, SPLIT_ELEMENTS, (s, n) => [p + 4 * s, g + 4 * s, sum + 4 * s, n, flags]);
}

export interface AdadeltaHyperparameters {
  decay: number;
  eps: number;
  lr: number;
}

/** One Adadelta step of n elements in place: see assembly/adadelta.ts for the update. */
export function adadeltaStep(
  at: StepOperands & { squareAvg: number; accDelta: number },
  pre: Preprocessing,
  h: AdadeltaHyperparameters,
): void {
  const fn = 'adadeltaStep';
  checkOperands(fn, at, 'squareAvg', 'accDelta');
  const { decay, eps, lr } = h;
  const flags = prepare('adadelta', fn, pre, { decay, oneMinusDecay: 1 - decay, eps, lr }, { simple: isSimple(pre) });
  const { p, g, squareAvg, accDelta } = at;
  runSplit('adadelta', at.n, SPLIT_ELEMENTS, (s, n) => [
    p + 4 * s,
    g + 4 * s,
    squareAvg + 4 * s,
    accDelta + 4 * s,
    n,
    flags,
  ]);
}

/** avg ← momentum·avg + (1 − momentum)·p over n floats at byte offsets: a moving average of weights. */
export function emaStep(avgPtr: number, pPtr: number, n: number, momentum: number): void {
  const fn = 'emaStep';
  checkInt(fn, 'n', n, 0);
  checkRegion(fn, 'the average', 'avgPtr', avgPtr, n);
  checkRegion(fn, 'the parameter', 'pPtr', pPtr, n);
  prepare('ema', fn, null, { momentum, oneMinusMomentum: 1 - momentum }, {});
  runSplit('ema', n, SPLIT_ELEMENTS, (s, count) => [avgPtr + 4 * s, pPtr + 4 * s, count]);
}
