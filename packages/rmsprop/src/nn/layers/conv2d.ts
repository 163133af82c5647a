import { conv2d, zeros, type Conv2dOptions, type Tensor } from '../../tensor/index.js';
import { uniform } from '../init.js';
import { Module } from '../module.js';

type Pair = number | readonly [number, number];

/** 2-D convolution layer: weight [out, in/groups, kH, kW], bias [out], initialised as in PyTorch. */
export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  private readonly options: Conv2dOptions;
  constructor(inChannels: number, outChannels: number, kernel: Pair, o: Conv2dOptions & { bias?: boolean } = {}) {
    super();
    const [kh, kw] = typeof kernel === 'number' ? [kernel, kernel] : kernel;
    const groups = o.groups ?? 1;
    if (!Number.isInteger(groups) || groups < 1 || inChannels % groups || outChannels % groups) {
      throw new RangeError(`Conv2d: groups must divide both ${inChannels} and ${outChannels}, got ${groups}`);
    }
    const fanIn = (inChannels / groups) * kh * kw;
    const bound = 1 / Math.sqrt(fanIn);
    this.weight = this.param('weight', uniform(zeros([outChannels, inChannels / groups, kh, kw]), -bound, bound));
    this.bias = o.bias === false ? null : this.param('bias', uniform(zeros([outChannels]), -bound, bound));
    this.options = { stride: o.stride, padding: o.padding, dilation: o.dilation, groups };
  }
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.options);
  }
}
