"""Memory in a process that runs for months: Python's reference cycles.

Every sheet leaves reportlab's reference cycles behind, one of which holds a copy of the
whole 5 MB font file; they are freed as soon as the sheet is made instead of at Python's
next full collection. glibc's malloc_trim and gc.freeze were tried and dropped: with and
without them benchmarks/soak.py measured the same rate and a flat RSS (+0.3 and +0.2 MB
from visit 100 to 300; the goal is <= 10 MB over 1,000 visits).
"""

from __future__ import annotations

import gc


def collect_garbage() -> None:
    """Free unreachable reference cycles now (after a sheet is made)."""
    gc.collect()
