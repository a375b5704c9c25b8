"""The reader widget: a lesson shown in JupyterLab through anywidget."""

from __future__ import annotations

import asyncio
import difflib
import getpass
import html
import json
import os
import pathlib
from typing import Any, get_args

import anywidget
import traitlets

from reader_ext.errors import AnnotationError, StoreError
from reader_ext.interop.w3c_read import read_w3c
from reader_ext.lessons.layout import PUBLISHED_FILE, STORE_FILE
from reader_ext.lessons.load import load_lesson
from reader_ext.lessons.model import Lesson
from reader_ext.lessons.preview import lesson_body, lesson_header
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.widget.class_client import ClassClient, audience_choices
from reader_ext.widget.payload import lesson_payload
from reader_ext.widget.protocol import (
    AudienceChoice,
    ErrorMessage,
    KernelMessage,
    LessonPayload,
    Mode,
    RosterPayload,
)
from reader_ext.widget.session import ReaderSession
from reader_ext.widget.views import snapshot_rows
from reader_ext.widget.wire import pack, pack_rows

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
    uses the class service instead, as the Hub user, and classmates' notes arrive live; there
    the mode is the Hub's role (an instructor gets ``mode="instructor"``: the whole class live,
    filters by group and student, private feedback), unless ``mode="student"`` is given.
    """

    _esm = BUNDLE
    _css = _STATIC / "reader.css"

    mode = traitlets.Unicode("student").tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        lesson: Lesson | str | pathlib.Path,
        *,
        user: str | None = None,
        store: AnnotationStore | str | os.PathLike[str] | None = None,
        mode: Mode | None = None,
        **kwargs: Any,
    ) -> None:
        for name in kwargs:
            if name not in _OPTIONS:
                close = difflib.get_close_matches(name, _OPTIONS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                msg = f"Reader() got an unexpected keyword argument '{name}'{hint}"
                raise TypeError(msg)
        if mode is not None and mode not in get_args(Mode):
            msg = f"mode must be 'student' or 'instructor', not {mode!r}"
            raise ValueError(msg)
        loaded = lesson if isinstance(lesson, Lesson) else load_lesson(lesson)
        # Built now, so that a lesson that cannot be shown fails here, not in the browser; sent
        # in the answer to the browser's hello, never as a trait (traits are saved in notebooks).
        payload = lesson_payload(loaded)
        self._owns_store = not isinstance(store, AnnotationStore)
        self._follow: asyncio.Task[None] | None = None
        client = ClassClient.from_environment() if store is None and user is None else None
        if client is not None:
            who, notice, audiences, roster, role = _class_mode(client)
            mode, notice = _class_role(mode, role, notice)
            self._store: AnnotationStore | ClassClient = client
            session = ReaderSession(
                loaded,
                client,  # type: ignore[arg-type]
                who,
                payload,
                audiences=audiences,
                roster=roster if mode == "instructor" else None,
            )
            self._session = session
        else:
            if not isinstance(store, AnnotationStore):
                store = AnnotationStore(store if store is not None else loaded.path / STORE_FILE)
            who = user if user is not None else current_user()
            self._store = store
            self._session = ReaderSession(loaded, store, who, payload)
            notice = _import_published(loaded, store)
        mode = mode or "student"
        self._lesson = loaded
        super().__init__(mode=mode, notice=notice, **kwargs)
        self.on_msg(self._handle)
        if client is not None:
            self._follow = _start_following(client, loaded.uri, self._push_snapshot)

    @property
    def payload(self) -> LessonPayload:
        """The lesson as the browser is sent it, in the ``snapshot`` that answers ``hello``."""
        return self._session.payload

    @property
    def user(self) -> str:
        """Who reads and writes. Not a synced trait, so never saved into the notebook's widget
        state: the browser learns it from the ``snapshot`` that answers its ``hello``."""
        return self._session.user

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The widget view, and for where it cannot run a text and a read-only HTML view.

        JupyterLab and Notebook 7 show the widget; nbclient and VS Code's text output get
        :func:`describe`; nbconvert and nbviewer (no widget state saved) get :func:`static_html`.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle
        text = describe(self._lesson, self._count())
        return {**data, "text/plain": text, "text/html": static_html(self._lesson)}, metadata

    def _count(self) -> int | None:
        store, source = self._store, self._lesson.uri
        try:
            if isinstance(store, AnnotationStore):
                return store.count(source=source)  # a COUNT, not every annotation read
            return len(store.list(source=source))
        except (StoreError, AnnotationError, OSError):
            return None  # the class service is down: the text says nothing about notes

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
        if isinstance(content, dict) and content.get("type") == "hello":
            req = content.get("req")
            self._send_snapshot(req if type(req) is int else None, with_lesson=True)
            return
        try:
            reply: KernelMessage = self._session.handle(content)
        except Exception as exc:
            # A failure the session does not know (a bug, an OS error it did not expect): the
            # browser's request is still answered, so its form says so and keeps the text.
            req = content.get("req") if isinstance(content, dict) else None
            reply = ErrorMessage(
                type="error",
                req=req if isinstance(req, int) and not isinstance(req, bool) else None,
                message=f"Not saved — the reader hit an unexpected error "
                f"({type(exc).__name__}: {exc}); your text is kept.",
            )
        packed, buffers = pack(reply)
        self.send(packed, buffers or None)

    def _push_snapshot(self, _changes: dict[str, Any]) -> None:
        """A classmate wrote (or the view changed): the browser gets the lesson's notes again."""
        self._send_snapshot(None, with_lesson=False)

    def _send_snapshot(self, req: int | None, *, with_lesson: bool) -> None:
        """The lesson's annotations (and the lesson itself, answering hello), packed as they
        are read (:func:`reader_ext.widget.views.snapshot_rows`, from the views the store
        keeps; :func:`reader_ext.widget.wire.pack_rows`)."""
        session = self._session
        head = {
            "type": "snapshot",
            "req": req,
            "user": session.user,
            "lesson": session.payload if with_lesson else None,
            "audiences": session.audiences,
            "roster": session.roster,
            "hidden": session.hidden(),
        }
        try:
            content, buffers = pack_rows(head, snapshot_rows(session))
        except (StoreError, AnnotationError) as exc:
            # The class service is down: say so; the browser keeps what it shows.
            content, buffers = dict(ErrorMessage(type="error", req=req, message=str(exc))), []
        self.send(content, buffers or None)


