import { gemm as kernel } from '../../kernels/index.js';

/**
 * C ← α·op(A)·op(B) + β·C for row-major matrices given as views of tensors (in the kernels' memory)
 * with element offsets and leading dimensions: the one matrix product every op goes through (matmul,
 * its gradients, convolutions), run by the packed SIMD kernel.
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
    lda,
    b.byteOffset + 4 * bOff,
    ldb,
    beta,
    c.byteOffset + 4 * cOff,
    ldc,
  );
}
