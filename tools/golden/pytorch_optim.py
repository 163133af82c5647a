"""Conformance fixtures from torch.optim (flavor "pytorch").

Every optimizer runs its single-tensor reference path (foreach=False, the
canonical implementation); `foreach` is not recorded in `options` because it
does not change the maths.
"""

import os

import torch

import common as C

FLAVOR = "pytorch"
REFERENCE = f"torch {torch.__version__.split('+')[0]}"
CLASSES = {
    "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "adagrad": torch.optim.Adagrad,
    "adadelta": torch.optim.Adadelta,
}


def cases():
    c = C.case
    out = [
        # RMSprop: each switch, then the combinations that interact.
        c("rmsprop_default", "rmsprop", {"lr": 0.01}),
        c("rmsprop_alpha_0.9", "rmsprop", {"lr": 0.01, "alpha": 0.9}),
        c("rmsprop_alpha_0.5", "rmsprop", {"lr": 0.003, "alpha": 0.5}),
        c("rmsprop_eps_1e-3", "rmsprop", {"lr": 0.01, "eps": 1e-3}),
        c("rmsprop_eps_0.1_tiny", "rmsprop", {"lr": 0.01, "eps": 0.1}, grads="tiny"),
        c("rmsprop_centered", "rmsprop", {"lr": 0.01, "centered": True}),
        c("rmsprop_momentum", "rmsprop", {"lr": 0.01, "momentum": 0.9}),
        c("rmsprop_momentum_0.5_alpha_0.9", "rmsprop", {"lr": 0.02, "momentum": 0.5, "alpha": 0.9}),
        c("rmsprop_centered_momentum", "rmsprop", {"lr": 0.01, "alpha": 0.95, "centered": True, "momentum": 0.9}),
        c("rmsprop_weight_decay", "rmsprop", {"lr": 0.01, "weight_decay": 0.1}),
        c("rmsprop_weight_decay_momentum", "rmsprop", {"lr": 0.01, "weight_decay": 0.05, "momentum": 0.9}),
        c("rmsprop_weight_decay_centered", "rmsprop", {"lr": 0.01, "weight_decay": 0.05, "centered": True}),
        c("rmsprop_weight_decay_centered_momentum", "rmsprop",
          {"lr": 0.01, "weight_decay": 0.05, "centered": True, "momentum": 0.9}),
        c("rmsprop_weight_decay_zero_grads", "rmsprop", {"lr": 0.01, "weight_decay": 0.5}, grads="zero"),
        c("rmsprop_maximize", "rmsprop", {"lr": 0.01, "maximize": True}),
        c("rmsprop_maximize_all", "rmsprop",
          {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.01, "momentum": 0.8, "centered": True,
           "maximize": True}),
        c("rmsprop_lr_change", "rmsprop", {"lr": 0.01}, lrs={3: 0.001, 6: 0.05}),
        c("rmsprop_lr_change_momentum", "rmsprop", {"lr": 0.01, "momentum": 0.9}, lrs={2: 0.1, 5: 0.001}),
        c("rmsprop_lr_change_centered_momentum", "rmsprop", {"lr": 0.01, "centered": True, "momentum": 0.9},
          lrs={4: 0.003}),
        c("rmsprop_tiny", "rmsprop", {"lr": 0.01}, grads="tiny"),
        c("rmsprop_tiny_centered_momentum", "rmsprop", {"lr": 0.01, "centered": True, "momentum": 0.9}, grads="tiny"),
        c("rmsprop_huge", "rmsprop", {"lr": 0.01}, grads="huge"),
        c("rmsprop_huge_centered", "rmsprop", {"lr": 0.01, "centered": True}, grads="huge"),
        c("rmsprop_zero", "rmsprop", {"lr": 0.01, "momentum": 0.9}, grads="zero"),
        c("rmsprop_sparse", "rmsprop", {"lr": 0.01}, grads="sparse"),
        c("rmsprop_sparse_centered_momentum", "rmsprop", {"lr": 0.01, "centered": True, "momentum": 0.9},
          grads="sparse"),
        c("rmsprop_mixed", "rmsprop", {"lr": 0.01}, grads="mixed"),
        c("rmsprop_mixed_centered_momentum", "rmsprop", {"lr": 0.01, "centered": True, "momentum": 0.9},
          grads="mixed"),
        c("rmsprop_small_lr", "rmsprop", {"lr": 1e-4, "centered": True, "momentum": 0.9}, params="zeros",
          tol=C.TOL_SCALED),
        c("rmsprop_long", "rmsprop", {"lr": 0.001, "alpha": 0.9, "momentum": 0.9, "centered": True}, steps=10),
        # Adam.
        c("adam_default", "adam", {"lr": 0.001}),
        c("adam_betas_eps", "adam", {"lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6}),
        c("adam_amsgrad", "adam", {"lr": 0.01, "amsgrad": True}),
        c("adam_amsgrad_mixed", "adam", {"lr": 0.01, "amsgrad": True}, grads="mixed"),
        c("adam_weight_decay", "adam", {"lr": 0.01, "weight_decay": 0.1}),
        c("adam_maximize", "adam", {"lr": 0.01, "maximize": True, "amsgrad": True, "weight_decay": 0.01}),
        c("adam_tiny", "adam", {"lr": 0.01}, grads="tiny"),
        c("adam_sparse", "adam", {"lr": 0.01}, grads="sparse"),
        c("adam_lr_change", "adam", {"lr": 0.01}, lrs={3: 0.001, 6: 0.02}),
        # AdamW.
        c("adamw_default", "adamw", {"lr": 0.001}),
        c("adamw_weight_decay", "adamw", {"lr": 0.01, "weight_decay": 0.1}),
        c("adamw_amsgrad", "adamw", {"lr": 0.01, "weight_decay": 0.05, "amsgrad": True}),
        c("adamw_huge", "adamw", {"lr": 0.01, "weight_decay": 0.1}, grads="huge"),
        c("adamw_lr_change", "adamw", {"lr": 0.01, "weight_decay": 0.1}, lrs={4: 0.05}),
        # SGD.
        c("sgd_plain", "sgd", {"lr": 0.1}),
        c("sgd_momentum", "sgd", {"lr": 0.1, "momentum": 0.9}),
        c("sgd_momentum_dampening", "sgd", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
        c("sgd_nesterov", "sgd", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
        c("sgd_weight_decay", "sgd", {"lr": 0.1, "weight_decay": 0.01}),
        c("sgd_nesterov_weight_decay", "sgd", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1}),
        c("sgd_maximize", "sgd", {"lr": 0.1, "momentum": 0.9, "maximize": True}),
        c("sgd_sparse_momentum", "sgd", {"lr": 0.1, "momentum": 0.9}, grads="sparse"),
        c("sgd_lr_change_momentum", "sgd", {"lr": 0.1, "momentum": 0.9}, lrs={3: 0.01, 5: 0.2}),
        # Adagrad.
        c("adagrad_default", "adagrad", {"lr": 0.01}),
        c("adagrad_lr_decay", "adagrad", {"lr": 0.1, "lr_decay": 0.1}),
        c("adagrad_weight_decay", "adagrad", {"lr": 0.1, "weight_decay": 0.1}),
        c("adagrad_initial_accumulator", "adagrad", {"lr": 0.1, "initial_accumulator_value": 0.5}),
        c("adagrad_eps", "adagrad", {"lr": 0.1, "eps": 1e-3}, grads="tiny"),
        c("adagrad_sparse", "adagrad", {"lr": 0.1}, grads="sparse"),
        c("adagrad_lr_change", "adagrad", {"lr": 0.1, "lr_decay": 0.05}, lrs={4: 0.3}),
        # Adadelta.
        c("adadelta_default", "adadelta", {}),
        c("adadelta_rho", "adadelta", {"rho": 0.5}),
        c("adadelta_eps", "adadelta", {"eps": 1e-3}),
        c("adadelta_weight_decay", "adadelta", {"weight_decay": 0.1, "lr": 0.5}),
        c("adadelta_lr", "adadelta", {"lr": 0.1, "rho": 0.95, "eps": 1e-5}),
        c("adadelta_huge", "adadelta", {"lr": 1.0}, grads="huge"),
        c("adadelta_lr_change", "adadelta", {"lr": 1.0}, lrs={3: 0.2}),
    ]
    C.check_unique(out)
    return out


def run(c):
    params0 = C.make_params(c["name"], c["params"])
    grads = C.make_grads(c["name"], c["grads"], c["steps"])
    tensors = {k: torch.tensor(v, dtype=torch.float32) for k, v in params0.items()}
    for t in tensors.values():
        t.requires_grad_(True)
    opts = dict(c["options"])
    if "betas" in opts:
        opts["betas"] = tuple(opts["betas"])
    opt = CLASSES[c["optimizer"]](list(tensors.values()), foreach=False, **opts)
    steps = []
    for i, g in enumerate(grads):
        rec = {}
        if i in c["lrs"]:
            for group in opt.param_groups:
                group["lr"] = c["lrs"][i]
            rec["lr"] = c["lrs"][i]
        for k, t in tensors.items():
            t.grad = torch.tensor(g[k], dtype=torch.float32)
        opt.step()
        rec["grads"] = g
        rec["params"] = {k: t.detach().numpy().copy() for k, t in tensors.items()}
        steps.append(rec)
    return C.write_case(FLAVOR, REFERENCE, c, params0, steps)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    C.clean(os.path.join(C.CONFORMANCE, FLAVOR))
    all_cases = cases()
    for c in all_cases:
        run(c)
    print(f"{FLAVOR}: wrote {len(all_cases)} fixtures")


if __name__ == "__main__":
    main()
