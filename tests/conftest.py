from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
LESSONS = ROOT / "lessons"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A private copy of the small fixture course, safe to break."""
    target = tmp_path / "course"
    shutil.copytree(FIXTURES / "course-ok", target)
    return target
