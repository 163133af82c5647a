// Threads change speed, never results: every optimizer's step gives the same bits on 1, 2 and 3 threads.
import { afterAll, describe, it } from 'vitest';
import { F32Block, getThreads, setThreads, threadsAvailable } from '../kernels/index.js';
import { fillRandom, sameOnThreads } from '../kernels/test-support.js';
import { createOptimizer } from './index.js';

const initial = getThreads();
afterAll(() => setThreads(initial));

describe.runIf(threadsAvailable)('optimizers on threads', () => {
  // Above three times the size a thread takes, and not a multiple of 4: every thread works, one has a tail.
  const n = 3 * 2 ** 17 + 7;

  it.each([
    ['rmsprop', { centered: true, momentum: 0.9, weightDecay: 0.01 }],
    ['adam', { amsgrad: true, clipValue: 0.5 }],
    ['sgd', { momentum: 0.9, nesterov: true }],
    ['adagrad', {}],
    ['adadelta', { decoupledWeightDecay: true, weightDecay: 0.1 }],
    ['rmsprop', { ema: 0.9 }],
  ] as const)('%s %j steps give the same bits on 1, 2 and 3 threads', (kind, options) => {
    sameOnThreads(() => {
      const p = new F32Block(n);
      const g = new F32Block(n);
      fillRandom(p.array, 1);
      const opt = createOptimizer(kind, { w: p.array }, options);
      for (let step = 0; step < 3; step++) {
        fillRandom(g.array, 10 + step);
        opt.step({ w: g.array });
      }
      const out = 'ema' in options ? opt.emaWeights().w! : p.array.slice();
      opt.dispose();
      [p, g].forEach((x) => x.free());
      return out;
    });
  });
});
