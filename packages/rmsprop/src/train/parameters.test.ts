import { describe, expect, it } from 'vitest';
import { heap } from '../kernels/index.js';
import { Linear, Sequential, Tanh } from '../nn/index.js';
import { RMSprop } from '../optim/index.js';
import { crossEntropy, fromArray, keep, scope } from '../tensor/index.js';
import { parametersOf } from './parameters.js';

describe('a module trained by an optimizer', () => {
  it('RMSprop fits XOR through nn, the tape and the fused kernels, without growing memory', () => {
    const model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 2));
    const opt = new RMSprop(parametersOf(model), { lr: 0.05 });
    const x = keep(fromArray([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]));
    const y = keep(fromArray([0, 1, 1, 0], [4], { dtype: 'int32' }));
    const step = () =>
      scope(() => {
        model.zeroGrad();
        const loss = crossEntropy(model.forward(x), y);
        loss.backward();
        opt.step();
        return loss.item();
      });
    const first = step();
    for (let i = 0; i < 20; i++) step();
    const used = heap!.inUse;
    let last = first;
    for (let i = 0; i < 280; i++) last = step();
    expect(last).toBeLessThan(0.05);
    expect(first).toBeGreaterThan(0.5);
    expect(heap!.inUse).toBe(used);
    expect(Object.keys(opt.stateDict().state)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });
});
