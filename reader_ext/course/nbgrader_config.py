"""nbgrader settings for a course whose assignments are Annotated Reader lessons.

A lesson folder that anyone has opened holds an annotation store (``annotations.sqlite`` and its
``-wal`` / ``-shm`` files). nbgrader copies folders whole at five steps, and at three of them a
store must not travel:

- ``generate_assignment`` (``source/`` → ``release/``) and ``release_assignment`` (→ the
  exchange): an instructor's store left in ``source/`` after a preview would reach every student;
- ``generate_feedback`` (``autograded/`` → ``feedback/``): feedback is about the notebook, and a
  store sent back would sit beside the student's own.

So those apps ignore the store files. Two steps must carry it, and so cannot simply ignore it
(``CourseDirectory.ignore`` is one list for every step): ``collect`` (the exchange →
``submitted/``) and ``autograde``'s copy of the submission into ``autograded/``. But
``autograde`` also "overwrites files with master versions" from ``source/``: listing the store
files in ``Autograde.exclude_overwriting`` keeps the student's own store there.

``reader-ext assign --nbgrader`` writes a ``nbgrader_config.py`` that calls :func:`configure`.
Students need no configuration: their ``submit`` must carry their store, so never put these
ignores in a configuration students also read (such as ``/etc/jupyter/nbgrader_config.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader_ext.lessons.layout import STORE_FILE

STORE_FILES = [STORE_FILE, *(f"{STORE_FILE}-{end}" for end in ("wal", "shm", "journal"))]
"""A store and the files SQLite keeps beside it."""
# nbgrader 0.9's default ``CourseDirectory.ignore``; kept, with the store files added.
_NBGRADER_IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
_APPS_WITHOUT_STORES = (
    "GenerateAssignmentApp",
    "ReleaseAssignmentApp",
    "GenerateFeedbackApp",
    "ReleaseFeedbackApp",
)

CONFIG_TEXT = """\
# Written by `reader-ext assign --nbgrader`. Keeps every annotation store out of releases and
# feedback, and keeps each student's own store through autograde (see docs/instructor.md).
from pathlib import Path

from reader_ext.course.nbgrader_config import configure

c = get_config()  # noqa: F821 - nbgrader defines it when it reads this file
configure(c, Path(__file__).parent)
"""
CONFIG_MARK = "reader_ext.course.nbgrader_config"


def configure(c: Any, course_root: Path) -> None:
    """Apply the settings above to nbgrader's config object ``c`` for the course at ``course_root``.

    ``c`` is the ``traitlets`` ``Config`` that ``get_config()`` returns in ``nbgrader_config.py``.
    """
    given = c.CourseDirectory.get("ignore")
    ignore = list(given) if given is not None else list(_NBGRADER_IGNORE)
    for app in _APPS_WITHOUT_STORES:
        c[app].CourseDirectory.ignore = ignore + [f for f in STORE_FILES if f not in ignore]
    root = Path(c.CourseDirectory.get("root") or course_root)
    source = root / str(c.CourseDirectory.get("source_directory") or "source")
    # exclude_overwriting is keyed by assignment, so every assignment folder is listed.
    keep = dict(c.Autograde.get("exclude_overwriting") or {})
    if source.is_dir():
        for folder in sorted(p for p in source.iterdir() if p.is_dir()):
            keep[folder.name] = sorted({*keep.get(folder.name, []), *STORE_FILES})
    c.Autograde.exclude_overwriting = keep
    # Autograde runs each notebook headless. With the widgets' state saved, nbconvert (and so
    # generate_feedback) shows a Reader cell as a live widget, which is empty without a kernel;
    # without it, the cell's read-only text/html view: the reading, its glosses and prompts.
    c.Execute.store_widget_state = False
