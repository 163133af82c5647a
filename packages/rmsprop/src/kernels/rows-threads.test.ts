// The kernels over independent rows (the LSTM cell, softmax and log-softmax, max and sum over rows, and
// their gradients) on 1, 2 and 3 threads: each thread takes whole rows, so the bits are the same.
import { afterAll, describe, it } from 'vitest';
import {
  broadcastRows,
  F32Block,
  getThreads,
  logSoftmaxRowsBackward,
  lstmCell,
  lstmCellBackward,
  maxRows,
  maxRowsBackward,
  setThreads,
  softmaxRows,
  sumRows,
  threadsAvailable,
} from './index.js';
import { fillRandom, sameOnThreads } from './test-support.js';

/** Runs `f` on fresh copies of `inputs` and returns everything the blocks hold after it, concatenated. */
function outputs(inputs: Float32Array[], f: (...ptrs: number[]) => void): Float32Array {
  const blocks = inputs.map((a) => {
    const b = new F32Block(a.length);
    b.array.set(a);
    return b;
  });
  try {
    f(...blocks.map((b) => b.ptr));
    const out = new Float32Array(inputs.reduce((n, a) => n + a.length, 0));
    blocks.reduce((at, b) => (out.set(b.array, at), at + b.length), 0);
    return out;
  } finally {
    blocks.forEach((b) => b.free());
  }
}

const random = (n: number, seed: number, scale = 1): Float32Array => {
  const a = new Float32Array(n);
  fillRandom(a, seed);
  return a.map((v) => v * scale);
};

describe.runIf(threadsAvailable)('row kernels on 1, 2 and 3 threads', () => {
  const initial = getThreads();
  afterAll(() => setThreads(initial));

  it('the LSTM cell, forward and backward (each range of rows large enough for a thread)', () => {
    // Rows of 130 units end in a tail each thread stages on its own: repeated, so that threads sharing
    // one staging row would show.
    const [n, hidden] = [99, 130];
    const [z, state] = [random(4 * n * hidden, 1, 3), random(n * hidden, 2)];
    const repeated = (f: () => Float32Array): Float32Array => {
      const runs = Array.from({ length: 16 }, f);
      const all = new Float32Array(runs.length * runs[0]!.length);
      runs.forEach((r, i) => all.set(r, i * r.length));
      return all;
    };
    sameOnThreads(() =>
      repeated(() =>
        outputs([z, state, state, state, state], (zp, cPrev, c, h, tc) =>
          lstmCell(zp!, cPrev!, c!, h!, tc!, n, hidden),
        ),
      ),
    );
    const [dh, dc] = [random(n * hidden, 3), random(n * hidden, 4)];
    sameOnThreads(() =>
      repeated(() =>
        outputs([z, state, state, dh, dc, z], (gates, cPrev, tc, dhp, dcp, dz) =>
          lstmCellBackward(gates!, cPrev!, tc!, dhp!, dcp!, dz!, dcp!, n, hidden),
        ),
      ),
    );
  });

  it('softmax and the log-softmax gradient', () => {
    const [rows, cols] = [301, 170];
    const x = random(rows * cols, 5, 20);
    sameOnThreads(() => outputs([x, x], (xp, out) => softmaxRows(xp!, rows, cols, out!)));
    sameOnThreads(() =>
      outputs([x, random(rows * cols, 6), x], (g, y, out) => logSoftmaxRowsBackward(g!, y!, rows, cols, out!)),
    );
  });

  it('max and sum over rows, and their gradients', () => {
    const [rows, cols] = [700, 333];
    const x = random(rows * cols, 7);
    const g = random(rows, 8);
    sameOnThreads(() => outputs([x, g], (xp, out) => maxRows(xp!, rows, cols, out!)));
    sameOnThreads(() =>
      outputs([g, x, g, x], (gp, xp, y, out) => {
        maxRows(xp!, rows, cols, y!);
        maxRowsBackward(gp!, xp!, y!, rows, cols, out!);
      }),
    );
    sameOnThreads(() => outputs([x, g], (xp, out) => sumRows(xp!, rows, cols, out!, 3)));
    sameOnThreads(() => outputs([g, x], (gp, out) => broadcastRows(gp!, rows, cols, out!, 0.5)));
  });
});
