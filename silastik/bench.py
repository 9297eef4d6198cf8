"""Timing helpers shared by the `make bench` commands."""

import logging
import statistics
import time
from collections.abc import Callable


def timings(run: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of `repeat` runs, after one untimed run that loads fonts, templates and
    caches."""
    # WeasyPrint logs every layout step at INFO: seven lines per PDF would bury the table.
    progress = logging.getLogger("weasyprint.progress")
    level = progress.level
    progress.setLevel(logging.WARNING)
    try:
        run()
        measured = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            measured.append((time.perf_counter() - start) * 1000)
    finally:
        progress.setLevel(level)
    return measured


def table_row(name: str, measured: list[float], target: int | None, *, width: int = 36) -> str:
    """One line of a bench table: median, p95 and the target with its verdict."""
    median = statistics.median(measured)
    p95 = f"{statistics.quantiles(measured, n=20)[-1]:10.1f}" if len(measured) > 1 else f"{'-':>10}"
    verdict = "" if target is None else ("  ok" if median < target else "  SLOW")
    goal = f"{target:>10}" if target else f"{'-':>10}"
    return f"{name:{width}} {median:10.1f} {p95} {goal}{verdict}"
