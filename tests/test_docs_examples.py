"""The code examples in the docs are run, so they cannot go stale.

A fenced block (```sh, ```bash, ```console or ```python) right after a line ``<!-- run -->`` in
``README.md``, ``lessons/README.md`` or ``docs/*.md`` is run here, in a scratch folder holding a
copy of ``lessons/`` and an empty annotation store ``class.sqlite``. Blocks of one file run in
order in the same folder (an export may feed the import after it). Shell lines run one by one
with ``reader-ext`` on the PATH; each must exit 0. Python blocks run with ``exec``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader_ext import AnnotationStore

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "lessons" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^<!-- run -->\n```(sh|bash|console|python)\n(.*?)^```", re.M | re.S)


def runnable(path: Path) -> list[tuple[str, str, int]]:
    text = path.read_text(encoding="utf-8")
    return [
        (m.group(1), m.group(2), text.count("\n", 0, m.start()) + 2) for m in _BLOCK.finditer(text)
    ]


def test_the_docs_have_runnable_examples() -> None:
    assert len(runnable(ROOT / "docs" / "annotations.md")) >= 2
    assert len(runnable(ROOT / "lessons" / "README.md")) >= 3


@pytest.mark.parametrize("doc", [p for p in DOCS if runnable(p)], ids=lambda p: p.name)
def test_doc_examples_run(doc: Path, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "lessons", tmp_path / "lessons")
    AnnotationStore(tmp_path / "class.sqlite").close()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for language, code, line in runnable(doc):
        if language == "python":
            cwd = Path.cwd()
            os.chdir(tmp_path)
            try:
                exec(compile(code, f"{doc}:{line}", "exec"), {})
            finally:
                os.chdir(cwd)
            continue
        for offset, command in enumerate(code.splitlines()):
            command = command.removeprefix("$ ").split("  #")[0].strip()
            if not command or command.startswith("#"):
                continue
            done = subprocess.run(
                command,
                shell=True,
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0, (
                f"{doc.name}:{line + offset}: {command}\n{done.stdout}\n{done.stderr}"
            )
