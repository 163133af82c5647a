// npm run bench -- conv
// conv2d forward and forward+backward at the two layer shapes of the 2c2d network (5×5, 32 filters on
// 28×28 and 64 on 14×14, batch 128), and one forward+backward step of that whole network, beside PyTorch
// on one thread in the same run; writes its section of BENCHMARKS.md.
import {
  add,
  backward,
  conv2d,
  crossEntropy,
  fromArray,
  keep,
  matmul,
  maxPool2d,
  noGrad,
  rand,
  relu,
  reshape,
  scope,
  sum,
  type Tensor,
} from '../packages/rmsprop/src/tensor/index.js';
import { setThreads } from '../packages/rmsprop/src/kernels/index.js';
import { machine, medianMs, python, writeSection } from './_common.js';

// One thread, as the PyTorch side: the thread counts are compared in `-- kernels` and `-- train`.
setThreads(1);

const BATCH = 128;
const TARGET = 3; // within 3× of PyTorch for the whole step
const time = (call: () => void): number => medianMs(call, { warmup: 2, reps: 5, targetMs: 300 });
const param = (...shape: number[]): Tensor => keep(rand(shape, { lo: -0.1, hi: 0.1, requiresGrad: true }));

function convCase(cIn: number, cOut: number, hw: number): { forward: number; both: number } {
  const x = keep(rand([BATCH, cIn, hw, hw], { lo: -1, hi: 1, requiresGrad: true }));
  const [w, b] = [param(cOut, cIn, 5, 5), param(cOut)];
  const clear = () => [x, w, b].forEach((t) => (t.grad?.dispose(), (t.grad = null)));
  return {
    forward: time(() => scope(() => void noGrad(() => conv2d(x, w, b, { padding: 2 })))),
    both: time(() =>
      scope(() => {
        clear();
        backward(sum(conv2d(x, w, b, { padding: 2 })));
      }),
    ),
  };
}

function network(): number {
  const x = keep(rand([BATCH, 1, 28, 28]));
  const y = keep(
    fromArray(
      Array.from({ length: BATCH }, (_, i) => i % 10),
      [BATCH],
      { dtype: 'int32' },
    ),
  );
  const [w1, b1, w2, b2] = [param(32, 1, 5, 5), param(32), param(64, 32, 5, 5), param(64)];
  const [w3, b3, w4, b4] = [param(3136, 1024), param(1024), param(1024, 10), param(10)];
  const params = [w1, b1, w2, b2, w3, b3, w4, b4];
  return time(() =>
    scope(() => {
      params.forEach((p) => (p.grad?.dispose(), (p.grad = null)));
      let h = maxPool2d(relu(conv2d(x, w1, b1, { padding: 2 })), { kernel: 2 });
      h = maxPool2d(relu(conv2d(h, w2, b2, { padding: 2 })), { kernel: 2 });
      h = relu(add(matmul(reshape(h, [BATCH, 3136]), w3), b3));
      backward(crossEntropy(add(matmul(h, w4), b4), y));
    }),
  );
}

interface TorchRun {
  torch: string;
  conv1: { forward: number; both: number };
  conv2: { forward: number; both: number };
  network: number;
}
const peer = python<TorchRun>('conv_torch.py', { batch: BATCH, reps: 5, target_ms: 300 });
if (typeof peer === 'string') console.error(`PyTorch not measured: ${peer}`);
const ours = { conv1: convCase(1, 32, 28), conv2: convCase(32, 64, 14), network: network() };

const cell = (mine: number, theirs: number | undefined): string =>
  theirs === undefined
    ? `${mine.toFixed(1)} | — | —`
    : `${mine.toFixed(1)} | ${theirs.toFixed(1)} | **${(mine / theirs).toFixed(2)}×**`;
const torch = typeof peer === 'string' ? null : peer;
const rows = [
  `| conv2d 1→32, 5×5, 28×28, forward | ${cell(ours.conv1.forward, torch?.conv1.forward)} |`,
  `| conv2d 1→32, 5×5, 28×28, forward + backward | ${cell(ours.conv1.both, torch?.conv1.both)} |`,
  `| conv2d 32→64, 5×5, 14×14, forward | ${cell(ours.conv2.forward, torch?.conv2.forward)} |`,
  `| conv2d 32→64, 5×5, 14×14, forward + backward | ${cell(ours.conv2.both, torch?.conv2.both)} |`,
  `| 2c2d network, forward + backward | ${cell(ours.network, torch?.network)} |`,
];
const table = ['| batch 128 | ours ms | PyTorch ms | ours / PyTorch |', '|---|---:|---:|---:|', ...rows].join('\n');
const ratio = torch ? ours.network / torch.network : null;
const verdict =
  ratio === null
    ? ''
    : `**Target: the network's step within ${TARGET}× of PyTorch on one thread: ${ratio <= TARGET ? 'met' : 'NOT met'}** (${ratio.toFixed(2)}×).`;
const where = machine(torch ? `PyTorch ${torch.torch} (1 thread)` : `PyTorch not measured: ${peer}`);
console.log(`${where}\n\n${table}\n\n${verdict}`);
writeSection(
  'conv',
  [
    '## Convolutions and the 2c2d network (`npm run bench -- conv`)',
    '',
    where,
    '',
    'Median milliseconds per call over 5 runs of ~300 ms each, after warm-up; float32, NCHW, padding 2, with',
    "bias. The network is DeepOBS's 2c2d (conv 5×5×32, ReLU, max-pool 2, conv 5×5×64, ReLU, max-pool 2, dense",
    '3136→1024, ReLU, dense 10, softmax cross-entropy); a step is forward and backward, gradients cleared first.',
    'Ours: the tensor engine (`rmsprop/tensor`) with a scope per step; PyTorch: `torch.nn.functional`, one thread.',
    '',
    table,
    '',
    verdict,
  ].join('\n'),
);
