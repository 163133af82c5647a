// Single-precision GEMM, C ← α·op(A)·op(B) + β·C on row-major matrices, structured as in BLIS
// (Van Zee & van de Geijn 2015) and XNNPACK: panels of op(A) and op(B) are copied ("packed") into
// contiguous blocks that stay in the caches, and a micro-kernel keeps an MR × NR tile of C in registers
// while it runs down the shared dimension.
//
//   for jc over N by NC:            B block (KC × NC) lives in L3, its NR-wide slivers in L1
//     for pc over K by KC:          pack op(B)[pc.., jc..] into slivers of KC × NR
//       for ic over M by MC:        pack op(A)[ic.., pc..] into slivers of MR × KC (A block in L2)
//         for jr over NC by NR:
//           for ir over MC by MR:   micro-kernel: MR × NR tile of C += A sliver · B sliver
//
// Measured on the project's machine (Zen 5 at ~4.1 GHz, V8 in Node 20; see BENCHMARKS.md): a 4 × 8 tile
// (8 v128 accumulators) runs at ~50 GFLOP/s with A broadcast by `v128.load32_splat`, and at 60–63 GFLOP/s,
// over 90% of two multiplies and two adds of four lanes a cycle (~66 GFLOP/s), once A is packed already
// broadcast (each element stored as four copies): V8 does not fold the constant offset of a splat load
// into its address, so every broadcast cost an extra instruction, where a plain v128.load folds it. Larger
// tiles (6 × 8, 5 × 8, 4 × 12, 3 × 12) run at 25–35 GFLOP/s and 2 × 16 no faster: V8 issues all of a
// step's loads before its arithmetic, and their operands plus 10–12 accumulators exceed the 15 vector
// registers it allocates on x64, so it spills accumulators to the stack inside the loop. Unrolling the
// k loop spills for the same reason (~38 GFLOP/s). Block sizes matter little here (KC 128–512 and
// MC 48–192 all within noise of each other).
//
// Edges need no special kernel: packing pads the slivers with zeros, and a partial tile of C is computed
// into a scratch tile and merged element by element.

const MR: usize = 4; // rows of the register tile
const NR: usize = 8; // columns of the register tile: two v128
const KC: usize = 256; // depth of a packed block: a B sliver (KC × NR, 8 KB) stays in L1
const MC: usize = 96; // rows of a packed A block: MC × KC broadcast floats, 384 KB, stay in L2
const NC: usize = 1024; // columns of a packed B block: KC × NC, 1 MB

@inline function min(a: usize, b: usize): usize {
  return a < b ? a : b;
}

@inline function roundUp(a: usize, to: usize): usize {
  return ((a + to - 1) / to) * to;
}

@inline function align64(p: usize): usize {
  return (p + 63) & ~(63 as usize);
}

/**
 * The register tile: C[0..4, 0..8] ← α·Σₚ a[p]·b[p] + β·C over `kc` steps, with β = 0 not reading C.
 * `a` holds 4 broadcast v128 per step (64 bytes), `b` 8 floats per step (32 bytes); `ldc` is in bytes.
 */
function micro(kc: usize, a: usize, b: usize, c: usize, ldc: usize, alpha: f32, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // Relaxed-SIMD's fused multiply-add does not load in Node 20: a multiply and an add per product.
  for (let p: usize = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    const a0 = v128.load(a);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    const a1 = v128.load(a, 16);
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    const a2 = v128.load(a, 32);
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    const a3 = v128.load(a, 48);
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    a += 64;
    b += 32;
  }
  const av = f32x4.splat(alpha);
  const r1 = c + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
  if (beta == 0) {
    v128.store(c, f32x4.mul(c00, av));
    v128.store(c, f32x4.mul(c01, av), 16);
    v128.store(r1, f32x4.mul(c10, av));
    v128.store(r1, f32x4.mul(c11, av), 16);
    v128.store(r2, f32x4.mul(c20, av));
    v128.store(r2, f32x4.mul(c21, av), 16);
    v128.store(r3, f32x4.mul(c30, av));
    v128.store(r3, f32x4.mul(c31, av), 16);
  } else {
    const bv = f32x4.splat(beta);
    v128.store(c, f32x4.add(f32x4.mul(c00, av), f32x4.mul(v128.load(c), bv)));
    v128.store(c, f32x4.add(f32x4.mul(c01, av), f32x4.mul(v128.load(c, 16), bv)), 16);
    v128.store(r1, f32x4.add(f32x4.mul(c10, av), f32x4.mul(v128.load(r1), bv)));
    v128.store(r1, f32x4.add(f32x4.mul(c11, av), f32x4.mul(v128.load(r1, 16), bv)), 16);
    v128.store(r2, f32x4.add(f32x4.mul(c20, av), f32x4.mul(v128.load(r2), bv)));
    v128.store(r2, f32x4.add(f32x4.mul(c21, av), f32x4.mul(v128.load(r2, 16), bv)), 16);
    v128.store(r3, f32x4.add(f32x4.mul(c30, av), f32x4.mul(v128.load(r3), bv)));
    v128.store(r3, f32x4.add(f32x4.mul(c31, av), f32x4.mul(v128.load(r3, 16), bv)), 16);
  }
}

