// Times one fmnist-sized GRU layer, forward and forward + backward (batch 128, 28 steps of 28 inputs, 128
// units, as fmnist_gru runs it), through the library whose sources are at SRC (default: this tree's), so
// that two versions compare in one sitting. Not a test, and not a benchmark of record (see bench/train.ts).
//   RMSPROP_THREADS=1 npx tsx tools/time-gru-layer.ts [SRC]
import { medianMs } from '../bench/_common.js';

type Nn = typeof import('../packages/rmsprop/src/nn/index.js');
type Tensors = typeof import('../packages/rmsprop/src/tensor/index.js');

const src = process.argv[2] ?? new URL('../packages/rmsprop/src', import.meta.url).pathname;
const { GRU } = (await import(`${src}/nn/index.ts`)) as Nn;
const { Generator, keep, mean, randn, scope } = (await import(`${src}/tensor/index.ts`)) as Tensors;

const [batch, steps, inputs, hidden] = [128, 28, 28, 128];
const gru = new GRU(inputs, hidden);
const x = keep(randn([batch, steps, inputs], { generator: new Generator(1) }));
const loss = () => mean(gru.run(x).h);
const time = (call: () => void) => medianMs(call, { warmup: 3, reps: 9, targetMs: 300 });
const forward = time(() => scope(() => void loss()));
const both = time(() => scope(() => (gru.zeroGrad(), loss().backward())));
console.log(
  `GRU ${batch}×${steps}×${inputs} → ${hidden}, threads ${process.env.RMSPROP_THREADS ?? 'default'}: ` +
    `forward ${forward.toFixed(2)} ms, forward + backward ${both.toFixed(2)} ms (${src})`,
);
