"""Conformance fixtures from TensorFlow.js optimizers (flavor "tfjs").

The cases, initial parameters and gradients are made here (same helpers as
the other flavors); `node tfjs_optim.mjs` runs them with tfjs-core's cpu
backend and sends back the parameters after each step.

tf.train.rmsprop is used only non-centered: its centered branch computes
sqrt(ms - (mg^2 + eps)), i.e. it subtracts epsilon, which is a bug.
"""

import json
import os
import subprocess

import numpy as np

import common as C

FLAVOR = "tfjs"
HERE = os.path.dirname(os.path.abspath(__file__))


def cases():
    c = C.case
    lr = {"learningRate": 0.01}
    out = [
        c("rmsprop_plain", "rmsprop", dict(lr)),
        c("rmsprop_decay_epsilon", "rmsprop", {**lr, "decay": 0.5, "epsilon": 1e-3}),
        c("rmsprop_momentum", "rmsprop", {**lr, "momentum": 0.9}),
        c("rmsprop_momentum_decay", "rmsprop", {**lr, "decay": 0.95, "momentum": 0.5, "centered": False}),
        c("rmsprop_tiny", "rmsprop", dict(lr), grads="tiny"),
        c("rmsprop_huge", "rmsprop", {**lr, "momentum": 0.9}, grads="huge"),
        c("rmsprop_zero", "rmsprop", {**lr, "momentum": 0.9}, grads="zero"),
        c("rmsprop_sparse", "rmsprop", {**lr, "momentum": 0.9}, grads="sparse"),
        c("rmsprop_mixed", "rmsprop", dict(lr), grads="mixed"),
        c("rmsprop_lr_change_momentum", "rmsprop", {**lr, "momentum": 0.9}, lrs={3: 0.001, 6: 0.05}),
        c("adam_default", "adam", {}),
        c("adam_betas_epsilon", "adam", {**lr, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-5}),
        c("adam_sparse", "adam", dict(lr), grads="sparse"),
        c("adam_lr_change", "adam", dict(lr), lrs={4: 0.001}),
        c("sgd_plain", "sgd", {"learningRate": 0.1}),
        c("sgd_lr_change", "sgd", {"learningRate": 0.1}, lrs={3: 0.01}),
        c("momentum_plain", "momentum", {"learningRate": 0.1, "momentum": 0.9}),
        c("momentum_nesterov", "momentum", {"learningRate": 0.1, "momentum": 0.9, "useNesterov": True}),
        c("momentum_sparse", "momentum", {"learningRate": 0.1, "momentum": 0.5}, grads="sparse"),
        c("momentum_lr_change", "momentum", {"learningRate": 0.1, "momentum": 0.9}, lrs={3: 0.01, 5: 0.2}),
        c("adagrad_plain", "adagrad", {"learningRate": 0.1}),
        c("adagrad_initial_accumulator", "adagrad", {"learningRate": 0.1, "initialAccumulatorValue": 0.5}),
        c("adagrad_sparse", "adagrad", {"learningRate": 0.1}, grads="sparse"),
        # No adadelta: tfjs-core 4.22 divides by the previous step's gradient accumulator (so step 1 is
        # exactly lr*g). The tfjs flavor follows Zeiler's algorithm, as PyTorch, Keras and Optax do.
    ]
    C.check_unique(out)
    return out


def main():
    all_cases = cases()
    payload = []
    inputs = {}
    for c in all_cases:
        params0 = C.make_params(c["name"], c["params"])
        grads = C.make_grads(c["name"], c["grads"], c["steps"])
        inputs[c["name"]] = (params0, grads)
        payload.append({
            "name": c["name"],
            "optimizer": c["optimizer"],
            "options": c["options"],
            "lrs": {str(k): v for k, v in c["lrs"].items()},
            "params": {k: {"shape": list(v.shape), "data": C.flat(v)} for k, v in params0.items()},
            "grads": [{k: C.flat(v) for k, v in g.items()} for g in grads],
        })
    proc = subprocess.run(
        ["node", os.path.join(HERE, "tfjs_optim.mjs")],
        input=json.dumps(payload), capture_output=True, text=True, check=True, cwd=C.ROOT,
    )
    out = json.loads(proc.stdout)
    reference = f"@tensorflow/tfjs-core {out['version']} ({out['backend']} backend)"
    C.clean(os.path.join(C.CONFORMANCE, FLAVOR))
    for c, result in zip(all_cases, out["results"]):
        assert result["name"] == c["name"]
        params0, grads = inputs[c["name"]]
        steps = []
        for i, (g, after) in enumerate(zip(grads, result["steps"])):
            rec = {"lr": c["lrs"][i]} if i in c["lrs"] else {}
            rec["grads"] = g
            rec["params"] = {k: np.asarray(after[k], dtype=np.float32).reshape(params0[k].shape) for k in params0}
            steps.append(rec)
        C.write_case(FLAVOR, reference, c, params0, steps)
    print(f"{FLAVOR}: wrote {len(all_cases)} fixtures")


if __name__ == "__main__":
    main()