/**
 * Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into slivers of MR rows: sliver s, step p, row i at
 * dst + ((s·kc + p)·MR + i)·16, each element broadcast to four lanes; rows past mc are zero.
 */
function packA(trans: bool, a: usize, lda: usize, i0: usize, p0: usize, mc: usize, kc: usize, dst: usize): void {
  const step: usize = MR << 4;
  for (let ir: usize = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    if (!trans) {
      // op(A)[r, p] = a[r·lda + p]: each row is contiguous in p.
      for (let i: usize = 0; i < MR; i++) {
        let d = dst + (i << 4);
        if (i < mr) {
          let s = a + (((i0 + ir + i) * lda + p0) << 2);
          for (let p: usize = 0; p < kc; p++, s += 4, d += step) v128.store(d, v128.load32_splat(s));
        } else {
          for (let p: usize = 0; p < kc; p++, d += step) v128.store(d, i32x4.splat(0));
        }
      }
    } else {
      // op(A)[r, p] = a[p·lda + r]: each step's MR rows are contiguous.
      let d = dst;
      for (let p: usize = 0; p < kc; p++, d += step) {
        const s = a + (((p0 + p) * lda + i0 + ir) << 2);
        for (let i: usize = 0; i < MR; i++) {
          v128.store(d + (i << 4), i < mr ? v128.load32_splat(s + (i << 2)) : i32x4.splat(0));
        }
      }
    }
    dst += kc * step;
  }
}

/**
 * Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into slivers of NR columns: sliver s, step p, column j at
 * dst + ((s·kc + p)·NR + j)·4; columns past nc are zero.
 */
function packB(trans: bool, b: usize, ldb: usize, p0: usize, j0: usize, kc: usize, nc: usize, dst: usize): void {
  const step: usize = NR << 2;
  for (let jr: usize = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    if (!trans) {
      // op(B)[p, j] = b[p·ldb + j]: each step's NR columns are contiguous.
      let d = dst;
      for (let p: usize = 0; p < kc; p++, d += step) {
        const s = b + (((p0 + p) * ldb + j0 + jr) << 2);
        if (nr == NR) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        } else {
          for (let j: usize = 0; j < NR; j++) store<f32>(d + (j << 2), j < nr ? load<f32>(s + (j << 2)) : 0);
        }
      }
    } else if (nr == NR) {
      // op(B)[p, j] = b[j·ldb + p]: each column is contiguous in p, so a whole sliver moves four steps
      // at a time as two 4 × 4 transposes (a scalar copy per element cost ~1.8 ms of a 28-step LSTM).
      const col = ldb << 2;
      const s = b + (((j0 + jr) * ldb + p0) << 2);
      let d = dst;
      let p: usize = 0;
      for (; p + 4 <= kc; p += 4, d += step << 2) {
        transpose4(s + (p << 2), col, d, step);
        transpose4(s + (p << 2) + (col << 2), col, d + 16, step);
      }
      for (; p < kc; p++, d += step) {
        for (let j: usize = 0; j < NR; j++) store<f32>(d + (j << 2), load<f32>(s + j * col + (p << 2)));
      }
    } else {
      for (let j: usize = 0; j < NR; j++) {
        let d = dst + (j << 2);
        if (j < nr) {
          let s = b + (((j0 + jr + j) * ldb + p0) << 2);
          for (let p: usize = 0; p < kc; p++, s += 4, d += step) store<f32>(d, load<f32>(s));
        } else {
          for (let p: usize = 0; p < kc; p++, d += step) store<f32>(d, 0);
        }
      }
    }
    dst += kc * step;
  }
}

