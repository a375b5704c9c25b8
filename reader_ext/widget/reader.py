"""The reader widget: a lesson shown in JupyterLab through anywidget."""

from __future__ import annotations

import asyncio
import difflib
import getpass
import json
import os
import pathlib
from typing import Any, get_args

import anywidget
import traitlets

from reader_ext.errors import AnnotationError, StoreError
from reader_ext.hub.client import ClassClient
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
    ``user=`` another identity. On a JupyterHub set up for class mode (``READER_EXT_CLASS_SERVICE``
    in the server's environment, see ``docs/class-mode.md``) and with no ``store=``, the reader
    uses the class service instead, as the Hub user, and classmates' notes arrive live.
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
        self._follow: asyncio.Task[None] | None = None
        client = ClassClient.from_environment() if store is None and user is None else None
        if client is not None:
            who, notice = _class_mode(client)
            self._store: AnnotationStore | ClassClient = client
            self._session = ReaderSession(loaded, client, who)  # type: ignore[arg-type]
        else:
            if not isinstance(store, AnnotationStore):
                store = AnnotationStore(store if store is not None else loaded.path / STORE_FILE)
            who = user if user is not None else current_user()
            self._store = store
            self._session = ReaderSession(loaded, store, who)
            notice = _import_published(loaded, store)
        self._lesson = loaded
        super().__init__(
            lesson=dict(lesson_payload(loaded)), user=who, mode=mode, notice=notice, **kwargs
        )
        self.on_msg(self._handle)
        if client is not None:
            self._follow = _start_following(client, loaded.uri, self._push_snapshot)

    @property
    def source_lesson(self) -> Lesson:
        """The loaded lesson this reader shows."""
        return self._lesson

    def close(self) -> None:
        """Close the widget, and the store if this reader opened it."""
        super().close()
        follow = getattr(self, "_follow", None)
        if follow is not None:
            follow.cancel()
        # (Also called by __del__ on a reader whose __init__ failed half-way.)
        store = getattr(self, "_store", None)
        if store is not None and getattr(self, "_owns_store", False):
            store.close()

    @property
    def store(self) -> AnnotationStore | ClassClient:
        """The annotation store this reader reads and writes (the class service in class mode)."""
        return self._store

    def _handle(self, _widget: object, content: object, _buffers: object) -> None:
        self.send(self._session.handle(content))

    def _push_snapshot(self, _changes: dict[str, Any]) -> None:
        """A classmate wrote (or the view changed): the browser gets the lesson's notes again."""
        self.send(self._session.handle({"type": "hello", "req": None}))


def _class_mode(client: ClassClient) -> tuple[str, str]:
    """The Hub user, and a notice saying where notes go (or that the service is down)."""
    try:
        me = client.me()
    except (StoreError, AnnotationError) as exc:
        name = current_user()
        return name, f"Class mode: {exc}. Your notes cannot be saved until it is back."
    shown = {
        "private": "only you and the instructors",
        "group": "your discussion group",
        "class": "the class",
        "instructors": "you and the instructors",
    }
    default = shown.get(str(me.get("default_visibility")), "the class")
    return str(me["name"]), f"Class mode: your notes are shared live with {default}."


def _start_following(
    client: ClassClient, source: str, on_changes: Any
) -> asyncio.Task[None] | None:
    """Follow the lesson's live changes in the kernel's event loop (none outside a kernel)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.create_task(client.follow(source, on_changes))


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
