// rnnLayer's forward pass against a float64 Elman RNN (h' = act(W_ih·x + W_hh·h + b), act tanh or relu)
// over random lengths 1–4, batches 1–3, inputs 1–5 and hidden sizes 1–6, with and without bias. The
// tolerance is a bound carried through the recurrence beside the reference: each pre-activation is a
// float32 sum of in + H + 1 terms (γ bound) plus what the error of h₋₁ makes through W_hh; tanh (≤ 3 ulps,
// slope ≤ 1) and relu (exact, slope ≤ 1) carry it to h. Its gradient is checked by finite differences in
// gradcheck.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, rnnLayer, scope } from '../index.js';
import { expectClose, seeded, TINY, U } from './test-support.js';

const small = (min: number, max: number) => fc.integer({ min, max });

describe('rnnLayer', () => {
  it('matches a float64 RNN step by step, tanh and relu', () => {
    fc.assert(
      fc.property(
        small(1, 4),
        small(1, 3),
        small(1, 5),
        small(1, 6),
        fc.boolean(),
        fc.constantFrom('tanh', 'relu' as const),
        fc.nat(),
        (T, N, I, H, hasBias, nonlinearity, seed) =>
          scope(() => {
            const weights = { lo: -0.6, hi: 0.6 };
            const [xs, wih, whh, bs, h0] = [
              seeded(T * N * I, seed, { lo: -2, hi: 2 }),
              seeded(H * I, seed + 1, weights),
              seeded(H * H, seed + 2, weights),
              seeded(H, seed + 3, weights),
              seeded(N * H, seed + 4),
            ];
            const out = rnnLayer(
              fromArray(xs, [T, N, I]),
              fromArray(wih, [H, I]),
              hasBias ? fromArray(bs, [H]) : null,
              fromArray(whh, [H, H]),
              fromArray(h0, [N, H]),
              nonlinearity,
            );
            expect(out.shape).toEqual([T, N, H]);
            const [want, tol] = [new Float64Array(T * N * H), new Float64Array(T * N * H)];
            let h = Float64Array.from(h0);
            let eh = new Float64Array(N * H); // error bounds of the float32 h of the previous step
            for (let t = 0; t < T; t++) {
              const [hn, ehn] = [new Float64Array(N * H), new Float64Array(N * H)];
              for (let b = 0; b < N; b++) {
                for (let u = 0; u < H; u++) {
                  let a = hasBias ? bs[u]! : 0;
                  let [mag, carried] = [Math.abs(a), 0];
                  for (let i = 0; i < I; i++) {
                    const v = xs[(t * N + b) * I + i]! * wih[u * I + i]!;
                    a += v;
                    mag += Math.abs(v);
                  }
                  for (let j = 0; j < H; j++) {
                    const v = h[b * H + j]! * whh[u * H + j]!;
                    a += v;
                    mag += Math.abs(v);
                    carried += Math.abs(whh[u * H + j]!) * eh[b * H + j]!;
                  }
                  const k = b * H + u;
                  hn[k] = nonlinearity === 'tanh' ? Math.tanh(a) : Math.max(a, 0);
                  ehn[k] = (I + H + 2) * U * mag + carried + (nonlinearity === 'tanh' ? 6 * U * Math.abs(hn[k]!) : 0);
                  want[t * N * H + k] = hn[k]!;
                  // Twice the bound: the float32 values fed back differ slightly.
                  tol[t * N * H + k] = 2 * ehn[k]! + TINY;
                }
              }
              [h, eh] = [hn, ehn];
            }
            expectClose(
              out.toArray(),
              want,
              (k) => tol[k]!,
              `rnnLayer ${JSON.stringify({ T, N, I, H, hasBias, nonlinearity, seed })}`,
            );
          }),
      ),
      { numRuns: 150 },
    );
  });
});
