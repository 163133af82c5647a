// gruLayer's forward pass against a float64 GRU written from PyTorch's equations (gates r, z, n;
// n = tanh(x_n + r·(W_hn·h + b_hn)), the reset gate scaling the recurrent bias too; h' = (1 − z)·n + z·h),
// over random lengths 1–4, batches 1–3, inputs 1–5 and hidden sizes 1–6 (not multiples of four), with and
// without biases. The tolerance is a bound carried through the recurrence beside the reference: each
// share of a pre-activation is a float32 sum of its terms (γ bound) plus, for the recurrent share, what the
// error of h₋₁ makes through W_hh; σ and tanh (≤ 3 ulps, slopes ≤ 1/4 and 1) carry it to the gates, and
// n and h' add their products' roundings. Its gradient is checked by finite differences in gradcheck.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, gruLayer, scope } from '../index.js';
import { expectClose, seeded, TINY, U } from './test-support.js';

const sigma = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const small = (min: number, max: number) => fc.integer({ min, max });

describe('gruLayer', () => {
  it('matches a float64 GRU step by step', () => {
    fc.assert(
      fc.property(
        small(1, 4),
        small(1, 3),
        small(1, 5),
        small(1, 6),
        fc.boolean(),
        fc.nat(),
        (T, N, I, H, hasBias, seed) =>
          scope(() => {
            const G = 3 * H;
            const weights = { lo: -0.6, hi: 0.6 };
            const [xs, wih, whh, bih, bhh, h0] = [
              seeded(T * N * I, seed, { lo: -2, hi: 2 }),
              seeded(G * I, seed + 1, weights),
              seeded(G * H, seed + 2, weights),
              seeded(G, seed + 3, weights),
              seeded(G, seed + 4, weights),
              seeded(N * H, seed + 5),
            ];
            const out = gruLayer(
              fromArray(xs, [T, N, I]),
              fromArray(wih, [G, I]),
              hasBias ? fromArray(bih, [G]) : null,
              fromArray(whh, [G, H]),
              hasBias ? fromArray(bhh, [G]) : null,
              fromArray(h0, [N, H]),
            );
            expect(out.shape).toEqual([T, N, H]);
            const [want, tol] = [new Float64Array(T * N * H), new Float64Array(T * N * H)];
            let h = Float64Array.from(h0);
            let eh = new Float64Array(N * H); // error bounds of the float32 h of the previous step
            for (let t = 0; t < T; t++) {
              const [hn, ehn] = [new Float64Array(N * H), new Float64Array(N * H)];
              for (let b = 0; b < N; b++) {
                // The input's and the recurrent share of each gate, and bounds of their errors.
                const [xz, hz, ex, eh_] = [
                  new Float64Array(G),
                  new Float64Array(G),
                  new Float64Array(G),
                  new Float64Array(G),
                ];
                for (let r = 0; r < G; r++) {
                  let [mx, mh, carried] = [hasBias ? Math.abs(bih[r]!) : 0, 0, 0];
                  xz[r] = hasBias ? bih[r]! : 0;
                  for (let i = 0; i < I; i++) {
                    const v = xs[(t * N + b) * I + i]! * wih[r * I + i]!;
                    xz[r]! += v;
                    mx += Math.abs(v);
                  }
                  for (let j = 0; j < H; j++) {
                    const v = h[b * H + j]! * whh[r * H + j]!;
                    hz[r]! += v;
                    mh += Math.abs(v);
                    carried += Math.abs(whh[r * H + j]!) * eh[b * H + j]!;
                  }
                  const bias = hasBias ? bhh[r]! : 0;
                  hz[r]! += bias;
                  ex[r] = (I + 2) * U * mx;
                  eh_[r] = (H + 2) * U * (mh + Math.abs(bias)) + carried;
                }
                for (let u = 0; u < H; u++) {
                  const k = b * H + u;
                  const [kr, kz, kn] = [u, H + u, 2 * H + u];
                  const gate = (q: number) => {
                    const a = xz[q]! + hz[q]!;
                    const s = sigma(a);
                    return [s, (ex[q]! + eh_[q]! + U * Math.abs(a)) / 4 + 6 * U * s] as const;
                  };
                  const [[r, er], [z, ez]] = [gate(kr), gate(kz)];
                  const a = xz[kn]! + r * hz[kn]!;
                  const n = Math.tanh(a);
                  const en =
                    ex[kn]! +
                    r * eh_[kn]! +
                    Math.abs(hz[kn]!) * er +
                    3 * U * (Math.abs(xz[kn]!) + Math.abs(r * hz[kn]!)) +
                    6 * U * Math.abs(n);
                  hn[k] = (1 - z) * n + z * h[k]!;
                  ehn[k] =
                    (1 - z) * en +
                    z * eh[k]! +
                    Math.abs(h[k]! - n) * ez +
                    4 * U * (Math.abs(n) + Math.abs(z * (h[k]! - n)));
                  want[t * N * H + k] = hn[k]!;
                  // Twice the bound: it adds first-order terms, and the float32 values fed back differ slightly.
                  tol[t * N * H + k] = 2 * ehn[k]! + TINY;
                }
              }
              [h, eh] = [hn, ehn];
            }
            expectClose(
              out.toArray(),
              want,
              (k) => tol[k]!,
              `gruLayer ${JSON.stringify({ T, N, I, H, hasBias, seed })}`,
            );
          }),
      ),
      { numRuns: 150 },
    );
  });
});
