"""No cyclic garbage collection during the instructor's bulk work (a collect, a report).

Both hold tens of thousands of decoded annotations (millions of small objects) and make almost
no reference cycles, so each full collection would only walk them all again: about a tenth of a
first collect's CPU, a third of decoding a report's 50,000 annotations. Collection resumes when
the outermost pause ends (a report inside a collect, or nested calls, leave it to the outer one).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
