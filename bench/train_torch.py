"""PyTorch's side of bench/train.ts: one training step of a reference model, one thread, prints JSON.

usage: python3 bench/train_torch.py '{"model": "fmnist_2c2d", "batch": 128, "reps": 7, "target_ms": 300}'
Times the forward (with the graph recorded), forward + backward, the optimizer step alone and a whole step
(zero_grad, forward, cross-entropy, backward, RMSprop lr 1e-3 alpha 0.9) on a fixed random batch, and the
process's peak RSS (and its RSS before the model was built) in MiB.
"""

import json
import os
import resource
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from _timing import median_ms


def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


class LastStep(nn.Module):
    """fmnist_lstm's and fmnist_gru's model: the 28 rows of an image through `recurrent` (128 units), a dense
    layer of 10 on the last step."""

    def __init__(self, recurrent):
        super().__init__()
        self.recurrent = recurrent(28, 128, batch_first=True)
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        h, _ = self.recurrent(x.reshape(x.shape[0], 28, 28))
        return self.head(h[:, -1])


def build(name):
    if name == "fmnist_mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 1000), nn.ReLU(), nn.Linear(1000, 500), nn.ReLU(),
                             nn.Linear(500, 100), nn.ReLU(), nn.Linear(100, 10))
    if name == "fmnist_2c2d":
        return nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(3136, 1024), nn.ReLU(), nn.Linear(1024, 10))
    if name == "fmnist_lstm":
        return LastStep(nn.LSTM)
    if name == "fmnist_gru":
        return LastStep(nn.GRU)
    raise ValueError(f"unknown model {name}")


torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))  # the caller's BENCH_THREADS, else one
spec = json.loads(sys.argv[1])
n = spec["batch"]
rss_base = rss_mib()
torch.manual_seed(0)
model = build(spec["model"])
opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-8)
x = torch.rand(n, 1, 28, 28)
y = torch.arange(n) % 10


def timed(call):
    return median_ms(call, 3, spec["reps"], spec["target_ms"])


def forward():
    opt.zero_grad()
    return F.cross_entropy(model(x), y)


def step():
    forward().backward()
    opt.step()


fwd = timed(forward)
fwd_bwd = timed(lambda: forward().backward())
whole = timed(step)
optimizer = timed(opt.step)
print(json.dumps({
    "torch": torch.__version__,
    "forward": fwd,
    "backward": fwd_bwd - fwd,
    "optimizer": optimizer,
    "step": whole,
    "heapPeak": None,
    "wasmMemory": None,
    "rssPeak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "rssBase": rss_base,
}))
