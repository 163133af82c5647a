"""Layer fixtures from torch.nn modules (format "rmsprop-layer/1", fixtures/layers/).

For each case: build `torch.nn.<layer>(**args)` in float64, load a seeded state dict (float32 values, drawn per
parameter name from the case name), set train or eval mode, run the forward on seeded float32 inputs
(recurrent layers: `module(x, h0)` or `module(x, (h0, c0))`), then `output.backward(grad_output)` with a seeded
N(0, 1) float32 upstream gradient on `output` only (not on h_n / c_n). Inputs, the state dict and grad_output are
stored exactly; outputs, BatchNorm running statistics after a train-mode forward, and the gradients (of x, of h0
and c0 when given, and of every parameter by its PyTorch name) are computed in float64 and rounded to float32 once.

Conditioning check: every case is rerun in float32 by PyTorch from the same values, and the worst
|float32 - fixture| / (abs + rel |fixture|) must stay below MAX_RATIO. `--verbose` prints it for each case.

Usage: python3 tools/golden/pytorch_layers.py [--verbose]
"""

import os
import sys

import numpy as np
import torch

import common as C
from pytorch_ops import MAX_RATIO, TOLERANCE, ints, normal, ratio, tensor_json

REFERENCE = f"torch {torch.__version__.split('+')[0]}"
LAYERS = os.path.join(C.FIXTURES, "layers")
RECURRENT = {"RNN", "LSTM", "GRU"}


# ------------------------------------------------------------------ state dicts
def draw_param(layer, args, name, shape, rng):
    """A float32 value for state-dict entry `name`: PyTorch's default init range for weights, visible biases,
    non-trivial affine parameters and running statistics for BatchNorm."""
    def u(lo, hi):
        return rng.uniform(lo, hi, shape).astype(np.float32)

    if layer in ("BatchNorm1d", "BatchNorm2d"):
        if name == "weight":
            return u(0.5, 1.5)
        if name == "bias":
            return u(-0.5, 0.5)
        if name == "running_mean":
            return (0.5 * rng.normal(0.0, 1.0, shape)).astype(np.float32)
        if name == "running_var":
            return u(0.5, 2.0)
    if layer == "Embedding":
        return rng.normal(0.0, 1.0, shape).astype(np.float32)
    if layer in RECURRENT:
        b = 1.0 / np.sqrt(args["hidden_size"])
        return u(-b, b)
    if name == "bias":
        return u(-0.5, 0.5)
    fan_in = int(np.prod(shape[1:]))  # Linear [out, in]; Conv2d [out, in / groups, kh, kw]
    b = 1.0 / np.sqrt(fan_in)
    return u(-b, b)


def make_state(c, module):
    out = {}
    for k, v in module.state_dict().items():
        if k.endswith("num_batches_tracked"):  # int64 in PyTorch; it does not change the arithmetic
            out[k] = np.array(5.0, dtype=np.float32)
            continue
        rng = np.random.default_rng(C.seed_of(f"layers/{c['name']}/state/{k}"))
        out[k] = draw_param(c["layer"], c["args"], k, tuple(v.shape), rng)
    return out


# ------------------------------------------------------------------ cases
def case(name, layer, args, x, mode="train", h0=False, c0=False, tol=None):
    return {"name": name, "layer": layer, "args": args, "mode": mode, "x": x, "h0": h0, "c0": c0,
            "tolerance": tol or TOLERANCE}


def rnn(name, layer, n, t, input_size, hidden_size, num_layers, batch_first, h0=False, c0=False, bias=True,
        nonlinearity="tanh"):
    args = {"input_size": input_size, "hidden_size": hidden_size, "num_layers": num_layers,
            "batch_first": batch_first}
    if not bias:
        args["bias"] = False
    if nonlinearity != "tanh":
        args["nonlinearity"] = nonlinearity
    x = normal(n, t, input_size) if batch_first else normal(t, n, input_size)
    return case(name, layer, args, x, h0=h0, c0=c0)


