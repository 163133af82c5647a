"""PyTorch's side of bench/kernels.ts: times torch.mm on one thread, prints JSON.

usage: python3 bench/kernels_torch.py '{"cases": [[m, n, k, transA, transB], ...], "reps": 7, "target_ms": 100}'
A transposed operand is stored as ours is (A k × m, B n × k, row-major) and passed as a transposed view,
which MKL takes without a copy; C is preallocated (out=), so no allocation is timed.
"""

import json
import os
import sys

import torch
from _timing import median_ms

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))  # the caller's BENCH_THREADS, else one
spec = json.loads(sys.argv[1])


gen = torch.Generator().manual_seed(1)
results = []
for m, n, k, trans_a, trans_b in spec["cases"]:
    a = torch.rand((k, m) if trans_a else (m, k), generator=gen) * 2 - 1
    b = torch.rand((n, k) if trans_b else (k, n), generator=gen) * 2 - 1
    c = torch.empty(m, n)
    op_a = a.t() if trans_a else a
    op_b = b.t() if trans_b else b
    ms = median_ms(lambda: torch.mm(op_a, op_b, out=c), 3, spec["reps"], spec["target_ms"])
    results.append({"m": m, "n": n, "k": k, "transA": trans_a, "transB": trans_b, "ms": ms})
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}))
