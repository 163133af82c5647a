// lstmLayer's forward pass against a float64 LSTM written from PyTorch's equations (gates i, f, g, o;
// c = f·c₋₁ + i·g; h = o·tanh c), over random lengths 1–4, batches 1–3, inputs 1–5 and hidden sizes 1–6
// (not multiples of four), with and without bias. The tolerance is a bound carried through the recurrence
// beside the reference: each pre-activation is a float32 sum of in + H + 1 terms (γ bound) plus what the
// error of h₋₁ makes through W_hh; σ and tanh (≤ 3 ulps, slopes ≤ 1/4 and 1) carry it to the gates; c and h
// add their products' roundings. Its gradient is checked by finite differences in gradcheck.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, lstmLayer, scope } from '../index.js';
import { expectClose, seeded, TINY, U } from './test-support.js';

const sigma = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const small = (min: number, max: number) => fc.integer({ min, max });

describe('lstmLayer', () => {
  it('matches a float64 LSTM step by step, hidden and cell states', () => {
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
            const G = 4 * H;
            const weights = { lo: -0.6, hi: 0.6 };
            const [xs, wih, whh, bs, h0, c0] = [
              seeded(T * N * I, seed, { lo: -2, hi: 2 }),
              seeded(G * I, seed + 1, weights),
              seeded(G * H, seed + 2, weights),
              seeded(G, seed + 3, weights),
              seeded(N * H, seed + 4),
              seeded(N * H, seed + 5),
            ];
            const out = lstmLayer(
              fromArray(xs, [T, N, I]),
              fromArray(wih, [G, I]),
              hasBias ? fromArray(bs, [G]) : null,
              fromArray(whh, [G, H]),
              fromArray(h0, [N, H]),
              fromArray(c0, [N, H]),
            );
            expect(out.shape).toEqual([2, T, N, H]);
            const [want, tol] = [new Float64Array(2 * T * N * H), new Float64Array(2 * T * N * H)];
            let [h, c] = [Float64Array.from(h0), Float64Array.from(c0)];
            // Error bounds of the float32 h and c of the previous step (the initial ones are exact).
            let [eh, ec] = [new Float64Array(N * H), new Float64Array(N * H)];
            for (let t = 0; t < T; t++) {
              const [hn, cn] = [new Float64Array(N * H), new Float64Array(N * H)];
              const [ehn, ecn] = [new Float64Array(N * H), new Float64Array(N * H)];
              for (let b = 0; b < N; b++) {
                // Pre-activations, their Σ|term| and the part of their error that h₋₁'s error makes.
                const [z, mag, carried] = [new Float64Array(G), new Float64Array(G), new Float64Array(G)];
                for (let r = 0; r < G; r++) {
                  z[r] = hasBias ? bs[r]! : 0;
                  mag[r] = Math.abs(z[r]!);
                  for (let i = 0; i < I; i++) {
                    const v = xs[(t * N + b) * I + i]! * wih[r * I + i]!;
                    z[r]! += v;
                    mag[r]! += Math.abs(v);
                  }
                  for (let j = 0; j < H; j++) {
                    const v = h[b * H + j]! * whh[r * H + j]!;
                    z[r]! += v;
                    mag[r]! += Math.abs(v);
                    carried[r]! += Math.abs(whh[r * H + j]!) * eh[b * H + j]!;
                  }
                }
                for (let u = 0; u < H; u++) {
                  const k = b * H + u;
                  const [zi, zf, zg, zo] = [u, H + u, 2 * H + u, 3 * H + u];
                  const [gi, gf, gg, go] = [sigma(z[zi]!), sigma(z[zf]!), Math.tanh(z[zg]!), sigma(z[zo]!)];
                  const ez = (r: number) => (I + H + 2) * U * mag[r]! + carried[r]!;
                  const [ei, ef, eg, eo] = [
                    ez(zi) / 4 + 6 * U * gi,
                    ez(zf) / 4 + 6 * U * gf,
                    ez(zg) + 6 * U * Math.abs(gg),
                    ez(zo) / 4 + 6 * U * go,
                  ];
                  cn[k] = gf * c[k]! + gi * gg;
                  ecn[k] =
                    gf * ec[k]! +
                    Math.abs(c[k]!) * ef +
                    gi * eg +
                    Math.abs(gg) * ei +
                    3 * U * (Math.abs(gf * c[k]!) + Math.abs(gi * gg));
                  const tc = Math.tanh(cn[k]!);
                  hn[k] = go * tc;
                  ehn[k] = go * (ecn[k]! + 6 * U * Math.abs(tc)) + Math.abs(tc) * eo + U * Math.abs(hn[k]!);
                  want[t * N * H + k] = hn[k]!;
                  want[(T + t) * N * H + k] = cn[k]!;
                  // Twice the bound: it adds first-order terms, and the float32 values fed back differ slightly.
                  tol[t * N * H + k] = 2 * ehn[k]! + TINY;
                  tol[(T + t) * N * H + k] = 2 * ecn[k]! + TINY;
                }
              }
              [h, c, eh, ec] = [hn, cn, ehn, ecn];
            }
            expectClose(
              out.toArray(),
              want,
              (k) => tol[k]!,
              `lstmLayer ${JSON.stringify({ T, N, I, H, hasBias, seed })}`,
            );
          }),
      ),
      { numRuns: 150 },
    );
  });
});
