import { Optimizer } from './optimizer.js';
import { GROUP_DEFAULTS, OptionError, type GroupOptions, type OptimizerOptions } from './options.js';
import type { GroupInit, NamedParams } from './params.js';
import type { OptimizerSpec } from './spec.js';
import type { OptimizerStateDict } from './state-dict.js';
import { bufferNames, learningRateOf, type LearningRateTransform, type Transform } from './transforms/index.js';

/** What a `ChainOptimizer` takes besides its chain: everything but the learning rate, which is the chain's. */
export type ChainOptimizerOptions = Partial<Omit<GroupOptions, 'lr'> & Omit<OptimizerOptions, 'backend'>>;

const NAME = 'ChainOptimizer';

function chainSpec(transform: Transform, rate: LearningRateTransform | null): OptimizerSpec<GroupOptions> {
  return {
    name: NAME,
    kind: 'chain',
    defaults: GROUP_DEFAULTS,
    bufferNames: bufferNames(transform),
    stateShaping: [],
    check(o, c) {
      if (o.decoupledWeightDecay && o.weightDecay !== 0 && !rate)
        c.fail(
          'decoupledWeightDecay',
          true,
          'false unless the chain has a scaleByLearningRate link (it scales the decay)',
        );
    },
    core: () => transform,
  };
}

/**
 * Steps any chain of transforms, the library's (`scaleByRms`, `trace`, `clipByGlobalNorm`, …) or your
 * own, with what the presets have: state by parameter name, `stateDict`/`loadStateDict`, the non-finite
 * check, parameter groups, EMA, and clipping, maximize and weight decay around the chain. It runs the
 * chain in TypeScript (no fused kernel). Its `lr` is that of the chain's `scaleByLearningRate` link, which
 * setting `lr` (a scheduler, `ReduceLROnPlateau`) changes; a chain without one reads NaN and refuses it.
 *
 * ```ts
 * new ChainOptimizer(params, chain(clipByGlobalNorm(1), scaleByRms({ decay: 0.9 }), scaleByLearningRate(1e-3)));
 * ```
 */
export class ChainOptimizer extends Optimizer {
  private readonly rate: LearningRateTransform | null;

  constructor(params: NamedParams | readonly GroupInit[], transform: Transform, options: ChainOptimizerOptions = {}) {
    if (!transform || typeof transform.init !== 'function' || typeof transform.update !== 'function')
      throw new TypeError(
        `${NAME}: expected a transform { init, update }, such as chain(…) of the library's transforms`,
      );
    const given = options as Record<string, unknown>;
    for (const key of ['lr', 'backend', 'flavor']) {
      if (key in given)
        throw new OptionError(
          key === 'lr'
            ? `${NAME}: the learning rate belongs to the chain (scaleByLearningRate(${JSON.stringify(given.lr)})), not to the options`
            : `${NAME}: unknown option '${key}'; a chain runs in TypeScript, in our option names`,
        );
    }
    const rate = learningRateOf(transform);
    super(chainSpec(transform, rate), params, options);
    this.rate = rate;
  }

  /** The learning rate of the chain's `scaleByLearningRate` link now (NaN without one). */
  override get lr(): number {
    if (!this.rate) return NaN;
    const { lr } = this.rate;
    return typeof lr === 'number' ? lr : lr(this.stepCount);
  }
  override set lr(value: number) {
    if (!this.rate)
      throw new OptionError(`${NAME}: the chain has no scaleByLearningRate link, so there is no learning rate to set`);
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0))
      throw new OptionError(`${NAME}: lr must be a finite number ≥ 0, got ${value}`);
    this.rate.lr = value;
  }

  protected override lrOf(): number {
    return this.lr;
  }

  /** As `Optimizer.loadStateDict`; the saved learning rate goes to the chain's link when that holds a number. */
  override loadStateDict(sd: OptimizerStateDict): void {
    const groups = Array.isArray(sd?.groups) ? sd.groups : null;
    const saved = groups?.[0]?.options?.lr;
    const restore = typeof this.rate?.lr === 'number' && saved !== undefined && saved !== null;
    if (restore && !(typeof saved === 'number' && Number.isFinite(saved) && saved >= 0))
      throw new RangeError(
        `${NAME}.loadStateDict: the saved lr must be a finite number ≥ 0, got ${JSON.stringify(saved)}`,
      );
    // The groups' own `lr` is not the chain's: leave it out of what the facade checks and restores.
    const withoutLr = (o: Record<string, unknown> | undefined) => {
      const { lr: _, ...rest } = o ?? {};
      return rest;
    };
    super.loadStateDict(groups ? { ...sd, groups: groups.map((g) => ({ ...g, options: withoutLr(g?.options) })) } : sd);
    if (restore) this.rate!.lr = saved as number;
  }
}
