"""Replays every conformance fixture with an independent float64 NumPy model of each optimizer.

This is how the generators are checked: if a fixture passes here, (1) the semantics written down below
(which a TypeScript implementation must match) are those of the reference framework, and (2) the case is
well conditioned: an implementation that rounds differently (float64 here, float32 in the frameworks) still
lands inside the fixture's tolerance. The score printed is the worst |actual - expected| / (abs + rel |expected|)
of a fixture; it must stay below 1, and a well-conditioned fixture stays far below it. Each fixture is
replayed twice: with the hyperparameters (lr, betas, decay, eps...) as float64 and rounded to float32, since a
TypeScript implementation may keep scalars either way; a fixture must pass both.

Usage: python3 tools/golden/check.py [--verbose]
"""

import glob
import json
import os
import sys

import numpy as np

import common as C


def o(opts, key, default):
    return opts.get(key, default)


# ---------------------------------------------------------------- pytorch (torch.optim, single-tensor path)
def pytorch_step(name, opts, st, p, g, lr, t):
    if o(opts, "maximize", False):
        g = -g
    wd = o(opts, "weight_decay", 0.01 if name == "adamw" else 0.0)
    if wd and name != "adamw":
        g = g + wd * p  # coupled L2: added to the gradient
    if name == "rmsprop":
        a, eps, mom = o(opts, "alpha", 0.99), o(opts, "eps", 1e-8), o(opts, "momentum", 0.0)
        st["v"] = a * st.get("v", 0.0) + (1 - a) * g * g
        if o(opts, "centered", False):
            st["ga"] = a * st.get("ga", 0.0) + (1 - a) * g
            avg = np.sqrt(st["v"] - st["ga"] ** 2) + eps
        else:
            avg = np.sqrt(st["v"]) + eps
        if mom > 0:
            st["buf"] = mom * st.get("buf", 0.0) + g / avg  # buffer holds g/avg, lr applied after
            return p - lr * st["buf"]
        return p - lr * g / avg
    if name in ("adam", "adamw"):
        b1, b2 = o(opts, "betas", [0.9, 0.999])
        eps = o(opts, "eps", 1e-8)
        if name == "adamw":
            p = p * (1 - lr * wd)  # decoupled, scaled by the current lr
        st["m"] = b1 * st.get("m", 0.0) + (1 - b1) * g
        st["v"] = b2 * st.get("v", 0.0) + (1 - b2) * g * g
        v = st["v"]
        if o(opts, "amsgrad", False):
            st["vmax"] = np.maximum(st.get("vmax", 0.0), v)
            v = st["vmax"]
        denom = np.sqrt(v) / np.sqrt(1 - b2**t) + eps  # eps added after bias correction
        return p - lr / (1 - b1**t) * st["m"] / denom
    if name == "sgd":
        mom, damp = o(opts, "momentum", 0.0), o(opts, "dampening", 0.0)
        if mom:
            st["buf"] = g.copy() if t == 1 else mom * st["buf"] + (1 - damp) * g  # no dampening at step 1
            g = g + mom * st["buf"] if o(opts, "nesterov", False) else st["buf"]
        return p - lr * g
    if name == "adagrad":
        clr = lr / (1 + (t - 1) * o(opts, "lr_decay", 0.0))
        st["sum"] = st.get("sum", o(opts, "initial_accumulator_value", 0.0)) + g * g
        return p - clr * g / (np.sqrt(st["sum"]) + o(opts, "eps", 1e-10))
    if name == "adadelta":
        rho, eps = o(opts, "rho", 0.9), o(opts, "eps", 1e-6)
        st["v"] = rho * st.get("v", 0.0) + (1 - rho) * g * g
        delta = np.sqrt(st.get("u", 0.0) + eps) / np.sqrt(st["v"] + eps) * g
        st["u"] = rho * st.get("u", 0.0) + (1 - rho) * delta * delta
        return p - lr * delta
    raise KeyError(name)


PYTORCH_LR = {"rmsprop": 0.01, "adam": 1e-3, "adamw": 1e-3, "sgd": 1e-3, "adagrad": 1e-2, "adadelta": 1.0}


# ---------------------------------------------------------------- keras 3
def keras_clip(opts, grads):
    if o(opts, "clipnorm", None):
        c = opts["clipnorm"]
        return {k: g * c / max(np.sqrt(np.sum(g * g)), c) for k, g in grads.items()}
    if o(opts, "global_clipnorm", None):
        c = opts["global_clipnorm"]
        n = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
        scale = c * min(1.0 / n if n > 0 else np.inf, 1.0 / c)
        return {k: g * scale for k, g in grads.items()}
    if o(opts, "clipvalue", None):
        c = opts["clipvalue"]
        return {k: np.clip(g, -c, c) for k, g in grads.items()}
    return grads


