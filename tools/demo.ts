// `npm start`: trains a small network with RMSProp and prints its loss falling. The network is a
// 2-32-1 perceptron on two interleaved spirals, with its gradients written out by hand: the optimizers
// need nothing but named Float32Arrays. (The `rmsprop` command replaces this once it lands.)
import { Adam, RMSprop, SGD, type GroupOptions, type Optimizer } from 'rmsprop/optim';

const HIDDEN = 32;
const N = 400;

function spirals(): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(2 * N);
  const y = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const label = i % 2;
    const t = (i / N) * 3 * Math.PI;
    const r = t / (3 * Math.PI);
    x[2 * i] = r * Math.cos(t + label * Math.PI);
    x[2 * i + 1] = r * Math.sin(t + label * Math.PI);
    y[i] = label;
  }
  return { x, y };
}

function init(seed: number): Record<string, Float32Array> {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return {
    'hidden.weight': Float32Array.from({ length: HIDDEN * 2 }, () => rnd() * 1.5),
    'hidden.bias': Float32Array.from({ length: HIDDEN }, () => rnd() * 0.5),
    'out.weight': Float32Array.from({ length: HIDDEN }, () => rnd() / Math.sqrt(HIDDEN)),
    'out.bias': new Float32Array(1),
  };
}

/** Mean binary cross-entropy with logits, and its gradient by name. */
function lossAndGrad(p: Record<string, Float32Array>, x: Float32Array, y: Float32Array) {
  const [w1, b1, w2, b2] = [p['hidden.weight']!, p['hidden.bias']!, p['out.weight']!, p['out.bias']!];
  const g = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, new Float32Array(v.length)]));
  const h = new Float32Array(HIDDEN);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    let z = b2[0]!;
    for (let j = 0; j < HIDDEN; j++) {
      h[j] = Math.tanh(w1[2 * j]! * x[2 * i]! + w1[2 * j + 1]! * x[2 * i + 1]! + b1[j]!);
      z += w2[j]! * h[j]!;
    }
    loss += Math.max(z, 0) - z * y[i]! + Math.log1p(Math.exp(-Math.abs(z)));
    const dz = (1 / (1 + Math.exp(-z)) - y[i]!) / N;
    g['out.bias']![0]! += dz;
    for (let j = 0; j < HIDDEN; j++) {
      g['out.weight']![j]! += dz * h[j]!;
      const dh = dz * w2[j]! * (1 - h[j]! * h[j]!);
      g['hidden.weight']![2 * j]! += dh * x[2 * i]!;
      g['hidden.weight']![2 * j + 1]! += dh * x[2 * i + 1]!;
      g['hidden.bias']![j]! += dh;
    }
  }
  return { loss: loss / N, grads: g };
}

const { x, y } = spirals();
const runs: [string, (p: Record<string, Float32Array>) => Optimizer<GroupOptions>][] = [
  ['RMSprop lr=0.01 decay=0.9', (p) => new RMSprop(p, { lr: 0.01, decay: 0.9 })],
  ['Adam    lr=0.01          ', (p) => new Adam(p, { lr: 0.01 })],
  ['SGD     lr=0.1 mom=0.9   ', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
];
console.log(`Two spirals, ${N} points, a 2-${HIDDEN}-1 tanh network, full-batch; loss every 250 steps:\n`);
for (const [label, make] of runs) {
  const params = init(42);
  const opt = make(params);
  const losses: string[] = [];
  for (let step = 0; step <= 2000; step++) {
    const { loss, grads } = lossAndGrad(params, x, y);
    if (step % 250 === 0) losses.push(loss.toFixed(3));
    opt.step(grads);
  }
  console.log(`${label}  ${losses.join(' ')}`);
}
