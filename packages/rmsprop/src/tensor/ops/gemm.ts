import { gemm as kernel } from '../../kernels/index.js';

/**
 * C ← α·op(A)·op(B) + β·C for row-major matrices given as views of tensors (in the kernels' memory)
 * with element offsets and leading dimensions: the one matrix product every op goes through (matmul,
 * its gradients, convolutions), run by the packed SIMD kernel. A leading dimension may be 0 where its
 * rows are empty (a matmul with an empty inner dimension gives β·C, zeros, as in PyTorch): BLAS and the
 * kernel want at least 1 there, and never read it.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  beta: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  kernel(
    transA,
    transB,
    m,
    n,
    k,
    alpha,
    a.byteOffset + 4 * aOff,
    Math.max(lda, 1),
    b.byteOffset + 4 * bOff,
    Math.max(ldb, 1),
    beta,
    c.byteOffset + 4 * cOff,
    Math.max(ldc, 1),
  );
}
