"""The reader widget: a lesson shown in JupyterLab through anywidget."""

from __future__ import annotations

import difflib
import pathlib
from typing import Any

import anywidget
import traitlets

from reader_ext.lesson import Lesson, load_lesson
from reader_ext.payload import lesson_payload

_STATIC = pathlib.Path(__file__).parent / "static"
_OPTIONS: tuple[str, ...] = ("layout",)


class Reader(anywidget.AnyWidget):
    """Show a lesson: ``Reader("lessons/01-reading-the-argument")`` or ``Reader(lesson)``."""

    _esm = _STATIC / "reader.js"
    _css = _STATIC / "reader.css"

    lesson = traitlets.Dict().tag(sync=True)

    def __init__(self, lesson: Lesson | str | pathlib.Path, **kwargs: Any) -> None:
        unknown = [k for k in kwargs if k not in _OPTIONS]
        for name in unknown:
            close = difflib.get_close_matches(name, _OPTIONS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            msg = f"Reader() got an unexpected keyword argument '{name}'{hint}"
            raise TypeError(msg)
        loaded = lesson if isinstance(lesson, Lesson) else load_lesson(lesson)
        self._lesson = loaded
        super().__init__(lesson=dict(lesson_payload(loaded)), **kwargs)

    @property
    def source_lesson(self) -> Lesson:
        """The loaded lesson this reader shows."""
        return self._lesson
