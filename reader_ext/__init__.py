"""Annotated Reader: annotated texts with glosses, prompts and annotations in JupyterLab."""

from reader_ext._version import __version__
from reader_ext.annotation_shape import AnnotationError
from reader_ext.document import Document
from reader_ext.errors import LessonError, Problem
from reader_ext.lesson import Course, Lesson, load_course, load_lesson
from reader_ext.store import AnnotationStore, StoreError
from reader_ext.widget import Reader

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
