"""Annotated Reader: annotated texts with glosses, prompts and annotations in JupyterLab.

The names below are imported when first used (PEP 562), so that ``reader-ext report`` or
``collect`` does not load the widget stack (ipywidgets, anywidget) or the store's engine before
it needs them: importing ``reader_ext.course.report`` took 0.6 s, most of it the widget.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reader_ext._version import __version__

if TYPE_CHECKING:
    from reader_ext.errors import AnnotationError, LessonError, Problem, StoreError
    from reader_ext.lessons.load import load_course, load_lesson
    from reader_ext.lessons.model import Course, Lesson
    from reader_ext.store.annotation_store import AnnotationStore
    from reader_ext.text.document import Document
    from reader_ext.widget.reader import Reader

_HOMES = {
    "AnnotationError": "reader_ext.errors",
    "LessonError": "reader_ext.errors",
    "Problem": "reader_ext.errors",
    "StoreError": "reader_ext.errors",
    "load_course": "reader_ext.lessons.load",
    "load_lesson": "reader_ext.lessons.load",
    "Course": "reader_ext.lessons.model",
    "Lesson": "reader_ext.lessons.model",
    "AnnotationStore": "reader_ext.store.annotation_store",
    "Document": "reader_ext.text.document",
    "Reader": "reader_ext.widget.reader",
}

__all__ = [
    "AnnotationError",
    "AnnotationStore",
    "Course",
    "Document",
    "Lesson",
    "LessonError",
    "Problem",
    "Reader",
    "StoreError",
    "__version__",
    "load_course",
    "load_lesson",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        msg = f"module 'reader_ext' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
