"""Annotated Reader: annotated texts with glosses, prompts and annotations in JupyterLab."""

from reader_ext._version import __version__
from reader_ext.errors import AnnotationError, LessonError, Problem, StoreError
from reader_ext.lessons.load import load_course, load_lesson
from reader_ext.lessons.model import Course, Lesson
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.text.document import Document
from reader_ext.widget.reader import Reader

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
