"""The reader widget: a lesson shown in JupyterLab through anywidget."""

from __future__ import annotations

import difflib
import getpass
import json
import os
import pathlib
from typing import Any, get_args

import anywidget
import traitlets

from reader_ext.interop.w3c_read import read_w3c
from reader_ext.lessons.layout import PUBLISHED_FILE, STORE_FILE
from reader_ext.lessons.load import load_lesson
from reader_ext.lessons.model import Lesson
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.widget.payload import lesson_payload
from reader_ext.widget.protocol import Mode
from reader_ext.widget.session import ReaderSession

_STATIC = pathlib.Path(__file__).parent / "static"
# The browser modules in static/, bundled into one ES module by esbuild (`npm run build`; the
# bundle is committed, and `make check` fails when it is stale). A path, not its text, so that
# anywidget reloads the widget when the file changes (`npm run dev` rebuilds it on every save).
BUNDLE = _STATIC / "dist" / "reader.js"
_OPTIONS: tuple[str, ...] = ("user", "store", "mode", "layout")


def current_user() -> str:
    """The reader's name: ``JUPYTERHUB_USER`` on a hub, else the operating-system user."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


class Reader(anywidget.AnyWidget):
    """Show a lesson and its annotations.

    ``Reader("lessons/01-reading-the-argument")`` reads and annotates as the current user, saving
    to ``annotations.sqlite`` in the lesson's folder; ``store=`` chooses another store file and
    ``user=`` another identity.
    """

    _esm = BUNDLE
    _css = _STATIC / "reader.css"

    lesson = traitlets.Dict().tag(sync=True)
    user = traitlets.Unicode().tag(sync=True)
    mode = traitlets.Unicode("student").tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        lesson: Lesson | str | pathlib.Path,
        *,
        user: str | None = None,
        store: AnnotationStore | str | os.PathLike[str] | None = None,
        mode: Mode = "student",
        **kwargs: Any,
    ) -> None:
        for name in kwargs:
            if name not in _OPTIONS:
                close = difflib.get_close_matches(name, _OPTIONS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                msg = f"Reader() got an unexpected keyword argument '{name}'{hint}"
                raise TypeError(msg)
        if mode not in get_args(Mode):
            msg = f"mode must be 'student' or 'instructor', not {mode!r}"
            raise ValueError(msg)
        loaded = lesson if isinstance(lesson, Lesson) else load_lesson(lesson)
        self._owns_store = not isinstance(store, AnnotationStore)
        if not isinstance(store, AnnotationStore):
            store = AnnotationStore(store if store is not None else loaded.path / STORE_FILE)
        who = user if user is not None else current_user()
        self._lesson = loaded
        self._store = store
        self._session = ReaderSession(loaded, store, who)
        notice = _import_published(loaded, store)
        super().__init__(
            lesson=dict(lesson_payload(loaded)), user=who, mode=mode, notice=notice, **kwargs
        )
        self.on_msg(self._handle)

    @property
    def source_lesson(self) -> Lesson:
        """The loaded lesson this reader shows."""
        return self._lesson

    def close(self) -> None:
        """Close the widget, and the store if this reader opened it."""
        super().close()
        # (Also called by __del__ on a reader whose __init__ failed half-way.)
        store = getattr(self, "_store", None)
        if store is not None and getattr(self, "_owns_store", False):
            store.close()

    @property
    def store(self) -> AnnotationStore:
        """The annotation store this reader reads and writes."""
        return self._store

    def _handle(self, _widget: object, content: object, _buffers: object) -> None:
        self.send(self._session.handle(content))


def _import_published(lesson: Lesson, store: AnnotationStore) -> str:
    """Bring the class's published annotations (if the instructor shared them) into the store.

    They keep their authors, so they are read-only here; importing is idempotent. A broken
    file is reported in the reader and changes nothing.
    """
    path = lesson.path / PUBLISHED_FILE
    if not path.is_file():
        return ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        result = store.import_annotations(read_w3c(data))
    except (OSError, ValueError, RecursionError) as exc:
        return f"The class's shared annotations ({path.name}) could not be read: {exc}"
    if result.added:
        return f"{result.added} annotations from your class are now shown (read-only)."
    return ""
