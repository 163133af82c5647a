"""Learning-rate schedule fixtures from torch.optim.lr_scheduler (format "rmsprop-schedule/1").

For each case: build an optimizer over one dummy parameter with lr=base_lr, then repeat
    record opt.param_groups[0]["lr"]; opt.step(); sched.step()   (sched.step(metric) for ReduceLROnPlateau)
so `lrs[i]` is the learning rate used by optimizer step i. Learning rates are Python floats (float64) and are
written at full double precision. OneCycleLR needs a momentum-capable optimizer, so every case uses SGD with
momentum 0.9 (momentum is ignored). ReduceLROnPlateau metrics are made here (plateaus on purpose) and recorded.
"""

import warnings

import numpy as np
import torch
from torch.optim import lr_scheduler as S

import common as C

REFERENCE = f"torch {torch.__version__.split('+')[0]}"


def plateau_metrics(name, n, mode):
    """Improve for a while, then stall (with noise below/around the threshold), several times over."""
    rng = np.random.default_rng(C.seed_of("metrics/" + name))
    value, out = 1.0, []
    while len(out) < n:
        for _ in range(int(rng.integers(4, 9))):  # improving stretch
            value *= 0.9
            out.append(value)
        level = value
        for _ in range(int(rng.integers(6, 14))):  # plateau: noise of +-0.2%
            out.append(level * (1 + rng.uniform(-0.002, 0.002)))
    out = [round(v, 6) for v in out[:n]]
    return out if mode == "min" else [round(2.0 - v, 6) for v in out]


