"""Writing files so that a reader never sees half of one.

Every file the package writes for someone else to open (exports, notebooks, published
annotations, reports) goes through :func:`write_atomically`: the text is written to a temporary
file beside the target and renamed over it, so a student opening a module while it is written,
or a full disk halfway through, leaves the old file or the new one, never a torn one.

Permissions are those a plain ``open(path, "w")`` gives, on purpose and for every file alike
(exports, reports, notebooks, releases, published annotations): a new file gets ``0o666``
less the user's umask (``0644`` with the usual umask 022), and a file written over keeps its
mode. Releases and published annotations must be readable by the students' accounts, so a
private mode by default would break them; a report or export naming students is kept private
the usual way, by the folder it is written to or a umask of 077 (``docs/instructor.md``).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

T = TypeVar("T")


def write_atomically(path: Path, write: Callable[[IO[str]], T], *, newline: str | None = None) -> T:
    """Call ``write`` on a temporary text file beside ``path``, then rename it onto ``path``.

    Returns what ``write`` returned. On any failure the temporary file is removed and ``path``
    is left as it was. ``newline`` is passed to :func:`open` (``""`` for the csv module).
    """
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            result = write(f)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result


def _create_beside(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path`` with the mode ``open(path, "w")`` would give."""
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            # 0o666 goes through the umask like open()'s does (mkstemp would force 0o600).
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        if mode is not None:
            os.fchmod(fd, mode)
        return fd, str(tmp)
    msg = f"{path.parent}: no free temporary file name"
    raise FileExistsError(msg)


def write_text_atomically(path: Path, text: str, *, newline: str | None = None) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`write_atomically`)."""
    write_atomically(path, lambda f: f.write(text), newline=newline)
