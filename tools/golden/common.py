"""Shared helpers for the conformance-fixture generators.

Every generator builds a list of cases, runs each one through its reference
framework and writes one JSON file per case with `write_case`. Initial
parameters and gradients are made here, from a seed derived from the case
name, so a case is reproducible on its own and regeneration is byte-identical.
"""

import json
import os
import zlib

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "packages", "rmsprop", "fixtures")
CONFORMANCE = os.path.join(FIXTURES, "conformance")
SCHEDULES = os.path.join(FIXTURES, "schedules")

SHAPES = {"w": (3, 4), "b": (5,)}
TOLERANCE = {"rel": 1e-5, "abs": 1e-6}
# Cases whose updates are small (small learning rates, Adadelta's sqrt(eps)-sized steps) or tiny (tiny
# gradients where eps dominates) start from zero parameters and use TOL_SCALED: rel 1e-5 and an abs tolerance of
# 1e-5 times the largest single-step parameter change of the reference, rounded down to a power of ten. With the
# default abs 1e-6 and parameters ~1 such updates would hardly be checked; with a fixed tiny abs, elements where
# updates of opposite sign nearly cancel would demand more than float32 can give.
TOL_SCALED = "scaled"
DEFAULT_STEPS = 8


def seed_of(name):
    """A stable 32-bit seed from a case name (Python's hash() is salted)."""
    return zlib.crc32(name.encode("utf-8"))


def f32(x):
    """A float32 value as the shortest decimal that rounds back to it.

    The returned Python float prints (repr) as that short decimal, so JSON
    stays compact; parsing it and rounding to float32 (Math.fround) gives
    back exactly the float32 value. Falls back to the exact double if the
    short form ever fails to round-trip.
    """
    v = np.float32(x)
    if not np.isfinite(v):
        raise ValueError(f"non-finite value {v} in a fixture")
    short = float(str(v))
    return short if np.float32(short) == v else float(v)


def flat(a):
    return [f32(x) for x in np.asarray(a, dtype=np.float32).ravel()]


def make_params(name, kind="random"):
    """Initial parameters: random (w ~ N(0,1), b ~ U(-0.5, 0.5)) or zeros."""
    if kind == "zeros":
        return {p: np.zeros(shape, dtype=np.float32) for p, shape in SHAPES.items()}
    rng = np.random.default_rng(seed_of("params/" + name))
    return {
        "w": rng.normal(0.0, 1.0, SHAPES["w"]).astype(np.float32),
        "b": rng.uniform(-0.5, 0.5, SHAPES["b"]).astype(np.float32),
    }


def make_grads(name, kind="normal", steps=DEFAULT_STEPS):
    """A list (one per step) of {param name: float32 gradient}.

    kind: normal (N(0,1)), tiny (~1e-7), huge (~1e3), zero (all exactly 0),
    sparse (>=80% zeros, and `b` all zero on some steps), mixed (each element
    10^U(-6, 3) with a random sign, so magnitudes differ wildly inside one
    tensor and from step to step).
    """
    rng = np.random.default_rng(seed_of("grads/" + name))
    out = []
    for step in range(steps):
        g = {}
        for p, shape in SHAPES.items():
            n = rng.normal(0.0, 1.0, shape)
            if kind == "normal":
                x = n
            elif kind == "tiny":
                x = n * 1e-7
            elif kind == "huge":
                x = n * 1e3
            elif kind == "zero":
                x = np.zeros(shape)
            elif kind == "sparse":
                keep = rng.uniform(0.0, 1.0, shape) < 0.15
                x = np.where(keep, n, 0.0)
                if p == "b" and step in (1, 2, 5):
                    x = np.zeros(shape)
            elif kind == "mixed":
                mag = 10.0 ** rng.uniform(-6.0, 3.0, shape)
                x = np.sign(n) * mag
            else:
                raise ValueError(kind)
            g[p] = x.astype(np.float32)
        out.append(g)
    return out


def case(name, optimizer, options, grads="normal", steps=DEFAULT_STEPS, lrs=None, tol=None, params=None):
    """A case description. lrs: optional {step index: learning rate set just before that step}.

    Tiny-gradient cases default to zero initial parameters and TOL_SCALED (see above)."""
    tiny = grads == "tiny"
    return {
        "params": params or ("zeros" if tiny else "random"),
        "name": name,
        "optimizer": optimizer,
        "options": options,
        "grads": grads,
        "steps": steps,
        "lrs": lrs or {},
        "tolerance": tol or (TOL_SCALED if tiny else TOLERANCE),
    }


def scaled_tolerance(params0, steps):
    biggest, prev = 0.0, params0
    for s in steps:
        biggest = max([biggest] + [float(np.max(np.abs(s["params"][k] - prev[k]))) for k in prev])
        prev = s["params"]
    abs_tol = 10.0 ** np.floor(np.log10(1e-5 * biggest)) if biggest > 0 else 1e-12
    return {"rel": TOLERANCE["rel"], "abs": f32(max(abs_tol, 1e-15))}


def fixture(flavor, reference, c, params0, steps):
    """steps: list of {"lr"?: float, "grads": {..np}, "params": {..np}, "ema"?: {..np}}."""
    tolerance = c["tolerance"]
    if tolerance == TOL_SCALED:
        tolerance = scaled_tolerance(params0, steps)
    out_steps = []
    for s in steps:
        o = {}
        if "lr" in s:
            o["lr"] = f32(s["lr"])
        o["grads"] = {k: flat(v) for k, v in s["grads"].items()}
        o["params"] = {k: flat(v) for k, v in s["params"].items()}
        if "ema" in s:
            o["ema"] = {k: flat(v) for k, v in s["ema"].items()}
        out_steps.append(o)
    return {
        "format": "rmsprop-conformance/1",
        "name": c["name"],
        "reference": reference,
        "flavor": flavor,
        "optimizer": c["optimizer"],
        "options": c["options"],
        "params": {k: {"shape": list(v.shape), "data": flat(v)} for k, v in params0.items()},
        "steps": out_steps,
        "tolerance": tolerance,
    }


def dumps(obj):
    """JSON with one key per line but every number array on a single line."""
    return _dump(obj, 0) + "\n"


def _dump(obj, depth):
    pad = "  " * (depth + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        if all(not isinstance(v, (dict, list)) for v in obj.values()) and len(obj) <= 6:
            return "{ " + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in obj.items()) + " }"
        items = [f"{pad}{json.dumps(k)}: {_dump(v, depth + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return "[" + ", ".join(json.dumps(v) for v in obj) + "]"
        items = [pad + _dump(v, depth + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
    return json.dumps(obj)


def write_json(folder, name, obj):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name + ".json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(obj))
    return path


def write_case(flavor, reference, c, params0, steps):
    return write_json(os.path.join(CONFORMANCE, flavor), c["name"], fixture(flavor, reference, c, params0, steps))


def check_unique(cases):
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit(f"duplicate case names: {sorted(dup)}")


def clean(folder):
    """Remove previously generated .json files so deleted cases do not linger."""
    if os.path.isdir(folder):
        for f in os.listdir(folder):
            if f.endswith(".json"):
                os.remove(os.path.join(folder, f))
