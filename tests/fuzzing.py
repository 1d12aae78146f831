"""What the property tests that stand in for fuzzing share: the suite runs a fixed few
dozen cases, the same at every run; `make fuzz` draws new ones, NHAO_FUZZ_EXAMPLES
of them (a thousand by default)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("NHAO_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize="NHAO_FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
