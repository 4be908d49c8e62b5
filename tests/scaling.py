"""Growth of running time between n and 4n, for tests that guard against quadratic code.

Absolute times at one size say more about the machine (two shared cores in CI) than about
the code. The ratio between 4n and n does not: about 4 when linear, 16 when quadratic. Each
size is timed a few times in CPU time (`process_time`: a busy neighbour does not count) and
the fastest run kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable

LINEAR_ENOUGH = 8.0
"""4n may cost at most twice the linear 4x: room for noise and caches, none for n^2 (16x)."""


def fastest(work: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def growth(prepare: Callable[[int], Callable[[], object]], n: int, repeats: int = 5) -> float:
    """How many times longer the work prepared for 4n items takes than for n items."""
    small, large = prepare(n), prepare(4 * n)
    small()  # warm caches and lazy imports before timing anything
    return fastest(large, repeats) / fastest(small, repeats)
