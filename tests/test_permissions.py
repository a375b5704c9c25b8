"""Permission problems, for real: the commands run in a process the operating system holds to
the permission bits (as root, as in CI, without the capabilities that let root read anything),
so it refuses the files, and each message must name the file and say what to do.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader_ext.store.annotation_store import AnnotationStore

LESSON = "urn:reader-ext:course:module"
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2  # <linux/prctl.h>, capability.h


def _drop_privileges() -> Callable[[], None] | None:
    if os.geteuid() != 0:
        return None  # already unprivileged: chmod 000 refuses us as it refuses any user

    def drop() -> None:
        # Root reads and writes anything through CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH:
        # without them (dropped from the bounding set, so the exec'd python has neither), root
        # is held to the permission bits like any owner. (``nobody`` cannot run the venv's
        # python here: it links into /root.)
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")

    return drop


def as_unprivileged(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``reader-ext ARGV`` in a process that cannot read what it is not allowed to."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "reader_ext.cli", *argv],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=_drop_privileges(),
    )  # fmt: skip


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder anyone may enter and write in."""
    folder = Path(tempfile.mkdtemp(prefix="reader-ext-perm-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def store_with_a_note(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with AnnotationStore(path) as store:
        store.add(
            {
                "motivation": "commenting",
                "body": [{"type": "TextualBody", "value": "n", "purpose": "commenting"}],
                "target": {
                    "source": LESSON,
                    "selector": [{"type": "TextQuoteSelector", "exact": "x"}],
                },
            },
            user="jovyan",
        )
    for p in path.parent.glob("*"):
        p.chmod(0o644)


def open_up(root: Path) -> None:
    for dirpath, _dirs, files in os.walk(root):
        Path(dirpath).chmod(0o777)
        for name in files:
            (Path(dirpath) / name).chmod(0o666)


def test_an_unreadable_submission_is_named_with_what_to_do(shared: Path) -> None:
    subs = shared / "subs"
    store_with_a_note(subs / "ana" / "m1" / "annotations.sqlite")
    store_with_a_note(subs / "ben" / "m1" / "annotations.sqlite")
    store_with_a_note(subs / "cem" / "m1" / "annotations.sqlite")
    open_up(subs)
    (subs / "ben" / "m1" / "annotations.sqlite").chmod(0o600)
    (subs / "ben" / "m1" / "annotations.sqlite").chmod(0o000)
    (subs / "cem").chmod(0o000)
    done = as_unprivileged("collect", str(subs), "--into", str(shared / "class.sqlite"), cwd=shared)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "collected 1 of 3" in out and "ana: collected" in out
    ben = next(line for line in out.splitlines() if "ben" in line)
    assert "ben: skipped" in ben and "m1/annotations.sqlite" in ben
    assert "no permission to read" in ben and "read access" in ben
    cem = next(line for line in out.splitlines() if "cem" in line)
    assert f"no permission to read {subs / 'cem'}" in cem and "read access" in cem
    assert "Traceback" not in out + done.stderr


def test_an_unreadable_or_unwritable_class_store_is_named(shared: Path) -> None:
    klass = shared / "class.sqlite"
    store_with_a_note(klass)
    klass.chmod(0o000)
    done = as_unprivileged("report", str(klass), "--out", str(shared / "r"), cwd=shared)
    assert done.returncode == 1
    assert f"{klass}: no permission to read this file; check its permissions" in done.stderr
    done = as_unprivileged("export", "--store", str(klass), cwd=shared)
    assert done.returncode == 1 and f"{klass}: no permission to read" in done.stderr

    # Readable, but in a folder the user cannot write in (SQLite needs its -wal and -shm there).
    locked = shared / "locked"
    locked.mkdir()
    store_with_a_note(locked / "class.sqlite")
    locked.chmod(0o555)
    done = as_unprivileged("collect", str(shared / "none"), "--into", str(locked / "class.sqlite"),
                     cwd=shared)  # fmt: skip
    assert done.returncode == 1
    assert "no such folder" in done.stderr
    (shared / "subs" / "ana").mkdir(parents=True)
    open_up(shared / "subs")
    done = as_unprivileged("collect", str(shared / "subs"), "--into", str(locked / "class.sqlite"),
                     cwd=shared)  # fmt: skip
    assert done.returncode == 1
    assert str(locked / "class.sqlite") in done.stderr
    assert "read-only" in done.stderr or "no permission to" in done.stderr
    assert "Traceback" not in done.stderr
