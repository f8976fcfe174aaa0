"""Memory in a process that runs for months: Python's cycles, and glibc's free pages.

Measured with benchmarks/soak.py: every sheet leaves reportlab's reference cycles behind,
one of which holds the whole 5 MB font file, so until Python's next full collection the
kiosk's memory was up to ~8 MB higher; a full collection in a kiosk that has started
walks ~88,000 objects (15-20 ms) unless they were frozen first (0.2 ms).
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # noqa: PLC0415 - ~2 ms the first screen does not wait for

    try:
        # The process's own symbols: the C library the interpreter is linked against.
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim


def release_free_memory() -> bool:
    """Return the C heaps' free pages to the system (glibc keeps them for reuse, and after
    a large block was freed keeps even large blocks in its heaps): `malloc_trim(0)`.
    False where that is not possible (not Linux with glibc)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def collect_garbage() -> None:
    """Free unreachable reference cycles now, and hand the freed pages back."""
    gc.collect()
    release_free_memory()


def settle_after_start() -> None:
    """Once the kiosk has loaded: collect, then freeze what survived (windows, the
    questionnaire, modules), so that later full collections only walk what visits made."""
    gc.collect()
    gc.freeze()