OPEN_HINT = "Open this notebook in JupyterLab to read and annotate."
"""The one line a reader sees where the widget cannot run."""


def describe(lesson: Lesson, annotations: int | None = None) -> str:
    """What the lesson is and how to open it, as plain text (the widget's ``text/plain``)."""
    counts = [
        _plural(len(lesson.glossary), "gloss", "glosses"),
        _plural(len(lesson.prompts), "prompt", "prompts"),
    ]
    if annotations is not None:
        counts.append(_plural(annotations, "annotation", "annotations"))
    return (
        f"Annotated Reader: {lesson.title}\nModule {lesson.id} · {', '.join(counts)}\n{OPEN_HINT}"
    )


def static_html(lesson: Lesson) -> str:
    """The read-only view (``text/html``): the reading with its glosses, prompts and comments.

    Built by :func:`reader_ext.lessons.preview.lesson_body`, the sanitised parts of
    ``reader-ext preview``; no script, no fetched resource.
    """
    return (
        f'<div class="ar-static"><p class="ar-static-hint"><strong>{html.escape(OPEN_HINT)}'
        "</strong> This is a read-only view: annotating needs JupyterLab.</p>"
        f"<style>{_STATIC_CSS}</style>{lesson_header(lesson)}{lesson_body(lesson)}</div>"
    )


# Scoped to the view: a notebook page's own styles are left alone.
_STATIC_CSS = (
    ".ar-static{max-width:44rem;font-family:Georgia,'Noto Serif',serif;line-height:1.55}"
    ".ar-static-hint{border:1px solid #8a6d00;background:#fff8e1;color:#1d1d1d;padding:.4rem .7rem}"
    ".ar-static a.ar-gloss{color:inherit;text-decoration:underline dotted #2a6db0}"
    ".ar-static aside.prompt{border-left:4px solid #2a6db0;background:#f2f6fb;"
    "padding:.5rem 1rem;margin:1rem 0}"
    ".ar-static .meta,.ar-static .source{color:#555}"
)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _class_mode(
    client: ClassClient,
) -> tuple[str, str, list[AudienceChoice], RosterPayload | None, str]:
    """The Hub user, a notice saying where notes go (or that the service is down), who a new
    note may be for, the course's roster (an instructor's) and the role the service gives."""
    try:
        me = client.me()
    except (StoreError, AnnotationError) as exc:
        name = current_user()
        notice = f"Class mode: {exc}. Your notes cannot be saved until it is back."
        return name, notice, [], None, "student"
    roster: RosterPayload | None = None
    role = str(me.get("role") or "student")
    if role == "instructor":
        try:
            roster = client.roster()
        except (StoreError, AnnotationError) as exc:
            roster = RosterPayload(students=[], groups=[], complete=False)
            role_note = f" The course's groups could not be read ({exc})."
        else:
            role_note = ""
    audiences = audience_choices(me, roster)
    shown = {
        "private": "only you and the instructors",
        "group": "your discussion group",
        "class": "the class",
        "instructors": "you and the instructors",
    }
    chosen = next((c for c in audiences if c["default"]), None)
    default = shown.get(chosen["visibility"] if chosen else "", "the class")
    notice = f"Class mode: your notes are shared live with {default}"
    if len(audiences) > 1:
        notice += " unless you choose otherwise in the note editor"
    notice += "."
    if roster is not None:
        rest = notice.removeprefix("Class mode: y")
        notice = f"Class mode, instructor: you see every student's notes live; y{rest}{role_note}"
        if not roster["complete"] and not role_note:
            notice += (
                " Only the students who have opened the reader are listed: the class service "
                "cannot read the Hub's groups (docs/class-mode.md, the roster)."
            )
    return str(me["name"]), notice, audiences, roster, role


def _class_role(mode: Mode | None, role: str, notice: str) -> tuple[Mode, str]:
    """The reader's mode in class mode: the service's role, unless asked for the student view.
    A student asking for instructor mode gets the student view (the service would show them
    no more), and is told why."""
    if role == "instructor":
        return mode or "instructor", notice
    if mode == "instructor":
        return "student", (
            f"{notice} Instructor mode is for the course's instructors (the Hub's groups say "
            "you are a student): this is the student view."
        )
    return "student", notice


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
