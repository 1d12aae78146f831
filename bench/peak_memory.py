"""A benchmark process's peak memory in MB, measured alike in every benchmark."""

from __future__ import annotations

import sys
import tracemalloc


def peak_mb(*, children: bool = False) -> float:
    """The peak resident size of this process (or of its finished children). Windows
    has no `resource`: there, Python's own allocations when tracemalloc runs, else NaN."""
    try:
        import resource
    except ImportError:
        if tracemalloc.is_tracing() and not children:
            return tracemalloc.get_traced_memory()[1] / 1024 / 1024
        return float("nan")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return peak.ru_maxrss / 1024 / (1024 if sys.platform == "darwin" else 1)
