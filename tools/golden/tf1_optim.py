"""Conformance fixtures from TensorFlow 1 optimizers (flavor "tf1").

Uses tf.compat.v1.train.* optimizers in TF2 eager mode with tf.Variables named
"w" and "b". RMSPropOptimizer's mean-square slot starts at ONES (not zeros),
which is the point of this flavor. The learning-rate-change case passes a
tf.Variable as learning_rate (recorded in options as its initial value) and
assigns it before the step.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import common as C  # noqa: E402

FLAVOR = "tf1"
REFERENCE = f"tensorflow {tf.__version__} (tf.compat.v1.train)"
CLASSES = {
    "rmsprop": tf.compat.v1.train.RMSPropOptimizer,
    "momentum": tf.compat.v1.train.MomentumOptimizer,
    "adam": tf.compat.v1.train.AdamOptimizer,
    "adagrad": tf.compat.v1.train.AdagradOptimizer,
}
# Graves (2013), "Generating sequences with recurrent neural networks", eq. 38-41.
GRAVES = {"learning_rate": 1e-4, "decay": 0.95, "momentum": 0.9, "epsilon": 1e-4, "centered": True}
# With lr 1e-4 the updates are ~1e-4, so the default abs tolerance (1e-6) would only check them to ~1%:
# these cases start from zero parameters with a tolerance scaled to the update size (common.TOL_SCALED).


def cases():
    c = C.case
    lr = {"learning_rate": 0.01}
    out = [
        c("rmsprop_plain", "rmsprop", dict(lr)),
        c("rmsprop_decay", "rmsprop", {**lr, "decay": 0.5}),
        c("rmsprop_epsilon", "rmsprop", {**lr, "epsilon": 1e-3}),
        c("rmsprop_momentum", "rmsprop", {**lr, "momentum": 0.9}),
        c("rmsprop_centered", "rmsprop", {**lr, "centered": True}),
        c("rmsprop_centered_momentum", "rmsprop", {**lr, "decay": 0.95, "momentum": 0.9, "centered": True}),
        c("rmsprop_graves2013", "rmsprop", dict(GRAVES), params="zeros", tol=C.TOL_SCALED),
        c("rmsprop_graves2013_random_init", "rmsprop", dict(GRAVES), steps=10),
        c("rmsprop_graves2013_mixed", "rmsprop", dict(GRAVES), grads="mixed", params="zeros", tol=C.TOL_SCALED),
        c("rmsprop_tiny", "rmsprop", {**lr, "momentum": 0.9}, grads="tiny"),
        c("rmsprop_tiny_centered", "rmsprop", {**lr, "centered": True}, grads="tiny"),
        c("rmsprop_huge", "rmsprop", {**lr, "centered": True, "momentum": 0.5}, grads="huge"),
        c("rmsprop_zero", "rmsprop", {**lr, "momentum": 0.9}, grads="zero"),
        c("rmsprop_sparse", "rmsprop", {**lr, "centered": True, "momentum": 0.9}, grads="sparse"),
        c("rmsprop_mixed", "rmsprop", dict(lr), grads="mixed"),
        c("rmsprop_lr_change_momentum", "rmsprop", {**lr, "momentum": 0.9}, lrs={3: 0.001, 6: 0.05}),
        c("momentum_plain", "momentum", {"learning_rate": 0.1, "momentum": 0.9}),
        c("momentum_nesterov", "momentum", {"learning_rate": 0.1, "momentum": 0.9, "use_nesterov": True}),
        c("adam_default", "adam", {}),
        c("adam_betas_epsilon", "adam", {**lr, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-5}),
        c("adagrad_plain", "adagrad", {"learning_rate": 0.1}),
        c("adagrad_initial_accumulator", "adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.5}),
    ]
    C.check_unique(out)
    return out


def run(c):
    params0 = C.make_params(c["name"], c["params"])
    grads = C.make_grads(c["name"], c["grads"], c["steps"])
    variables = {k: tf.Variable(v, name=k, dtype=tf.float32) for k, v in params0.items()}
    opts = dict(c["options"])
    lr_var = None
    if c["lrs"]:
        lr_var = tf.Variable(opts["learning_rate"], dtype=tf.float32, trainable=False)
        opts["learning_rate"] = lr_var
    opt = CLASSES[c["optimizer"]](**opts)
    steps = []
    for i, g in enumerate(grads):
        rec = {}
        if i in c["lrs"]:
            lr_var.assign(c["lrs"][i])
            rec["lr"] = c["lrs"][i]
        opt.apply_gradients([(tf.constant(g[k]), variables[k]) for k in variables])
        rec["grads"] = g
        rec["params"] = {k: v.numpy().astype(np.float32).copy() for k, v in variables.items()}
        steps.append(rec)
    return C.write_case(FLAVOR, REFERENCE, c, params0, steps)


def main():
    tf.random.set_seed(0)
    C.clean(os.path.join(C.CONFORMANCE, FLAVOR))
    all_cases = cases()
    for c in all_cases:
        run(c)
    print(f"{FLAVOR}: wrote {len(all_cases)} fixtures")


if __name__ == "__main__":
    main()
