/**
 * C ← α·op(A)·op(B) + β·C on row-major Float32Arrays with leading dimensions and element offsets:
 * the one matrix product every op goes through (matmul, its gradients, convolutions).
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
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        s += a[aOff + (transA ? p * lda + i : i * lda + p)]! * b[bOff + (transB ? j * ldb + p : p * ldb + j)]!;
      }
      const at = cOff + i * ldc + j;
      c[at] = alpha * s + (beta === 0 ? 0 : beta * c[at]!);
    }
  }
}