def keras_step(name, opts, st, p, g, lr, t):
    if name == "rmsprop":
        rho, eps, mom = o(opts, "rho", 0.9), o(opts, "epsilon", 1e-7), o(opts, "momentum", 0.0)
        st["v"] = rho * st.get("v", 0.0) + (1 - rho) * g * g
        if o(opts, "centered", False):
            st["mg"] = rho * st.get("mg", 0.0) + (1 - rho) * g
            denom = st["v"] - st["mg"] ** 2 + eps  # eps inside the sqrt
        else:
            denom = st["v"] + eps
        inc = lr * g / np.sqrt(denom)
        if mom > 0:
            st["m"] = mom * st.get("m", 0.0) + inc  # buffer holds lr-scaled increments
            return p - st["m"]
        return p - inc
    if name in ("adam", "adamw"):
        b1, b2, eps = o(opts, "beta_1", 0.9), o(opts, "beta_2", 0.999), o(opts, "epsilon", 1e-7)
        st["m"] = b1 * st.get("m", 0.0) + (1 - b1) * g
        st["v"] = b2 * st.get("v", 0.0) + (1 - b2) * g * g
        v = st["v"]
        if o(opts, "amsgrad", False):
            st["vhat"] = np.maximum(st.get("vhat", 0.0), v)
            v = st["vhat"]
        alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        return p - alpha * st["m"] / (np.sqrt(v) + eps)  # eps NOT bias corrected ("epsilon hat")
    if name == "sgd":
        mom = o(opts, "momentum", 0.0)
        if mom:
            st["m"] = mom * st.get("m", 0.0) - lr * g
            return p + (mom * st["m"] - lr * g if o(opts, "nesterov", False) else st["m"])
        return p - lr * g
    if name == "adagrad":
        st["acc"] = st.get("acc", o(opts, "initial_accumulator_value", 0.1)) + g * g
        return p - lr * g / np.sqrt(st["acc"] + o(opts, "epsilon", 1e-7))
    if name == "adadelta":
        rho, eps = o(opts, "rho", 0.95), o(opts, "epsilon", 1e-7)
        st["ag"] = rho * st.get("ag", 0.0) + (1 - rho) * g * g
        delta = np.sqrt(st.get("ad", 0.0) + eps) / np.sqrt(st["ag"] + eps) * g
        st["ad"] = rho * st.get("ad", 0.0) + (1 - rho) * delta * delta
        return p - lr * delta
    raise KeyError(name)


KERAS_LR = {"rmsprop": 1e-3, "adam": 1e-3, "adamw": 1e-3, "sgd": 1e-2, "adagrad": 1e-3, "adadelta": 1e-3}


# ---------------------------------------------------------------- optax
def optax_step(name, opts, st, p, g, lr, t):
    if name == "rmsprop":
        d, eps = o(opts, "decay", 0.9), o(opts, "eps", 1e-8)
        st["nu"] = (1 - d) * g * g + d * st.get("nu", o(opts, "initial_scale", 0.0))
        nu, mu = st["nu"], 0.0
        if o(opts, "centered", False):
            st["mu"] = (1 - d) * g + d * st.get("mu", 0.0)
            mu = st["mu"]
        if o(opts, "bias_correction", False):
            nu, mu = nu / (1 - d**t), mu / (1 - d**t)
        var = nu - mu * mu
        u = g / np.sqrt(var + eps) if o(opts, "eps_in_sqrt", True) else g / (np.sqrt(var) + eps)
        u = lr * u  # learning rate applied BEFORE the momentum trace
        if o(opts, "momentum", None) is not None:
            m = opts["momentum"]
            st["tr"] = u + m * st.get("tr", 0.0)
            u = u + m * st["tr"] if o(opts, "nesterov", False) else st["tr"]
        return p - u
    if name in ("adam", "adamw", "amsgrad"):
        b1, b2 = o(opts, "b1", 0.9), o(opts, "b2", 0.999)
        eps, eps_root = o(opts, "eps", 1e-8), o(opts, "eps_root", 0.0)
        st["mu"] = (1 - b1) * g + b1 * st.get("mu", 0.0)
        st["nu"] = (1 - b2) * g * g + b2 * st.get("nu", 0.0)
        if o(opts, "nesterov", False):
            mu_hat = b1 * st["mu"] / (1 - b1 ** (t + 1)) + (1 - b1) * g / (1 - b1**t)
        else:
            mu_hat = st["mu"] / (1 - b1**t)
        nu_hat = st["nu"] / (1 - b2**t)
        if name == "amsgrad":
            st["nu_max"] = np.maximum(st.get("nu_max", 0.0), nu_hat)  # max of the bias-corrected nu
            nu_hat = st["nu_max"]
        u = mu_hat / (np.sqrt(nu_hat + eps_root) + eps)
        if name == "adamw":
            u = u + o(opts, "weight_decay", 1e-4) * p
        return p - lr * u
    if name == "sgd":
        if o(opts, "momentum", None) is not None:
            m = opts["momentum"]
            st["tr"] = g + m * st.get("tr", 0.0)  # trace BEFORE the learning rate (unlike rmsprop)
            g = g + m * st["tr"] if o(opts, "nesterov", False) else st["tr"]
        return p - lr * g
    if name == "adagrad":
        st["s"] = st.get("s", o(opts, "initial_accumulator_value", 0.1)) + g * g
        u = np.where(st["s"] > 0, g / np.sqrt(np.where(st["s"] > 0, st["s"], 1.0) + o(opts, "eps", 1e-7)), 0.0)
        return p - lr * u
    if name == "adadelta":
        rho, eps = o(opts, "rho", 0.9), o(opts, "eps", 1e-6)
        g = g + o(opts, "weight_decay", 0.0) * p
        st["eg"] = (1 - rho) * g * g + rho * st.get("eg", 0.0)
        u = np.sqrt(st.get("ex", 0.0) + eps) / np.sqrt(st["eg"] + eps) * g
        st["ex"] = (1 - rho) * u * u + rho * st.get("ex", 0.0)
        return p - lr * u
    raise KeyError(name)


