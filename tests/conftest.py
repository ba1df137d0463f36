"""Hypothesis profiles: ``dev`` (default, quick), ``ci`` (used by .ci/run), ``thorough``.

Choose one with ``HYPOTHESIS_PROFILE=ci``. The ``ci`` profile is derandomized so a red
CI run can be reproduced exactly, and keeps the whole suite well under ten minutes on
two cores.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=2_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
