import type { WasmKernels } from '../kernels/index.js';
import type { GroupOptions, OptionChecker } from './options.js';
import type { Transform } from './transforms/index.js';

/** What the fused kernel of one optimizer gets for one parameter (or one chunk of it). */
export interface FusedCall {
  /** Addresses of the parameter, the gradient and each buffer, by buffer name. */
  readonly p: number;
  readonly g: number;
  readonly buffers: Readonly<Record<string, number>>;
  readonly n: number;
  readonly step: number;
  readonly created: ReadonlySet<string>;
  /** Shared preprocessing: g ← clamp(g, ±clip)·gScale + l2·p, then p ← p·pDecay. */
  readonly gScale: number;
  readonly clip: number;
  readonly l2: number;
  readonly pDecay: number;
}

/** `clip` when clipping by value is off. */
export const CLIP_OFF = Infinity;

/** The four hyper-parameters every kernel starts with. */
export const shared = (c: FusedCall): number[] => [c.gScale, c.clip, c.l2, c.pDecay];

/** Whether the kernel may skip the shared preprocessing (no clipping, maximize or weight decay). */
export const isSimple = (c: FusedCall): boolean =>
  c.gScale === 1 && c.clip === CLIP_OFF && c.l2 === 0 && c.pDecay === 1;

/**
 * One optimizer of the family: its options, their check, the reference chain of transforms and the
 * fused kernel that must give the same result. Clipping, maximize and weight decay are shared and added
 * around `core` by the facade.
 */
export interface OptimizerSpec<O extends GroupOptions> {
  /** The class name users see in messages, e.g. 'RMSprop'. */
  readonly name: string;
  /** The key in fixtures, flavors and state dicts, e.g. 'rmsprop'. */
  readonly kind: string;
  readonly defaults: O;
  /** Every buffer name any setting of this optimizer can create. */
  readonly bufferNames: readonly string[];
  /** Options that change what a buffer means; a state dict saved with other values is refused. */
  readonly stateShaping: readonly (keyof O)[];
  check(o: O, c: OptionChecker): void;
  /** The transforms between the shared preprocessing and the decoupled decay, ending with the −lr scale. */
  core(o: O, lr: number): Transform;
  fused(k: WasmKernels, o: O, lr: number, call: FusedCall): void;
}