/**
 * Four columns of four steps (at src, src + col, … : column i holds steps 0–3) stored as four steps of
 * four columns (at dst, dst + step, …).
 */
@inline function transpose4(src: usize, col: usize, dst: usize, step: usize): void {
  const r0 = v128.load(src), r1 = v128.load(src + col), r2 = v128.load(src + 2 * col), r3 = v128.load(src + 3 * col);
  const lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5));
  v128.store(dst + step, v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7));
  v128.store(dst + 2 * step, v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5));
  v128.store(dst + 3 * step, v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7));
}

/** C ← β·C, where β = 0 writes zeros without reading C (it may hold NaN). */
function scale(m: usize, n: usize, beta: f32, c: usize, ldc: usize): void {
  for (let i: usize = 0; i < m; i++) {
    const row = c + ((i * ldc) << 2);
    for (let j: usize = 0; j < n; j++) {
      const q = row + (j << 2);
      store<f32>(q, beta == 0 ? 0 : beta * load<f32>(q));
    }
  }
}

// The workspace: the packed B block, then the packed A block, then one MR × NR tile, each 64-aligned.
@inline function bBytes(n: usize, kc: usize): usize {
  return (kc * roundUp(min(n, NC), NR)) << 2;
}
@inline function aBytes(m: usize, kc: usize): usize {
  return (kc * roundUp(min(m, MC), MR)) << 4;
}

/** Bytes of workspace `gemm` needs for these sizes (at most about 1.4 MB), from any address. */
export function gemmWorkspace(m: usize, n: usize, k: usize): usize {
  const kc = min(k, KC);
  return 64 + align64(bBytes(n, kc)) + align64(aBytes(m, kc)) + ((MR * NR) << 2);
}

/**
 * C ← α·op(A)·op(B) + β·C for row-major matrices: op(A) is m × k, op(B) k × n, C m × n; op transposes
 * when its flag is set (A is then stored k × m, B n × k). Leading dimensions count floats; pointers and
 * `work` (gemmWorkspace(m, n, k) bytes) are byte offsets. β = 0 never reads C; α = 0 or k = 0 never reads
 * A or B (as in BLAS). The host checks the arguments.
 */
export function gemm(
  transA: bool, transB: bool, m: usize, n: usize, k: usize, alpha: f32, a: usize, lda: usize,
  b: usize, ldb: usize, beta: f32, c: usize, ldc: usize, work: usize,
): void {
  if (m == 0 || n == 0) return;
  if (alpha == 0 || k == 0) {
    if (beta != 1) scale(m, n, beta, c, ldc);
    return;
  }
  // Equal depth blocks (k = 257 → 129 + 128, not 256 + 1), none deeper than KC.
  const kBlocks = (k + KC - 1) / KC;
  const kStep = (k + kBlocks - 1) / kBlocks;
  const bp = align64(work);
  const ap = align64(bp + bBytes(n, kStep));
  const tile = align64(ap + aBytes(m, kStep));
  for (let jc: usize = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc: usize = 0; pc < k; pc += kStep) {
      const kc = min(kStep, k - pc);
      packB(transB, b, ldb, pc, jc, kc, nc, bp);
      // The first depth block applies β; the others add to what it left.
      const bt: f32 = pc == 0 ? beta : 1;
      for (let ic: usize = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(transA, a, lda, ic, pc, mc, kc, ap);
        for (let jr: usize = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bSliver = bp + ((jr * kc) << 2);
          for (let ir: usize = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const aSliver = ap + ((ir * kc) << 4);
            const cp = c + (((ic + ir) * ldc + jc + jr) << 2);
            if (mr == MR && nr == NR) {
              micro(kc, aSliver, bSliver, cp, ldc << 2, alpha, bt);
            } else {
              micro(kc, aSliver, bSliver, tile, NR << 2, 1, 0);
              for (let i: usize = 0; i < mr; i++) {
                for (let j: usize = 0; j < nr; j++) {
                  const q = cp + ((i * ldc + j) << 2);
                  const t = alpha * load<f32>(tile + ((i * NR + j) << 2));
                  store<f32>(q, bt == 0 ? t : t + bt * load<f32>(q));
                }
              }
            }
          }
        }
      }
    }
  }
}
