"""Tensor-op fixtures from torch.nn.functional (format "rmsprop-op/1", fixtures/ops/).

For each case: draw float32 inputs (seeded from the case and argument names), call
    out = torch.nn.functional.<op>(**inputs, **options)
in float64 with every differentiable float input requiring grad, then out.backward(grad_output) with a seeded
N(0, 1) float32 upstream gradient. Inputs and grad_output are stored exactly (they are float32 values); the
output and the gradients are computed in float64 and rounded to float32 once, at the end.

Conditioning check: every case is rerun in float32 by PyTorch from the same inputs, and the worst
|float32 - fixture| / (abs + rel |fixture|) must stay below MAX_RATIO, so that a float32 implementation that
sums in a different order still lands well inside the tolerance. `--verbose` prints it for each case.

Max pooling inputs are distinct values at least ~1/n apart, so no window has a tie and the gradient (routed
to the arg max) is unambiguous in float32 too.

Usage: python3 tools/golden/pytorch_ops.py [--verbose]
"""

import os
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F

import common as C

REFERENCE = f"torch {torch.__version__.split('+')[0]}"
OPS = os.path.join(C.FIXTURES, "ops")
TOLERANCE = {"rel": 1e-4, "abs": 1e-5}
# A float32 rerun must stay below this fraction of the tolerance. The tightest cases are conv2d weight gradients
# (sums of N * H_out * W_out ~ 100-400 products, values up to ~40): PyTorch's float32 and a naive sequential float32
# sum both land at ~0.13 of rel 1e-4 / abs 1e-5, so the default tolerance is kept for every case.
MAX_RATIO = 0.25
# Float inputs that are not differentiated (targets and class weights of the logit loss).
NO_GRAD = {"binary_cross_entropy_with_logits": {"target", "pos_weight"}}


# ------------------------------------------------------------------ input specifications (drawn per argument)
def normal(*shape, scale=1.0, loc=0.0):
    return lambda rng: (loc + scale * rng.normal(0.0, 1.0, shape)).astype(np.float32)


def uniform(*shape, lo=-1.0, hi=1.0):
    return lambda rng: rng.uniform(lo, hi, shape).astype(np.float32)


def conv_weight(*shape):
    """torch's default Conv2d init range: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in/groups * kh * kw."""
    bound = 1.0 / np.sqrt(int(np.prod(shape[1:])))
    return uniform(*shape, lo=-bound, hi=bound)


def distinct(*shape):
    """A random permutation of n evenly spaced values in [-2, 2): no ties anywhere."""
    n = int(np.prod(shape))
    return lambda rng: (rng.permutation(n).reshape(shape) * (4.0 / n) - 2.0).astype(np.float32)


def ints(*shape, hi, force=None):
    """int32 values in [0, hi); force: {flat index: value} set after drawing (ignored targets, repeats)."""
    def make(rng):
        a = rng.integers(0, hi, shape).astype(np.int32)
        for i, v in (force or {}).items():
            a.flat[i] = v
        return a
    return make


