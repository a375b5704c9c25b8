"""No cyclic garbage collection during work that makes many objects and almost no cycles.

A collect and a report hold tens of thousands of decoded annotations (millions of small
objects); building a reading makes a token, a block and an occurrence per few words. Each full
collection meanwhile would only walk them all again: about a tenth of a first collect's CPU, a
third of decoding a report's 50,000 annotations, a quarter of building a million-word reading
(and what made the cost per word grow with the reading's length). Collection resumes when the
outermost pause ends (nested pauses leave it to the outer one).
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
