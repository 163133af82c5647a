import type { Preprocessing } from '../kernels/index.js';
import type { GroupOptions, OptionChecker } from './options.js';
import type { Transform } from './transforms/index.js';

/** What the fused kernel of one optimizer gets for one parameter (or one chunk of it). */
export interface FusedCall {
  /** Addresses of the parameter, the gradient and each buffer (by buffer name) in the kernels' memory. */
  readonly p: number;
  readonly g: number;
  readonly buffers: Readonly<Record<string, number>>;
  readonly n: number;
  /** This parameter's updates, this one included. */
  readonly step: number;
  readonly created: ReadonlySet<string>;
  /** Clipping, maximize and weight decay, shared by every kernel. */
  readonly pre: Preprocessing;
}

/** One parameter's state as `effectiveStep` reads it. */
export interface ParamStateView {
  readonly step: number;
  readonly buffers: Readonly<Record<string, Float32Array>>;
}

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
  readonly stateShaping: readonly string[];
  check(o: O, c: OptionChecker): void;
  /** The transforms between the shared preprocessing and the decoupled decay, ending with the −lr scale. */
  core(o: O, lr: number): Transform;
  /** The same update as `core` in one call of a kernel's typed wrapper; absent: the chain always runs. */
  fused?(o: O, lr: number, call: FusedCall): void;
  /**
   * The step each element takes per unit of gradient (or of Adam's bias-corrected m̂) with the state as it
   * is: lr/(√v + ε) for RMSProp. Absent where the optimizer has no such factor.
   */
  effectiveStep?(o: O, lr: number, state: ParamStateView, size: number): Float32Array;
}