def logits_with_extremes(*shape):
    """N(0, 2) logits with a few of magnitude 20-40, where a naive log(1 + exp(x)) loses float32 precision."""
    def make(rng):
        a = rng.normal(0.0, 2.0, shape)
        idx = rng.choice(a.size, size=max(2, a.size // 6), replace=False)
        a.flat[idx] = rng.choice([-1.0, 1.0], idx.size) * rng.uniform(20.0, 40.0, idx.size)
        return a.astype(np.float32)
    return make


def soft_labels(*shape):
    """Targets in [0, 1]: half hard 0/1 labels, half soft."""
    def make(rng):
        hard = rng.integers(0, 2, shape).astype(np.float64)
        soft = rng.uniform(0.0, 1.0, shape)
        return np.where(rng.uniform(0.0, 1.0, shape) < 0.5, hard, soft).astype(np.float32)
    return make


def case(name, op, options, inputs, tol=None):
    return {"name": name, "op": op, "options": options, "inputs": inputs, "tolerance": tol or TOLERANCE}


# ------------------------------------------------------------------ cases
def cases():
    c = case
    x349 = normal(3, 4, 9, 7)
    x1311 = normal(1, 3, 13, 11)
    out = [
        # conv2d: input [N, C_in, H, W], weight [C_out, C_in / groups, kh, kw], bias [C_out].
        c("conv2d_k3", "conv2d", {},
          {"input": x349, "weight": conv_weight(5, 4, 3, 3), "bias": uniform(5, lo=-0.5, hi=0.5)}),
        c("conv2d_k3_pad1_nobias", "conv2d", {"padding": 1},
          {"input": x1311, "weight": conv_weight(5, 3, 3, 3)}),
        # 10 + 2 - 3 = 9 is odd: the last padded row/column is never read (its input gradient is 0).
        c("conv2d_k3_stride2_pad1", "conv2d", {"stride": 2, "padding": 1},
          {"input": normal(3, 4, 10, 8), "weight": conv_weight(6, 4, 3, 3), "bias": uniform(6, lo=-0.5, hi=0.5)}),
        c("conv2d_k5_stride2x1_pad2x0", "conv2d", {"stride": [2, 1], "padding": [2, 0]},
          {"input": x1311, "weight": conv_weight(5, 3, 5, 5), "bias": uniform(5, lo=-0.5, hi=0.5)}),
        c("conv2d_k1_stride2", "conv2d", {"stride": 2},
          {"input": normal(3, 5, 7, 9), "weight": conv_weight(3, 5, 1, 1), "bias": uniform(3, lo=-0.5, hi=0.5)}),
        c("conv2d_k2x3", "conv2d", {},
          {"input": normal(3, 3, 9, 7), "weight": conv_weight(4, 3, 2, 3), "bias": uniform(4, lo=-0.5, hi=0.5)}),
        c("conv2d_k3_dilation2_pad2", "conv2d", {"padding": 2, "dilation": 2},
          {"input": x1311, "weight": conv_weight(5, 3, 3, 3), "bias": uniform(5, lo=-0.5, hi=0.5)}),
        c("conv2d_k3_groups2_pad1", "conv2d", {"padding": 1, "groups": 2},
          {"input": x349, "weight": conv_weight(6, 2, 3, 3), "bias": uniform(6, lo=-0.5, hi=0.5)}),
        c("conv2d_depthwise_k3_stride2_pad1", "conv2d", {"stride": 2, "padding": 1, "groups": 5},
          {"input": normal(3, 5, 9, 7), "weight": conv_weight(5, 1, 3, 3), "bias": uniform(5, lo=-0.5, hi=0.5)}),
        # groups = in_channels with 2 output channels per input channel (depth multiplier 2).
        c("conv2d_depthwise_multiplier2_nobias", "conv2d", {"groups": 3},
          {"input": x1311, "weight": conv_weight(6, 1, 3, 3)}),
        c("conv2d_same_k3", "conv2d", {"padding": "same"},
          {"input": x349, "weight": conv_weight(5, 4, 3, 3), "bias": uniform(5, lo=-0.5, hi=0.5)}),
        # 'same' with an even kernel height: total padding dilation*(k-1) = 1 is odd; torch puts 0 rows on top
        # and 1 at the bottom (the extra one on the high side). Width: 2*(3-1) = 4, i.e. 2 and 2.
        c("conv2d_same_k2x3_dilation1x2", "conv2d", {"padding": "same", "dilation": [1, 2]},
          {"input": x1311, "weight": conv_weight(5, 3, 2, 3), "bias": uniform(5, lo=-0.5, hi=0.5)}),
        c("conv2d_k5_groups2_stride2x1_pad2x0_dilation2", "conv2d",
          {"stride": [2, 1], "padding": [2, 0], "dilation": 2, "groups": 2},
          {"input": normal(3, 4, 13, 11), "weight": conv_weight(4, 2, 5, 5), "bias": uniform(4, lo=-0.5, hi=0.5)}),

        # max_pool2d (stride defaults to kernel_size; padding is -inf).
        c("max_pool2d_k2", "max_pool2d", {"kernel_size": 2},
          {"input": distinct(3, 5, 9, 7)}),
        c("max_pool2d_k3_stride2_pad1", "max_pool2d", {"kernel_size": 3, "stride": 2, "padding": 1},
          {"input": distinct(1, 3, 13, 11)}),
        c("max_pool2d_k3x2_stride1x2", "max_pool2d", {"kernel_size": [3, 2], "stride": [1, 2]},
          {"input": distinct(3, 4, 9, 7)}),
        c("max_pool2d_k3_stride2_pad1_dilation2", "max_pool2d",
          {"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 2},
          {"input": distinct(1, 3, 13, 11)}),
        # (10 - 3) / 2 and (8 - 3) / 2 are not whole: ceil_mode adds a last, partial window.
        c("max_pool2d_k3_stride2_ceil", "max_pool2d", {"kernel_size": 3, "stride": 2, "ceil_mode": True},
          {"input": distinct(3, 2, 10, 8)}),
        # ceil would give 4 x 5 windows, but a window must start inside the input or the left padding:
        # (out - 1) * stride >= in + padding drops the last one, so the output is 3 x 4.
        c("max_pool2d_k2_stride3_pad1_ceil_dropped", "max_pool2d",
          {"kernel_size": 2, "stride": 3, "padding": 1, "ceil_mode": True},
          {"input": distinct(1, 3, 7, 10)}),

        # avg_pool2d.
        c("avg_pool2d_k2", "avg_pool2d", {"kernel_size": 2},
          {"input": normal(3, 5, 9, 7)}),
        c("avg_pool2d_k3_stride2_pad1", "avg_pool2d", {"kernel_size": 3, "stride": 2, "padding": 1},
          {"input": normal(1, 3, 13, 11)}),
        c("avg_pool2d_k3_stride2_pad1_exclude_pad", "avg_pool2d",
          {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
          {"input": normal(1, 3, 13, 11)}),
        # No padding: the partial last windows divide by the number of input elements they cover.
        c("avg_pool2d_k3_stride2_ceil", "avg_pool2d", {"kernel_size": 3, "stride": 2, "ceil_mode": True},
          {"input": normal(3, 2, 10, 8)}),
        # The last windows start on the last input row/column and cover it, one padding element and one
        # element past the padding: with count_include_pad the divisor counts the first two (2, not 3 or 1).
        c("avg_pool2d_k3_stride2_pad1_ceil", "avg_pool2d",
          {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
          {"input": normal(3, 2, 6, 8)}),
        c("avg_pool2d_k3_stride2_pad1_ceil_exclude_pad", "avg_pool2d",
          {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False},
          {"input": normal(3, 2, 6, 8)}),

        # cross_entropy: input logits [N, C] or [N, C, L], target class indices.
        c("cross_entropy_n7_c10_mean", "cross_entropy", {"reduction": "mean"},
          {"input": normal(7, 10, scale=2.0), "target": ints(7, hi=10)}),
        c("cross_entropy_n7_c3_sum", "cross_entropy", {"reduction": "sum"},
          {"input": normal(7, 3, scale=2.0), "target": ints(7, hi=3)}),
        c("cross_entropy_n1_c3_none", "cross_entropy", {"reduction": "none"},
          {"input": normal(1, 3, scale=2.0), "target": ints(1, hi=3)}),
        c("cross_entropy_n7_c10_label_smoothing", "cross_entropy", {"reduction": "mean", "label_smoothing": 0.1},
          {"input": normal(7, 10, scale=2.0), "target": ints(7, hi=10)}),
        # Mean over the 4 targets that are not ignored (not over 7).
        c("cross_entropy_n7_c3_ignore_index", "cross_entropy", {"reduction": "mean", "ignore_index": 2},
          {"input": normal(7, 3, scale=2.0), "target": ints(7, hi=2, force={1: 2, 4: 2, 5: 2})}),
        c("cross_entropy_n7_c10_ignore_index_label_smoothing", "cross_entropy",
          {"reduction": "mean", "label_smoothing": 0.1, "ignore_index": 2},
          {"input": normal(7, 10, scale=2.0), "target": ints(7, hi=10, force={0: 2, 3: 2, 6: 1})}),
        c("cross_entropy_n7_c10_ignore_index_none", "cross_entropy",
          {"reduction": "none", "label_smoothing": 0.1, "ignore_index": 2},
          {"input": normal(7, 10, scale=2.0), "target": ints(7, hi=10, force={0: 2, 3: 2, 6: 1})}),
        c("cross_entropy_sequence_n3_c5_l4", "cross_entropy", {"reduction": "mean"},
          {"input": normal(3, 5, 4, scale=2.0), "target": ints(3, 4, hi=5)}),

        # log_softmax / softmax. The offset-100, scale-20 case overflows a float32 exp() that does not
        # subtract the max first.
        c("log_softmax_dim1", "log_softmax", {"dim": 1}, {"input": normal(3, 5, 4, scale=2.0)}),
        c("log_softmax_dim-1_large", "log_softmax", {"dim": -1}, {"input": normal(7, 10, scale=20.0, loc=100.0)}),
        c("softmax_dim-1", "softmax", {"dim": -1}, {"input": normal(3, 5, 4, scale=2.0)}),
        c("softmax_dim1_large", "softmax", {"dim": 1}, {"input": normal(3, 5, 4, scale=20.0, loc=100.0)}),

        # mse_loss (target also gets a gradient: it is an ordinary float input).
        c("mse_loss_mean", "mse_loss", {"reduction": "mean"},
          {"input": normal(3, 5, 4), "target": normal(3, 5, 4)}),
        c("mse_loss_sum", "mse_loss", {"reduction": "sum"},
          {"input": normal(7, 3), "target": normal(7, 3)}),

        # binary_cross_entropy_with_logits: pos_weight [C] broadcasts over the last dimension and scales the
        # target * log(sigmoid(x)) term. Targets and pos_weight get no gradient.
        c("binary_cross_entropy_with_logits_mean", "binary_cross_entropy_with_logits", {"reduction": "mean"},
          {"input": logits_with_extremes(7, 5), "target": soft_labels(7, 5)}),
        c("binary_cross_entropy_with_logits_pos_weight", "binary_cross_entropy_with_logits", {"reduction": "mean"},
          {"input": logits_with_extremes(7, 5), "target": soft_labels(7, 5),
           "pos_weight": uniform(5, lo=0.5, hi=3.0)}),

        # embedding: input = int32 indices, weight [11, 5]; repeated indices accumulate their gradients.
        c("embedding", "embedding", {},
          {"input": ints(3, 4, hi=11, force={2: 7, 5: 7, 9: 7}), "weight": normal(11, 5)}),
        # padding_idx: the forward still returns weight[0] for index 0; only its gradient row is zero.
        c("embedding_padding_idx", "embedding", {"padding_idx": 0},
          {"input": ints(3, 4, hi=11, force={0: 0, 6: 0, 11: 0, 3: 4, 8: 4}), "weight": normal(11, 5)}),
    ]
    C.check_unique([{"name": x["name"]} for x in out])
    return out


# ------------------------------------------------------------------ running
def draw(c):
    return {k: make(np.random.default_rng(C.seed_of(f"ops/{c['name']}/{k}"))) for k, make in c["inputs"].items()}


def grad_names(c, arrays):
    skip = NO_GRAD.get(c["op"], set())
    return [k for k, a in arrays.items() if a.dtype == np.float32 and k not in skip]


def evaluate(c, arrays, go, dtype):
    tensors = {}
    for k, a in arrays.items():
        if a.dtype == np.int32:
            tensors[k] = torch.tensor(a, dtype=torch.int64)
        else:
            tensors[k] = torch.tensor(a, dtype=dtype)
    names = grad_names(c, arrays)
    for k in names:
        tensors[k].requires_grad_(True)
    out = getattr(F, c["op"])(**tensors, **c["options"])
    out.backward(torch.tensor(go, dtype=dtype))
    return out.detach().numpy(), {k: tensors[k].grad.numpy() for k in names}


def ratio(got, want, tol):
    want = np.asarray(want, dtype=np.float32).astype(np.float64)
    err = np.abs(np.asarray(got, dtype=np.float64) - want) / (tol["abs"] + tol["rel"] * np.abs(want))
    return float(err.max()) if err.size else 0.0


def tensor_json(a):
    a = np.asarray(a)
    data = [int(x) for x in a.ravel()] if a.dtype == np.int32 else C.flat(a)
    return {"shape": list(a.shape), "dtype": "int32" if a.dtype == np.int32 else "float32", "data": data}


def run(c):
    arrays = draw(c)
    # The output shape, from a forward pass without gradients.
    with torch.no_grad():
        t = {k: torch.tensor(a, dtype=torch.int64 if a.dtype == np.int32 else torch.float64) for k, a in arrays.items()}
        shape = tuple(getattr(F, c["op"])(**t, **c["options"]).shape)
    go_rng = np.random.default_rng(C.seed_of(f"ops/{c['name']}/grad_output"))
    go = np.asarray(go_rng.normal(0.0, 1.0, shape), dtype=np.float32).reshape(shape)
    out64, grads64 = evaluate(c, arrays, go, torch.float64)
    out32, grads32 = evaluate(c, arrays, go, torch.float32)
    tol = c["tolerance"]
    worst = max([ratio(out32, out64, tol)] + [ratio(grads32[k], grads64[k], tol) for k in grads64])
    if worst > MAX_RATIO:
        raise SystemExit(f"{c['name']}: float32 rerun is {worst:.3f} of the tolerance (limit {MAX_RATIO})")
    fixture = {
        "format": "rmsprop-op/1",
        "name": c["name"],
        "reference": REFERENCE,
        "op": c["op"],
        "options": c["options"],
        "inputs": {k: tensor_json(a) for k, a in arrays.items()},
        "output": {"shape": list(out64.shape), "data": C.flat(out64)},
        "grad_output": {"shape": list(go.shape), "data": C.flat(go)},
        "grads": {k: {"shape": list(g.shape), "data": C.flat(g)} for k, g in grads64.items()},
        "tolerance": tol,
    }
    C.write_json(OPS, c["name"], fixture)
    return worst


def main():
    verbose = "--verbose" in sys.argv[1:]
    warnings.filterwarnings("ignore")  # 'same' with an even kernel warns that it pads a copy of the input
    torch.manual_seed(0)
    torch.set_num_threads(1)
    C.clean(OPS)
    all_cases = cases()
    worst = 0.0
    for c in all_cases:
        r = run(c)
        worst = max(worst, r)
        if verbose:
            print(f"  {c['name']}: float32 rerun {r:.4f} of tolerance")
    print(f"ops: wrote {len(all_cases)} fixtures (float32 rerun at most {worst:.4f} of tolerance)")


if __name__ == "__main__":
    main()