def cases():
    c = case
    out = [
        # Linear: weight [out, in]; x [..., in].
        c("linear_3x5_to_4", "Linear", {"in_features": 5, "out_features": 4}, normal(3, 5)),
        c("linear_3x5_to_4_nobias", "Linear", {"in_features": 5, "out_features": 4, "bias": False}, normal(3, 5)),
        c("linear_2x3x5_to_7", "Linear", {"in_features": 5, "out_features": 7}, normal(2, 3, 5)),
        c("linear_2x3x5_to_7_nobias", "Linear", {"in_features": 5, "out_features": 7, "bias": False},
          normal(2, 3, 5)),
        c("linear_1x5_to_3", "Linear", {"in_features": 5, "out_features": 3}, normal(1, 5)),

        # Conv2d.
        c("conv2d_k3_stride2_pad1_groups2", "Conv2d",
          {"in_channels": 4, "out_channels": 6, "kernel_size": 3, "stride": 2, "padding": 1, "groups": 2},
          normal(3, 4, 9, 7)),
        c("conv2d_k2x3_stride1x2_pad1x0_nobias_batch1", "Conv2d",
          {"in_channels": 3, "out_channels": 5, "kernel_size": [2, 3], "stride": [1, 2], "padding": [1, 0],
           "bias": False},
          normal(1, 3, 8, 9)),
        c("conv2d_depthwise_k3_dilation2_pad2", "Conv2d",
          {"in_channels": 3, "out_channels": 6, "kernel_size": 3, "padding": 2, "dilation": 2, "groups": 3},
          normal(3, 3, 7, 5)),
        c("conv2d_k3_same", "Conv2d",
          {"in_channels": 3, "out_channels": 4, "kernel_size": 3, "padding": "same"},
          normal(1, 3, 6, 5)),

        # BatchNorm: running statistics start non-trivial (loaded); train mode uses batch statistics and
        # updates them (momentum, unbiased variance), eval mode uses them.
        c("batchnorm1d_nc_train", "BatchNorm1d", {"num_features": 5}, normal(3, 5, scale=2.0, loc=0.5)),
        c("batchnorm1d_nc_eval", "BatchNorm1d", {"num_features": 5}, normal(3, 5, scale=2.0, loc=0.5),
          mode="eval"),
        c("batchnorm1d_ncl_train", "BatchNorm1d", {"num_features": 4}, normal(3, 4, 7, scale=2.0, loc=0.5)),
        c("batchnorm1d_ncl_train_batch1_momentum0.3_eps1e-3", "BatchNorm1d",
          {"num_features": 4, "eps": 1e-3, "momentum": 0.3}, normal(1, 4, 7, scale=2.0, loc=0.5)),
        c("batchnorm1d_ncl_eval_batch1", "BatchNorm1d", {"num_features": 4}, normal(1, 4, 7, scale=2.0, loc=0.5),
          mode="eval"),
        c("batchnorm2d_train", "BatchNorm2d", {"num_features": 3}, normal(3, 3, 5, 7, scale=2.0, loc=0.5)),
        c("batchnorm2d_train_batch1", "BatchNorm2d", {"num_features": 4}, normal(1, 4, 3, 5, scale=2.0, loc=0.5)),
        c("batchnorm2d_eval", "BatchNorm2d", {"num_features": 3}, normal(3, 3, 5, 7, scale=2.0, loc=0.5),
          mode="eval"),

        # Embedding: int32 indices; padding_idx rows get no gradient but the forward still returns them
        # (the loaded row is not zero).
        c("embedding_padding_idx", "Embedding", {"num_embeddings": 11, "embedding_dim": 5, "padding_idx": 0},
          ints(3, 4, hi=11, force={0: 0, 6: 0, 11: 0, 3: 4, 8: 4})),
        c("embedding_padding_idx3_batch1", "Embedding", {"num_embeddings": 7, "embedding_dim": 3, "padding_idx": 3},
          ints(1, 9, hi=7, force={1: 3, 4: 3, 2: 5, 7: 5})),
        c("embedding", "Embedding", {"num_embeddings": 6, "embedding_dim": 4}, ints(3, 5, hi=6, force={0: 2, 9: 2})),

        # Recurrent layers: h0/c0 are [num_layers, N, hidden] whatever batch_first is.
        rnn("rnn_1layer", "RNN", 3, 6, 5, 4, 1, True),
        rnn("rnn_1layer_h0_seqfirst_batch1", "RNN", 1, 5, 3, 7, 1, False, h0=True),
        rnn("rnn_2layers_h0", "RNN", 3, 5, 5, 3, 2, True, h0=True),
        rnn("rnn_2layers_nobias_seqfirst", "RNN", 3, 4, 5, 3, 2, False, bias=False),
        rnn("rnn_relu_1layer_h0", "RNN", 3, 6, 5, 4, 1, True, h0=True, nonlinearity="relu"),
        rnn("rnn_relu_2layers_seqfirst_batch1", "RNN", 1, 5, 3, 5, 2, False, nonlinearity="relu"),
        rnn("rnn_relu_2layers_nobias_h0", "RNN", 3, 4, 4, 7, 2, True, h0=True, bias=False, nonlinearity="relu"),
        rnn("lstm_1layer", "LSTM", 3, 6, 5, 4, 1, True),
        rnn("lstm_1layer_h0c0_seqfirst", "LSTM", 3, 5, 5, 3, 1, False, h0=True, c0=True),
        rnn("lstm_1layer_h0c0_batch1", "LSTM", 1, 7, 3, 5, 1, True, h0=True, c0=True),
        rnn("lstm_2layers", "LSTM", 3, 5, 5, 3, 2, True),
        rnn("lstm_2layers_seqfirst_batch1", "LSTM", 1, 6, 4, 5, 2, False),
        rnn("lstm_2layers_h0c0", "LSTM", 3, 4, 5, 3, 2, True, h0=True, c0=True),
        rnn("lstm_2layers_h0c0_seqfirst", "LSTM", 3, 5, 3, 4, 2, False, h0=True, c0=True),
        rnn("gru_1layer_h0", "GRU", 3, 6, 5, 4, 1, True, h0=True),
        rnn("gru_1layer_h0_seqfirst_batch1", "GRU", 1, 5, 3, 5, 1, False, h0=True),
        rnn("gru_2layers_h0", "GRU", 3, 5, 5, 3, 2, True, h0=True),
        rnn("gru_2layers_h0_seqfirst", "GRU", 3, 4, 4, 5, 2, False, h0=True),
        rnn("gru_2layers", "GRU", 1, 5, 5, 3, 2, True),
        rnn("gru_1layer", "GRU", 3, 6, 5, 4, 1, True),
        rnn("gru_1layer_nobias_seqfirst", "GRU", 3, 5, 4, 7, 1, False, bias=False),
        rnn("gru_2layers_nobias_h0", "GRU", 2, 4, 3, 5, 2, True, h0=True, bias=False),
    ]
    C.check_unique(out)
    return out


