"""PyTorch's side of bench/conv.ts: one thread, prints JSON.

usage: python3 bench/conv_torch.py '{"batch": 128, "reps": 5, "target_ms": 300}'
Times conv2d forward and forward+backward at the two layer shapes of the 2c2d network, and a whole
forward+backward step of that network (gradients set to None between steps, as zero_grad does).
"""

import json
import os
import sys

import torch
from _timing import median_ms
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))  # the caller's BENCH_THREADS, else one
spec = json.loads(sys.argv[1])
n = spec["batch"]


gen = torch.Generator().manual_seed(1)


def timed(call):
    return median_ms(call, 2, spec["reps"], spec["target_ms"])


def rand(*shape, grad=False):
    return (torch.rand(shape, generator=gen) * 2 - 1).requires_grad_(grad)


def conv_case(c_in, c_out, hw):
    x = rand(n, c_in, hw, hw, grad=True)
    w = rand(c_out, c_in, 5, 5, grad=True)
    b = rand(c_out, grad=True)

    def forward():
        with torch.no_grad():
            F.conv2d(x, w, b, padding=2)

    def both():
        x.grad = w.grad = b.grad = None
        F.conv2d(x, w, b, padding=2).sum().backward()

    return {"forward": timed(forward), "both": timed(both)}


def network():
    x = rand(n, 1, 28, 28)
    y = torch.randint(0, 10, (n,), generator=gen)
    params = [rand(32, 1, 5, 5, grad=True), rand(32, grad=True), rand(64, 32, 5, 5, grad=True), rand(64, grad=True),
              rand(3136, 1024, grad=True), rand(1024, grad=True), rand(1024, 10, grad=True), rand(10, grad=True)]
    w1, b1, w2, b2, w3, b3, w4, b4 = params

    def step():
        for p in params:
            p.grad = None
        h = F.max_pool2d(F.relu(F.conv2d(x, w1, b1, padding=2)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, w2, b2, padding=2)), 2)
        h = F.relu(h.reshape(n, 3136) @ w3 + b3)
        F.cross_entropy(h @ w4 + b4, y).backward()

    return timed(step)


print(json.dumps({
    "torch": torch.__version__,
    "conv1": conv_case(1, 32, 28),
    "conv2": conv_case(32, 64, 14),
    "network": network(),
}))
