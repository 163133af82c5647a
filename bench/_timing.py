"""The Python side's timing, shared by the *_torch.py scripts: as medianMs in _common.ts."""

import statistics
import time


def median_ms(call, warmup=3, reps=7, target_ms=50):
    """Median milliseconds per call over `reps` runs of about `target_ms` each, after `warmup` calls."""
    for _ in range(warmup):
        call()
    t = time.perf_counter()
    call()
    once = (time.perf_counter() - t) * 1e3
    calls = max(1, round(target_ms / max(once, 1e-3)))
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(calls):
            call()
        times.append((time.perf_counter() - t) * 1e3 / calls)
    return statistics.median(times)
