"""Conformance fixtures from Optax aliases (flavor "optax").

float32 throughout (jax's default; x64 stays off). Runs eagerly (no jit),
one `update` + `apply_updates` per step. Cases that change the learning
rate wrap the alias with `optax.inject_hyperparams` and set
`opt_state.hyperparams["learning_rate"]` before the step.
"""

import os

import jax
import jax.numpy as jnp
import numpy as np
import optax

import common as C

FLAVOR = "optax"
REFERENCE = f"optax {optax.__version__} (jax {jax.__version__})"
ALIASES = {
    "rmsprop": optax.rmsprop,
    "adam": optax.adam,
    "adamw": optax.adamw,
    "amsgrad": optax.amsgrad,
    "sgd": optax.sgd,
    "adagrad": optax.adagrad,
    "adadelta": optax.adadelta,
}


def cases():
    c = C.case
    lr = {"learning_rate": 0.01}
    out = [
        # rmsprop: note optax's default is eps inside the square root.
        c("rmsprop_default", "rmsprop", dict(lr)),
        c("rmsprop_decay", "rmsprop", {**lr, "decay": 0.5}),
        c("rmsprop_eps", "rmsprop", {**lr, "eps": 1e-3}),
        c("rmsprop_eps_outside_sqrt", "rmsprop", {**lr, "eps_in_sqrt": False}),
        c("rmsprop_eps_outside_sqrt_tiny", "rmsprop", {**lr, "eps_in_sqrt": False, "eps": 1e-6}, grads="tiny"),
        c("rmsprop_eps_in_sqrt_tiny", "rmsprop", {**lr, "eps_in_sqrt": True}, grads="tiny"),
        c("rmsprop_initial_scale", "rmsprop", {**lr, "initial_scale": 1.0}),
        c("rmsprop_initial_scale_centered", "rmsprop", {**lr, "initial_scale": 0.5, "centered": True}),
        c("rmsprop_centered", "rmsprop", {**lr, "centered": True}),
        c("rmsprop_centered_eps_outside_sqrt", "rmsprop", {**lr, "centered": True, "eps_in_sqrt": False}),
        c("rmsprop_momentum", "rmsprop", {**lr, "momentum": 0.9}),
        c("rmsprop_nesterov", "rmsprop", {**lr, "momentum": 0.9, "nesterov": True}),
        c("rmsprop_centered_momentum", "rmsprop", {**lr, "decay": 0.95, "centered": True, "momentum": 0.9}),
        c("rmsprop_centered_nesterov", "rmsprop", {**lr, "centered": True, "momentum": 0.8, "nesterov": True}),
        c("rmsprop_bias_correction", "rmsprop", {**lr, "bias_correction": True}),
        # centered + bias_correction: at step 1 the corrected variance nu_hat - mu_hat^2 is exactly 0 in real
        # arithmetic, so in float32 it is +-rounding noise (~1e-7 g^2). eps must dwarf that noise for the
        # fixture not to depend on rounding order, hence eps=0.1 here (1.0 with decay 0.99, whose float32
        # rounding noise is larger); and eps_in_sqrt=False with centered +
        # bias_correction is not fixturable at all (sqrt of a possibly negative rounding residue gives NaN).
        c("rmsprop_bias_correction_centered", "rmsprop", {**lr, "bias_correction": True, "centered": True, "eps": 0.1}),
        c("rmsprop_bias_correction_centered_nesterov", "rmsprop",
          {**lr, "decay": 0.99, "eps": 1.0, "bias_correction": True, "centered": True, "momentum": 0.9,
           "nesterov": True}),
        c("rmsprop_bias_correction_all", "rmsprop",
          {**lr, "decay": 0.99, "eps": 1e-6, "eps_in_sqrt": False, "bias_correction": True, "momentum": 0.9,
           "nesterov": True}),
        c("rmsprop_torch_like", "rmsprop", {**lr, "decay": 0.99, "eps": 1e-8, "eps_in_sqrt": False}),
        c("rmsprop_lr_change", "rmsprop", dict(lr), lrs={3: 0.001, 6: 0.05}),
        c("rmsprop_lr_change_momentum", "rmsprop", {**lr, "momentum": 0.9}, lrs={2: 0.1, 5: 0.001}),
        c("rmsprop_lr_change_centered_nesterov", "rmsprop", {**lr, "centered": True, "momentum": 0.9, "nesterov": True},
          lrs={4: 0.003}),
        c("rmsprop_tiny", "rmsprop", dict(lr), grads="tiny"),
        c("rmsprop_huge", "rmsprop", {**lr, "centered": True}, grads="huge"),
        c("rmsprop_zero", "rmsprop", {**lr, "momentum": 0.9}, grads="zero"),
        c("rmsprop_zero_eps_outside_sqrt", "rmsprop", {**lr, "eps_in_sqrt": False}, grads="zero"),
        c("rmsprop_sparse", "rmsprop", dict(lr), grads="sparse"),
        c("rmsprop_sparse_centered_momentum", "rmsprop", {**lr, "centered": True, "momentum": 0.9}, grads="sparse"),
        c("rmsprop_mixed", "rmsprop", {**lr, "eps_in_sqrt": False}, grads="mixed"),
        c("rmsprop_small_lr", "rmsprop", {"learning_rate": 1e-4, "centered": True, "momentum": 0.9}, params="zeros",
          tol=C.TOL_SCALED),
        # adam family.
        c("adam_default", "adam", {"learning_rate": 0.001}),
        c("adam_b1_b2_eps", "adam", {**lr, "b1": 0.8, "b2": 0.99, "eps": 1e-5}),
        c("adam_eps_root", "adam", {**lr, "eps_root": 1e-8}),
        c("adam_eps_root_tiny", "adam", {**lr, "eps_root": 1e-12, "eps": 1e-10}, grads="tiny"),
        c("adam_nesterov", "adam", {**lr, "nesterov": True}),
        c("adam_sparse", "adam", dict(lr), grads="sparse"),
        c("adam_lr_change", "adam", dict(lr), lrs={4: 0.001}),
        c("adamw_default", "adamw", {"learning_rate": 0.001}),
        c("adamw_weight_decay", "adamw", {**lr, "weight_decay": 0.1}),
        c("adamw_weight_decay_zero_grads", "adamw", {**lr, "weight_decay": 0.5}, grads="zero"),
        c("adamw_lr_change", "adamw", {**lr, "weight_decay": 0.1}, lrs={3: 0.05}),
        c("amsgrad_default", "amsgrad", dict(lr)),
        c("amsgrad_b1_b2", "amsgrad", {**lr, "b1": 0.5, "b2": 0.9}, grads="mixed"),
        # sgd.
        c("sgd_plain", "sgd", {"learning_rate": 0.1}),
        c("sgd_momentum", "sgd", {"learning_rate": 0.1, "momentum": 0.9}),
        c("sgd_nesterov", "sgd", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
        c("sgd_lr_change_momentum", "sgd", {"learning_rate": 0.1, "momentum": 0.9}, lrs={3: 0.01, 5: 0.2}),
        # adagrad.
        c("adagrad_default", "adagrad", {"learning_rate": 0.1}),
        c("adagrad_initial_accumulator", "adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.5}),
        c("adagrad_eps", "adagrad", {"learning_rate": 0.1, "eps": 1e-3}, grads="tiny"),
        c("adagrad_zero_accumulator_sparse", "adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.0},
          grads="sparse"),
        # adadelta.
        c("adadelta_lr", "adadelta", {"learning_rate": 1.0}),
        c("adadelta_rho", "adadelta", {"learning_rate": 1.0, "rho": 0.5}),
        c("adadelta_eps", "adadelta", {"learning_rate": 1.0, "eps": 1e-3}),
        c("adadelta_weight_decay", "adadelta", {"learning_rate": 0.5, "weight_decay": 0.1}),
        c("adadelta_huge", "adadelta", {"learning_rate": 1.0, "rho": 0.95}, grads="huge"),
    ]
    C.check_unique(out)
    return out


def run(c):
    params0 = C.make_params(c["name"], c["params"])
    grads = C.make_grads(c["name"], c["grads"], c["steps"])
    alias = ALIASES[c["optimizer"]]
    opts = c["options"]
    if c["lrs"]:
        static = tuple(k for k, v in opts.items() if isinstance(v, bool))
        opt = optax.inject_hyperparams(alias, static_args=static)(**opts)
    else:
        opt = alias(**opts)
    params = {k: jnp.asarray(v, dtype=jnp.float32) for k, v in params0.items()}
    state = opt.init(params)
    steps = []
    for i, g in enumerate(grads):
        rec = {}
        if i in c["lrs"]:
            state.hyperparams["learning_rate"] = jnp.asarray(c["lrs"][i], dtype=jnp.float32)
            rec["lr"] = c["lrs"][i]
        jg = {k: jnp.asarray(v, dtype=jnp.float32) for k, v in g.items()}
        updates, state = opt.update(jg, state, params)
        params = optax.apply_updates(params, updates)
        rec["grads"] = g
        rec["params"] = {k: np.asarray(v, dtype=np.float32).copy() for k, v in params.items()}
        assert all(v.dtype == jnp.float32 for v in params.values())
        steps.append(rec)
    return C.write_case(FLAVOR, REFERENCE, c, params0, steps)


def main():
    C.clean(os.path.join(C.CONFORMANCE, FLAVOR))
    all_cases = cases()
    for c in all_cases:
        run(c)
    print(f"{FLAVOR}: wrote {len(all_cases)} fixtures")


if __name__ == "__main__":
    main()