def cases():
    lin = {"start_factor": 0.1, "total_iters": 10}
    return [
        ("step_lr", "StepLR", {"step_size": 10, "gamma": 0.5}, 0.1, 60),
        ("step_lr_gamma_0.1", "StepLR", {"step_size": 7, "gamma": 0.1}, 1.0, 50),
        ("multi_step_lr", "MultiStepLR", {"milestones": [10, 25, 40], "gamma": 0.1}, 0.1, 60),
        ("multi_step_lr_repeated_milestone", "MultiStepLR", {"milestones": [10, 10, 30], "gamma": 0.5}, 0.1, 40),
        ("exponential_lr", "ExponentialLR", {"gamma": 0.95}, 0.1, 60),
        ("exponential_lr_0.8", "ExponentialLR", {"gamma": 0.8}, 0.01, 40),
        ("cosine_annealing_lr", "CosineAnnealingLR", {"T_max": 50}, 0.1, 60),
        ("cosine_annealing_lr_eta_min", "CosineAnnealingLR", {"T_max": 30, "eta_min": 0.001}, 0.1, 100),
        ("cosine_warm_restarts", "CosineAnnealingWarmRestarts", {"T_0": 10}, 0.1, 50),
        ("cosine_warm_restarts_eta_min", "CosineAnnealingWarmRestarts", {"T_0": 8, "eta_min": 0.01}, 0.1, 40),
        ("cosine_warm_restarts_t_mult_2", "CosineAnnealingWarmRestarts", {"T_0": 5, "T_mult": 2, "eta_min": 0.001},
         0.1, 80),
        ("linear_lr_warmup", "LinearLR", {"start_factor": 0.25, "total_iters": 10}, 0.1, 40),
        ("linear_lr_decay", "LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 30}, 0.1, 50),
        ("linear_lr_default", "LinearLR", {}, 0.1, 40),
        ("one_cycle_cos", "OneCycleLR", {"max_lr": 0.1, "total_steps": 100}, 0.01, 100),
        ("one_cycle_linear", "OneCycleLR",
         {"max_lr": 0.05, "total_steps": 60, "pct_start": 0.25, "anneal_strategy": "linear"}, 0.01, 60),
        ("one_cycle_three_phase_cos", "OneCycleLR", {"max_lr": 0.1, "total_steps": 80, "three_phase": True}, 0.01, 80),
        ("one_cycle_three_phase_linear", "OneCycleLR",
         {"max_lr": 1.0, "total_steps": 50, "three_phase": True, "anneal_strategy": "linear", "div_factor": 10.0,
          "final_div_factor": 100.0, "pct_start": 0.4}, 0.01, 50),
        ("plateau_min_rel", "ReduceLROnPlateau", {"mode": "min", "patience": 3}, 0.1, 100),
        ("plateau_min_abs_cooldown", "ReduceLROnPlateau",
         {"mode": "min", "factor": 0.5, "patience": 2, "threshold": 0.001, "threshold_mode": "abs", "cooldown": 2,
          "min_lr": 0.01}, 0.1, 100),
        ("plateau_max_rel", "ReduceLROnPlateau",
         {"mode": "max", "factor": 0.2, "patience": 4, "threshold": 0.001}, 0.1, 100),
        ("plateau_max_abs_min_lr", "ReduceLROnPlateau",
         {"mode": "max", "factor": 0.5, "patience": 1, "threshold": 0.0005, "threshold_mode": "abs", "cooldown": 3,
          "min_lr": 0.002}, 0.1, 120),
        # eps: a reduction smaller than eps is skipped, so the lr stops falling near 2 * eps here.
        ("plateau_min_eps", "ReduceLROnPlateau", {"mode": "min", "factor": 0.5, "patience": 2, "eps": 0.004}, 0.1, 100),
        ("sequential_warmup_step", "SequentialLR",
         {"schedulers": [{"scheduler": "LinearLR", "options": dict(lin)},
                         {"scheduler": "StepLR", "options": {"step_size": 15, "gamma": 0.5}}], "milestones": [10]},
         0.1, 70),
        ("sequential_warmup_exponential", "SequentialLR",
         {"schedulers": [{"scheduler": "LinearLR", "options": {"start_factor": 0.5, "total_iters": 5}},
                         {"scheduler": "ExponentialLR", "options": {"gamma": 0.9}}], "milestones": [5]}, 0.1, 40),
        ("sequential_warmup_cosine", "SequentialLR",
         {"schedulers": [{"scheduler": "LinearLR", "options": dict(lin)},
                         {"scheduler": "CosineAnnealingLR", "options": {"T_max": 40, "eta_min": 0.001}}],
          "milestones": [10]}, 0.1, 60),
        ("sequential_warmup_cosine_short_warmup", "SequentialLR",
         {"schedulers": [{"scheduler": "LinearLR", "options": {"start_factor": 0.01, "total_iters": 8}},
                         {"scheduler": "CosineAnnealingLR", "options": {"T_max": 30}}], "milestones": [5]},
         0.05, 50),
    ]


def build(opt, scheduler, options):
    if scheduler == "SequentialLR":
        inner = [getattr(S, s["scheduler"])(opt, **s["options"]) for s in options["schedulers"]]
        return S.SequentialLR(opt, schedulers=inner, milestones=options["milestones"])
    return getattr(S, scheduler)(opt, **options)


def run(name, scheduler, options, base_lr, n):
    param = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([param], lr=base_lr, momentum=0.9)
    sched = build(opt, scheduler, options)
    metrics = plateau_metrics(name, n, options.get("mode", "min")) if scheduler == "ReduceLROnPlateau" else None
    lrs = []
    for i in range(n):
        lrs.append(float(opt.param_groups[0]["lr"]))
        opt.step()
        if metrics is not None:
            sched.step(metrics[i])
        else:
            sched.step()
    out = {"format": "rmsprop-schedule/1", "name": name, "reference": REFERENCE, "scheduler": scheduler,
           "options": options, "base_lr": base_lr, "lrs": lrs}
    if metrics is not None:
        out["metrics"] = metrics
    C.write_json(C.SCHEDULES, name, out)


def main():
    warnings.filterwarnings("ignore")
    C.clean(C.SCHEDULES)
    all_cases = cases()
    assert len({c[0] for c in all_cases}) == len(all_cases)
    for c in all_cases:
        run(*c)
    print(f"schedules: wrote {len(all_cases)} fixtures")


if __name__ == "__main__":
    main()
