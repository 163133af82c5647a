"""PyTorch's side of bench/optim.ts: times foreach RMSprop and Adam on one thread, prints JSON.

usage: python3 bench/optim_torch.py '{"cases": [[n, tensors], ...], "warmup": 5, "reps": 7, "target_ms": 50}'
"""

import json
import os
import sys

import torch
from _timing import median_ms

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))  # the caller's BENCH_THREADS, else one
spec = json.loads(sys.argv[1])


optimizers = {
    # The same hyper-parameters as ours (decay 0.9, ε 1e-8 outside the root; Adam's defaults).
    "RMSprop": lambda ps: torch.optim.RMSprop(ps, lr=1e-3, alpha=0.9, eps=1e-8, foreach=True),
    "Adam": lambda ps: torch.optim.Adam(ps, lr=1e-3, foreach=True),
}
results = []
for n, tensors in spec["cases"]:
    size = n // tensors
    gen = torch.Generator().manual_seed(1)
    for name, make in optimizers.items():
        params = [torch.nn.Parameter(torch.zeros(size)) for _ in range(tensors)]
        for p in params:
            p.grad = torch.rand(size, generator=gen) * 2 - 1
        opt = make(params)
        ms = median_ms(opt.step, spec["warmup"], spec["reps"], spec["target_ms"])
        results.append({"optimizer": name, "n": n, "tensors": tensors, "ms": ms})
        del opt, params
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}))