# ------------------------------------------------------------------ running
def draw_inputs(c):
    def rng(k):
        return np.random.default_rng(C.seed_of(f"layers/{c['name']}/{k}"))

    arrays = {"x": c["x"](rng("x"))}
    if c["layer"] in RECURRENT:
        a = c["args"]
        n = arrays["x"].shape[0 if a["batch_first"] else 1]
        shape = (a["num_layers"], n, a["hidden_size"])
        for k in ("h0", "c0"):
            if c[k]:
                arrays[k] = rng(k).normal(0.0, 1.0, shape).astype(np.float32)
    return arrays


def build(c, state, dtype):
    module = getattr(torch.nn, c["layer"])(**c["args"]).to(dtype)
    full = module.state_dict()
    full.update({k: torch.tensor(v, dtype=torch.int64 if k.endswith("num_batches_tracked") else dtype)
                 for k, v in state.items()})
    module.load_state_dict(full)
    module.train(c["mode"] == "train")
    return module


def evaluate(c, state, arrays, go, dtype):
    """Forward and backward in `dtype`: ({output name: array}, {grad name: array})."""
    module = build(c, state, dtype)
    t = {}
    for k, a in arrays.items():
        if a.dtype == np.int32:
            t[k] = torch.tensor(a, dtype=torch.int64)
        else:
            t[k] = torch.tensor(a, dtype=dtype, requires_grad=True)
    outs = {}
    if c["layer"] in RECURRENT:
        if "c0" in t:
            y, (h, cn) = module(t["x"], (t["h0"], t["c0"]))
        elif "h0" in t:
            y, h = module(t["x"], t["h0"])
        else:
            y, h = module(t["x"])
        if c["layer"] == "LSTM" and "c0" not in t:
            h, cn = h
        outs = {"output": y, "h_n": h}
        if c["layer"] == "LSTM":
            outs["c_n"] = cn
    else:
        outs = {"output": module(t["x"])}
    outs["output"].backward(torch.tensor(go, dtype=dtype))
    result = {k: v.detach().numpy().copy() for k, v in outs.items()}
    if c["layer"].startswith("BatchNorm") and c["mode"] == "train":
        result["running_mean"] = module.running_mean.detach().numpy().copy()
        result["running_var"] = module.running_var.detach().numpy().copy()
    grads = {k: v.grad.numpy().copy() for k, v in t.items() if v.requires_grad}
    grads.update({k: p.grad.numpy().copy() for k, p in module.named_parameters()})
    return result, grads


