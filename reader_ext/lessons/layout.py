"""The names of the files in a course and module folder, in one place.

A module folder holds the author's files (``module.toml`` and what it names), the notebook
``build`` writes, and — once a student reads it — the student's annotation store and, after
``publish``, the class's published annotations. ``assign``, ``collect``, ``publish`` and the
reader all find these files by the names below.
"""

COURSE_FILE = "course.toml"
MODULE_FILE = "module.toml"
NOTEBOOK_FILE = "lesson.ipynb"
STORE_FILE = "annotations.sqlite"
"""The student's own annotations, beside the lesson (with its ``-wal`` and ``-shm`` files)."""
PUBLISHED_FILE = "published-annotations.jsonld"
"""The class's annotations, shared back read-only by ``reader-ext publish``."""
