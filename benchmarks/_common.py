"""What every benchmark section shares: the figures' type, timing, and the ratio of rounds."""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable

Figures = dict[str, float]


def median_ratio(rounds: list[tuple[float, float]]) -> float:
    """The median over rounds of ``peer time / our time`` (above 1: ours is faster)."""
    return statistics.median(peer / ours for ours, peer in rounds)


def timed(function: Callable[[], object]) -> float:
    """Seconds one call of ``function`` took."""
    started = timeit.default_timer()
    function()
    return timeit.default_timer() - started