# ---------------------------------------------------------------- tf1 (tf.compat.v1.train)
def tf1_step(name, opts, st, p, g, lr, t):
    if name == "rmsprop":
        d, mom, eps = o(opts, "decay", 0.9), o(opts, "momentum", 0.0), o(opts, "epsilon", 1e-10)
        st["ms"] = st.get("ms", 1.0) + (g * g - st.get("ms", 1.0)) * (1 - d)  # ms starts at ONE
        if o(opts, "centered", False):
            st["mg"] = st.get("mg", 0.0) + (g - st.get("mg", 0.0)) * (1 - d)
            denom = st["ms"] - st["mg"] ** 2 + eps
        else:
            denom = st["ms"] + eps
        st["mom"] = mom * st.get("mom", 0.0) + lr * g / np.sqrt(denom)  # always the momentum form
        return p - st["mom"]
    if name == "momentum":
        m = opts["momentum"]
        st["acc"] = m * st.get("acc", 0.0) + g
        return p - (lr * g + lr * m * st["acc"] if o(opts, "use_nesterov", False) else lr * st["acc"])
    if name == "adam":
        b1, b2, eps = o(opts, "beta1", 0.9), o(opts, "beta2", 0.999), o(opts, "epsilon", 1e-8)
        st["m"] = b1 * st.get("m", 0.0) + (1 - b1) * g
        st["v"] = b2 * st.get("v", 0.0) + (1 - b2) * g * g
        return p - lr * np.sqrt(1 - b2**t) / (1 - b1**t) * st["m"] / (np.sqrt(st["v"]) + eps)
    if name == "adagrad":
        st["acc"] = st.get("acc", o(opts, "initial_accumulator_value", 0.1)) + g * g
        return p - lr * g / np.sqrt(st["acc"])
    raise KeyError(name)


# ---------------------------------------------------------------- tfjs (tf.train.*)
TFJS_EPS = 1e-7  # ENGINE.backend.epsilon() for float32 backends


def tfjs_step(name, opts, st, p, g, lr, t):
    if name == "rmsprop":
        d, mom, eps = o(opts, "decay", 0.9), o(opts, "momentum", 0.0), o(opts, "epsilon", TFJS_EPS)
        st["ms"] = d * st.get("ms", 0.0) + (1 - d) * g * g
        st["mom"] = mom * st.get("mom", 0.0) + lr * g / np.sqrt(st["ms"] + eps)
        return p - st["mom"]
    if name == "adam":
        b1, b2, eps = o(opts, "beta1", 0.9), o(opts, "beta2", 0.999), o(opts, "epsilon", TFJS_EPS)
        st["m"] = b1 * st.get("m", 0.0) + (1 - b1) * g
        st["v"] = b2 * st.get("v", 0.0) + (1 - b2) * g * g
        return p - lr * (st["m"] / (1 - b1**t)) / (np.sqrt(st["v"] / (1 - b2**t)) + eps)
    if name == "sgd":
        return p - lr * g
    if name == "momentum":
        m = opts["momentum"]
        st["acc"] = m * st.get("acc", 0.0) + g
        return p - lr * (g + m * st["acc"] if o(opts, "useNesterov", False) else st["acc"])
    if name == "adagrad":
        st["acc"] = st.get("acc", o(opts, "initialAccumulatorValue", 0.1)) + g * g
        return p - lr * g / np.sqrt(st["acc"] + TFJS_EPS)
    if name == "adadelta":
        rho, eps = o(opts, "rho", 0.95), o(opts, "epsilon", TFJS_EPS)
        old = st.get("ag", 0.0)
        st["ag"] = rho * old + (1 - rho) * g * g
        u = np.sqrt(st.get("au", 0.0) + eps) / np.sqrt(old + eps) * g  # tfjs divides by the OLD accumulator
        st["au"] = rho * st.get("au", 0.0) + (1 - rho) * u * u
        return p - lr * u
    raise KeyError(name)


