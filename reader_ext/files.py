"""Writing files so that a reader never sees half of one.

Every file the package writes for someone else to open (exports, notebooks, published
annotations, reports) goes through :func:`write_atomically`: the text is written to a temporary
file beside the target and renamed over it, so a student opening a module while it is written,
or a full disk halfway through, leaves the old file or the new one, never a torn one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

T = TypeVar("T")


def write_atomically(path: Path, write: Callable[[IO[str]], T], *, newline: str | None = None) -> T:
    """Call ``write`` on a temporary text file beside ``path``, then rename it onto ``path``.

    Returns what ``write`` returned. On any failure the temporary file is removed and ``path``
    is left as it was. ``newline`` is passed to :func:`open` (``""`` for the csv module).
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            result = write(f)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result


def write_text_atomically(path: Path, text: str, *, newline: str | None = None) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`write_atomically`)."""
    write_atomically(path, lambda f: f.write(text), newline=newline)
