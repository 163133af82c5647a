// The fused optimizer kernels (assembly/rmsprop.ts, adam.ts, sgd.ts, adagrad.ts, adadelta.ts, ema.ts)
// behind typed wrappers. A kernel takes pointers and a bit set of flags, and reads its hyper-parameters
// from a block of f32 slots in the order listed below: only this file writes that block, and
// optimizer-steps.test.ts fails if these lists and the constants of the AssemblyScript sources differ.
import { checkInt, checkRegion, kernelsFor } from './check.js';

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
type Slots<K extends Kernel> = Record<(typeof HYPERPARAMETERS)[K][number], number>;
type Flags<K extends Kernel> = Record<(typeof FLAGS)[K][number], boolean>;

const SLOTS = 32; // the size of the block, assembly/tail.ts's HP
let block = new Float32Array(0);

/** Writes a kernel's hyper-parameters (rounded to f32, as the kernel reads them) and returns its flag bits. */
function prepare<K extends Kernel>(kernel: K, fn: string, slots: Slots<K>, flags: Flags<K>): number {
  const w = kernelsFor(fn);
  if (block.buffer !== w.memory.buffer) block = new Float32Array(w.memory.buffer, w.hyperparameters.value, SLOTS);
  const names: readonly (keyof Slots<K>)[] = HYPERPARAMETERS[kernel];
  for (let i = 0; i < names.length; i++) block[i] = slots[names[i]!];
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

const isSimple = (h: Preprocessing): boolean => h.gScale === 1 && h.clip === Infinity && h.l2 === 0 && h.pDecay === 1;

/** Byte offsets in the kernels' memory of a parameter and its gradient, and their length. */
export interface StepOperands {
  p: number;
  g: number;
  n: number;
}

/** Checks n and that each named operand (n floats) lies in the kernel memory; an absent one must be unused. */
function checkOperands(fn: string, at: StepOperands, operands: Record<string, number | undefined>): void {
  checkInt(fn, 'n', at.n, 0);
  checkRegion(fn, 'the parameter', 'p', at.p, at.n);
  checkRegion(fn, 'the gradient', 'g', at.g, at.n);
  for (const [name, ptr] of Object.entries(operands)) {
    if (ptr === undefined) throw new RangeError(`${fn}: these settings need the buffer ${name}, got none`);
    checkRegion(fn, `buffer ${name}`, name, ptr, at.n);
  }
}

export interface RmspropHyperparameters extends Preprocessing {
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
  at: StepOperands & { squareAvg: number; gradAvg?: number; momentumBuffer?: number },
  h: RmspropHyperparameters,
): void {
  const fn = 'rmspropStep';
  const useMomentum = h.momentum !== 0;
  checkOperands(fn, at, {
    squareAvg: at.squareAvg,
    ...(h.centered ? { gradAvg: at.gradAvg } : {}),
    ...(useMomentum ? { momentumBuffer: at.momentumBuffer } : {}),
  });
  const flags = prepare(
    'rmsprop',
    fn,
    { ...h, oneMinusDecay: 1 - h.decay },
    { centered: h.centered, useMomentum, simple: isSimple(h) && h.vScale === 1, epsInSqrt: h.epsInSqrt },
  );
  kernelsFor(fn).rmsprop(at.p, at.g, at.squareAvg, at.gradAvg ?? 0, at.momentumBuffer ?? 0, at.n, flags);
}

export interface AdamHyperparameters extends Preprocessing {
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
  at: StepOperands & { expAvg: number; expAvgSq: number; maxExpAvgSq?: number },
  h: AdamHyperparameters,
): void {
  const fn = 'adamStep';
  checkOperands(fn, at, {
    expAvg: at.expAvg,
    expAvgSq: at.expAvgSq,
    ...(h.amsgrad ? { maxExpAvgSq: at.maxExpAvgSq } : {}),
  });
  const flags = prepare(
    'adam',
    fn,
    { ...h, oneMinusBeta1: 1 - h.beta1, oneMinusBeta2: 1 - h.beta2 },
    { amsgrad: h.amsgrad, simple: isSimple(h) },
  );
  kernelsFor(fn).adam(at.p, at.g, at.expAvg, at.expAvgSq, at.maxExpAvgSq ?? 0, at.n, flags);
}

export interface SgdHyperparameters extends Preprocessing {
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
export function sgdStep(at: StepOperands & { momentumBuffer?: number }, h: SgdHyperparameters): void {
  const fn = 'sgdStep';
  const useMomentum = h.momentum !== 0;
  checkOperands(fn, at, useMomentum ? { momentumBuffer: at.momentumBuffer } : {});
  const flags = prepare('sgd', fn, h, { useMomentum, simple: isSimple(h) });
  kernelsFor(fn).sgd(at.p, at.g, at.momentumBuffer ?? 0, at.n, flags);
}

export interface AdagradHyperparameters extends Preprocessing {
  eps: number;
  epsInSqrt: boolean;
  lr: number;
}

/** One Adagrad step of n elements in place: see assembly/adagrad.ts for the update. */
export function adagradStep(at: StepOperands & { sum: number }, h: AdagradHyperparameters): void {
  const fn = 'adagradStep';
  checkOperands(fn, at, { sum: at.sum });
  const flags = prepare('adagrad', fn, h, { simple: isSimple(h), epsInSqrt: h.epsInSqrt });
  kernelsFor(fn).adagrad(at.p, at.g, at.sum, at.n, flags);
}

export interface AdadeltaHyperparameters extends Preprocessing {
  decay: number;
  eps: number;
  lr: number;
}

/** One Adadelta step of n elements in place: see assembly/adadelta.ts for the update. */
export function adadeltaStep(
  at: StepOperands & { squareAvg: number; accDelta: number },
  h: AdadeltaHyperparameters,
): void {
  const fn = 'adadeltaStep';
  checkOperands(fn, at, { squareAvg: at.squareAvg, accDelta: at.accDelta });
  const flags = prepare('adadelta', fn, { ...h, oneMinusDecay: 1 - h.decay }, { simple: isSimple(h) });
  kernelsFor(fn).adadelta(at.p, at.g, at.squareAvg, at.accDelta, at.n, flags);
}

/** avg ← momentum·avg + (1 − momentum)·p over n floats at byte offsets: a moving average of weights. */
export function emaStep(avgPtr: number, pPtr: number, n: number, momentum: number): void {
  const fn = 'emaStep';
  checkInt(fn, 'n', n, 0);
  checkRegion(fn, 'the average', 'avgPtr', avgPtr, n);
  checkRegion(fn, 'the parameter', 'pPtr', pPtr, n);
  prepare('ema', fn, { momentum, oneMinusMomentum: 1 - momentum }, {});
  kernelsFor(fn).ema(avgPtr, pPtr, n);
}