TFJS_LR = {"adam": 1e-3, "adadelta": 1e-3}

STEP = {"pytorch": pytorch_step, "keras": keras_step, "optax": optax_step, "tf1": tf1_step, "tfjs": tfjs_step}
LR_KEY = {"pytorch": "lr", "keras": "learning_rate", "optax": "learning_rate", "tf1": "learning_rate",
          "tfjs": "learningRate"}
DEFAULT_LR = {"pytorch": PYTORCH_LR, "keras": KERAS_LR, "optax": {}, "tf1": {"adam": 1e-3}, "tfjs": TFJS_LR}


def as_f32(x):
    return float(np.float32(x)) if isinstance(x, float) else [as_f32(v) for v in x] if isinstance(x, list) else x


def replay(fx, f32_scalars=False):
    """Worst error/tolerance ratio over the fixture. f32_scalars: round every float option and learning rate to
    float32 first (what Keras, Optax, TF and tfjs do); otherwise keep them float64 (what torch does for most)."""
    flavor, name, opts = fx["flavor"], fx["optimizer"], fx["options"]
    rnd = as_f32 if f32_scalars else (lambda x: x)
    opts = {k: rnd(v) for k, v in opts.items()}
    lr = rnd(opts.get(LR_KEY[flavor], DEFAULT_LR[flavor].get(name)))
    params = {k: np.array(v["data"], dtype=np.float64).reshape(v["shape"]) for k, v in fx["params"].items()}
    states = {k: {} for k in params}
    ema = {}
    tol = fx["tolerance"]
    worst = 0.0
    for t, s in enumerate(fx["steps"], start=1):
        lr = rnd(s.get("lr", lr))
        grads = {k: np.array(v, dtype=np.float64).reshape(params[k].shape) for k, v in s["grads"].items()}
        if flavor == "keras":
            grads = keras_clip(opts, grads)
            if o(opts, "weight_decay", 0.004 if name == "adamw" else None):
                wd = o(opts, "weight_decay", 0.004)
                params = {k: p - p * wd * lr for k, p in params.items()}  # before the update, scaled by lr
        params = {k: STEP[flavor](name, opts, states[k], params[k], grads[k], lr, t) for k in params}
        if flavor == "keras" and o(opts, "use_ema", False):
            m = o(opts, "ema_momentum", 0.99)
            ema = {k: p.copy() if t == 1 else m * ema[k] + (1 - m) * p for k, p in params.items()}
            freq = o(opts, "ema_overwrite_frequency", None)
            if freq and t % freq == 0:
                params = {k: v.copy() for k, v in ema.items()}
        expected = [(params[k], s["params"][k]) for k in params]
        expected += [(ema[k], s["ema"][k]) for k in s.get("ema", {})]
        for mine, theirs in expected:
            theirs = np.asarray(theirs, dtype=np.float64)
            err = np.abs(mine.ravel() - theirs) / (tol["abs"] + tol["rel"] * np.abs(theirs))
            worst = max(worst, float(np.max(err)))
    return worst


def main():
    verbose = "--verbose" in sys.argv
    files = sorted(glob.glob(os.path.join(C.CONFORMANCE, "*", "*.json")))
    bad = 0
    for f in files:
        with open(f) as fh:
            fx = json.load(fh)
        s64, s32 = replay(fx), replay(fx, f32_scalars=True)
        score = max(s64, s32)
        if score >= 1.0 or verbose:
            print(f"{'FAIL' if score >= 1.0 else 'ok  '} {s64:9.3g} {s32:9.3g}  {os.path.relpath(f, C.CONFORMANCE)}")
        bad += score >= 1.0
    print(f"{len(files)} fixtures replayed in float64 (scalars as float64, then as float32), {bad} outside tolerance")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
