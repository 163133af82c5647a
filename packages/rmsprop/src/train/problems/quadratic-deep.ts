import { ArrayDataset } from '../../data/index.js';
import { init } from '../../nn/index.js';
import { Generator, mean, zeros } from '../../tensor/index.js';
import { NoisyQuadratic } from './modules.js';
import { limited, type Problem, type ProblemData } from './problem.js';

const DIM = 100;
const TRAIN = 1000;
const TEST = 1000;
const NOISE = 0.6;

/**
 * DeepOBS's Hessian: eigenvalues 90 × U(0, 1) and 10 × U(30, 60), turned by a random rotation R:
 * H = Rᵀ·diag(λ)·R. (DeepOBS draws them from NumPy seeded 42; here from this library's generator seeded 42.)
 */
function deepHessian(): Float32Array {
  const g = new Generator(42);
  const lambda = Float64Array.from({ length: DIM }, (_, i) => (i < 90 ? g.uniform() : 30 + 30 * g.uniform()));
  const t = init.orthogonal(zeros([DIM, DIM]), 1, g);
  const r = Float64Array.from(t.data);
  t.dispose();
  const h = new Float32Array(DIM * DIM);
  for (let i = 0; i < DIM; i++) {
    for (let j = i; j < DIM; j++) {
      let s = 0;
      for (let k = 0; k < DIM; k++) s += r[k * DIM + i]! * lambda[k]! * r[k * DIM + j]!;
      h[i * DIM + j] = h[j * DIM + i] = s;
    }
  }
  return h;
}

function noise(size: number, seed: number): ArrayDataset {
  const g = new Generator(seed);
  const x = Float32Array.from({ length: size * DIM }, () => NOISE * g.normal());
  return new ArrayDataset({ x, xShape: [DIM], y: new Float32Array(size), yShape: [], yDtype: 'float32' });
}

let hessian: Float32Array | null = null;

/**
 * `quadratic_deep` (DeepOBS): the noisy quadratic ½(θ − x)ᵀH(θ − x) in 100 dimensions, with θ starting
 * at 1 and x ~ N(0, 0.6²) (1000 examples for training, 1000 for testing), H of eigenvalues in [0, 1) and
 * [30, 60). Loss: its mean over the batch. Batch 128, 100 epochs.
 */
export function quadraticDeep(): Problem {
  return {
    name: 'quadratic_deep',
    description: '100-dimensional noisy quadratic with a deep-learning-like eigenspectrum (DeepOBS)',
    batchSize: 128,
    epochs: 100,
    async data(o = {}): Promise<ProblemData> {
      return {
        train: limited(noise(TRAIN, 42), o.limit, 'quadratic_deep'),
        test: limited(noise(TEST, 43), o.limit, 'quadratic_deep'),
      };
    },
    model: () => new NoisyQuadratic((hessian ??= deepHessian()), DIM),
    loss: (output) => mean(output),
    metric: null,
  };
}