def data_json(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "data": C.flat(a)}


def run(c):
    arrays = draw_inputs(c)
    with torch.no_grad():
        state = make_state(c, getattr(torch.nn, c["layer"])(**c["args"]))
    # The output shape, from a forward pass without gradients.
    module = build(c, state, torch.float64)
    with torch.no_grad():
        x = arrays["x"]
        xt = torch.tensor(x, dtype=torch.int64 if x.dtype == np.int32 else torch.float64)
        y = module(xt)
        shape = tuple((y[0] if isinstance(y, tuple) else y).shape)
    go = np.random.default_rng(C.seed_of(f"layers/{c['name']}/grad_output")).normal(0.0, 1.0, shape)
    go = go.astype(np.float32).reshape(shape)
    out64, grads64 = evaluate(c, state, arrays, go, torch.float64)
    out32, grads32 = evaluate(c, state, arrays, go, torch.float32)
    tol = c["tolerance"]
    worst = max([ratio(out32[k], out64[k], tol) for k in out64] + [ratio(grads32[k], grads64[k], tol) for k in grads64])
    if worst > MAX_RATIO:
        raise SystemExit(f"{c['name']}: float32 rerun is {worst:.3f} of the tolerance (limit {MAX_RATIO})")
    fixture = {
        "format": "rmsprop-layer/1",
        "name": c["name"],
        "reference": REFERENCE,
        "layer": c["layer"],
        "args": c["args"],
        "mode": c["mode"],
        "state_dict": {k: data_json(v) for k, v in state.items()},
        "inputs": {k: tensor_json(a) for k, a in arrays.items()},
        "outputs": {k: data_json(v) for k, v in out64.items()},
        "grad_output": data_json(go),
        "grads": {k: data_json(g) for k, g in grads64.items()},
        "tolerance": tol,
    }
    C.write_json(LAYERS, c["name"], fixture)
    return worst


def main():
    verbose = "--verbose" in sys.argv[1:]
    torch.manual_seed(0)
    torch.set_num_threads(1)
    C.clean(LAYERS)
    all_cases = cases()
    worst = 0.0
    for c in all_cases:
        r = run(c)
        worst = max(worst, r)
        if verbose:
            print(f"  {c['name']}: float32 rerun {r:.4f} of tolerance")
    print(f"layers: wrote {len(all_cases)} fixtures (float32 rerun at most {worst:.4f} of tolerance)")


if __name__ == "__main__":
    main()
