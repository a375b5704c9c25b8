"""The contract between the reader's Python and its browser modules, typed once.

Everything that crosses the widget's comm is written down here: the synced state
(:class:`ReaderState`: small and impersonal, as it is saved into notebooks), the messages the
browser sends (:data:`BrowserMessage`) and what the kernel sends back (:data:`KernelMessage`).
Each message is a ``TypedDict`` tagged by a ``Literal`` ``type``. The lesson itself (a
:class:`LessonPayload`) comes in the ``snapshot`` that answers the browser's ``hello``, and a
snapshot travels packed (:class:`PackedSnapshot`, see :mod:`reader_ext.widget.wire`).

The browser's copy is *generated* from these classes, never written by hand::

    python -m reader_ext.widget.typescript > reader_ext/widget/static/protocol.d.ts

and ``make check`` (``--check``) and ``tests/test_widget.py`` fail when the committed file
differs from what :mod:`reader_ext.widget.typescript` generates, so the two sides cannot drift.

The types document shapes; they check nothing at run time. The browser is untrusted, and
:mod:`reader_ext.widget.session` validates every field of every message it receives.

Only what a student may see goes into a payload: instructor material never enters one built by
:func:`reader_ext.widget.payload.lesson_payload`.
"""

from __future__ import annotations

from typing import Literal, TypedDict, get_args

from reader_ext.anchoring.types import AnchorMethod
from reader_ext.annotations.audience import Visibility as Visibility  # in protocol.d.ts

AnnotationKind = Literal["highlight", "note", "reply", "answer", "comment-reply"]
"""What an annotation is to the reader: the one list of kinds, for Python and the browser."""
ANNOTATION_KINDS: tuple[AnnotationKind, ...] = get_args(AnnotationKind)
"""What the browser may create."""

ViewKind = Literal[AnnotationKind, "lesson-note"]
"""What an annotation is shown as: one of the kinds above, or a ``lesson-note``, a note on the
whole lesson (its target is ``{"source": <lesson uri>}`` with no selector, as the Hypothesis
import makes of a page note). Lesson notes are shown, not created, by the reader."""

Placement = Literal[AnchorMethod, "orphan"]
"""How an annotation was placed in the current text, or ``orphan`` when it could not be."""

Mode = Literal["student", "instructor"]
"""Instructors see every student's annotations, a student filter and the heat layer."""


# -- the lesson, as the browser receives it in the ``snapshot`` that answers ``hello`` ----------


class SourcePayload(TypedDict):
    title: str | None
    author: str | None
    venue: str | None
    date: str | None
    url: str | None
    certainty: str | None


class LinkPayload(TypedDict):
    title: str
    url: str


class GlossPayload(TypedDict):
    key: str
    term: str
    definition_html: str
    note_html: str | None
    original: str | None
    original_lang: str | None  # BCP 47; None: not stated (the browser marks it lang="")
    transliteration: str | None
    as_of: str | None
    sources: list[LinkPayload]
    count: int


class BlockPayload(TypedDict):
    """A block of the reading: its ``data-block`` id and its code-point range in the text."""

    id: str
    start: int
    end: int


class PromptPayload(TypedDict):
    id: str
    quote: str
    question_html: str
    bloom: str
    kind: str
    start: int
    end: int
    block: str


class CommentPayload(TypedDict):
    id: str
    author: str
    html: str


class LessonPayload(TypedDict):
    uri: str
    id: str
    title: str
    summary: str
    level: str
    minutes: int
    objectives: list[str]
    source: SourcePayload
    intro_html: str | None
    html: str
    text_hash: str
    blocks: list[BlockPayload]
    glossary: list[GlossPayload]
    prompts: list[PromptPayload]
    comments: list[CommentPayload]


class ReaderState(TypedDict):
    """The widget's synced traits (``Reader.mode``, ``.notice``).

    Saved into the notebook with "save widget state", so nothing personal and nothing large is
    one: the lesson and the reader's name come in the ``snapshot`` that answers ``hello``
    (:class:`SnapshotMessage`)."""

    mode: Mode
    notice: str


class AnnotationView(TypedDict):
    """One annotation as the reader shows it (built from the stored W3C annotation).

    ``body`` is the Markdown source (only of one's own, for editing); ``body_html`` is rendered
    and sanitised in Python. ``start``/``end`` are code points in the current text, null for an
    orphan or a reply; ``anchor`` is null for replies and answers. ``reply_to``, ``prompt`` and
    ``comment`` name what a reply, an answer or a comment reply answers; a ``lesson-note``
    has none of them (it is about the whole lesson).
    """

    id: str
    kind: ViewKind
    author: str
    mine: bool
    created: str
    modified: str
    body: str
    body_html: str
    tags: list[str]
    quote: str | None
    start: int | None
    end: int | None
    anchor: Placement | None
    reply_to: str | None
    prompt: str | None
    comment: str | None
    visibility: Visibility | None
    """Class mode: who the annotation is for (null outside class mode); ``for_group`` names
    the discussion group of a ``group`` one, ``for_student`` the student of an ``instructors``
    one (a 1:1 thread: that student and the instructors)."""
    for_group: str | None
    for_student: str | None


class AudienceChoice(TypedDict):
    """One choice of who sees a new note, in class mode: what the service lets this reader
    post to (the course's visibilities, their discussion groups). ``default`` marks the
    course's default; the service checks every choice again."""

    visibility: Visibility
    group: str | None
    label: str
    default: bool


class HiddenPayload(TypedDict):
    """Class mode: what hides classmates' notes from this student now (the lesson's *hide until
    posted*): the notes or answers it takes (``after_posts``, null for none), how many they have
    posted, and the reveal time (ISO 8601, null for none)."""

    after_posts: int | None
    own_posts: int
    at: str | None


class SectionPayload(TypedDict):
    """A discussion group (a Hub group with the course's prefix) and its students."""

    name: str
    students: list[str]


class RosterPayload(TypedDict):
    """Who is in the course, for an instructor's reader in class mode, from the Hub's groups:
    the instructor filters by student and group, and writes 1:1 to a student. ``complete`` is
    false when the service could only list the members it has met."""

    students: list[str]
    groups: list[SectionPayload]
    complete: bool


# -- browser → kernel --------------------------------------------------------------------------


class _Request(TypedDict, total=False):
    req: int  # any number the browser chooses; the reply carries it back


class _Written(TypedDict, total=False):
    body: str  # Markdown; required (not blank) for notes, replies and answers
    tags: list[str]


class HelloMessage(TypedDict):
    """Sent once the widget is shown; answered by a ``snapshot``."""

    type: Literal["hello"]


class _CreateFields(_Request, _Written, total=False):
    start: int
    end: int
    reply_to: str
    prompt: str
    comment: str
    visibility: str  # class mode: one of the snapshot's ``audiences`` (with its ``group``)
    group: str
    student: str  # an instructor's 1:1 note or private reply: the student it is for


class CreateMessage(_CreateFields):
    """A new annotation: ``start``/``end`` (code points) for a highlight or a note, ``reply_to``
    (an annotation id) for a reply, ``prompt`` for an answer, ``comment`` for a reply to a
    published reader comment. Answered by ``saved`` or ``error``."""

    type: Literal["create"]
    kind: AnnotationKind


class EditMessage(_Request, _Written):
    """New body and tags for one's own annotation; answered by ``saved`` or ``error``."""

    type: Literal["edit"]
    id: str


class DeleteMessage(_Request):
    """Soft-delete one's own annotation; answered by ``deleted`` or ``error``."""

    type: Literal["delete"]
    id: str


class RestoreMessage(_Request):
    """Undo a delete; answered by ``saved`` or ``error``."""

    type: Literal["restore"]
    id: str


class GlossOpenMessage(_Request):
    """A gloss was opened (recorded as a private event); answered by ``recorded``."""

    type: Literal["gloss-open"]
    key: str


class RevealSetting(TypedDict):
    """Class mode: a lesson's *hide until posted*. Classmates' notes reach a student once they
    have posted ``after_posts`` notes or answers there, or from ``at`` (ISO 8601 with its
    offset), whichever comes first; both null: at once."""

    after_posts: int | None
    at: str | None


class GetRevealMessage(_Request):
    """An instructor in class mode asks the lesson's :class:`RevealSetting`; answered by
    ``reveal`` or ``error``."""

    type: Literal["get-reveal"]


class SetRevealMessage(_Request, RevealSetting):
    """An instructor in class mode sets the lesson's :class:`RevealSetting` (the class service
    refuses anyone else); answered by ``reveal`` or ``error``. Students' readers follow live."""

    type: Literal["set-reveal"]


BrowserMessage = (
    HelloMessage
    | CreateMessage
    | EditMessage
    | DeleteMessage
    | RestoreMessage
    | GlossOpenMessage
    | GetRevealMessage
    | SetRevealMessage
)
"""Every message the browser sends."""


# -- kernel → browser --------------------------------------------------------------------------


class SnapshotMessage(TypedDict):
    """Every live annotation on the lesson, anchored in the current text. The answer to
    ``hello`` carries the ``lesson`` too; a live update (a classmate wrote) has ``lesson`` null.

    It travels as a :class:`PackedSnapshot`; the browser's channel unpacks it into this."""

    type: Literal["snapshot"]
    req: int | None
    user: str
    lesson: LessonPayload | None
    annotations: list[AnnotationView]
    audiences: list[AudienceChoice]
    """Who a new note may be for, in class mode (empty elsewhere: notes stay in the file)."""
    roster: RosterPayload | None
    """The course's students and groups: an instructor's reader in class mode only."""
    hidden: HiddenPayload | None
    """What hides classmates' notes from this student now (class mode; null: nothing)."""


Cell = str | int | bool | list[str] | None
"""One field of one annotation in a :class:`SnapshotTable`'s rows."""


class SnapshotTable(TypedDict):
    """A :class:`SnapshotMessage` with its annotations as a table: ``columns`` names the fields
    of an :class:`AnnotationView`, each of ``rows`` is one annotation's values in that order."""

    type: Literal["snapshot"]
    req: int | None
    user: str
    lesson: LessonPayload | None
    audiences: list[AudienceChoice]
    roster: RosterPayload | None
    hidden: HiddenPayload | None
    columns: list[str]
    rows: list[list[Cell]]


class PackedSnapshot(TypedDict):
    """How a snapshot crosses the comm: this message, and in its one binary buffer the
    :class:`SnapshotTable` as UTF-8 JSON, deflated (zlib, the Compression Streams API's
    ``"deflate"``). A quarter of the bytes of the plain JSON, for 10,000 annotations."""

    type: Literal["packed"]
    req: int | None


class SavedMessage(TypedDict):
    """The annotation as stored, after ``create``, ``edit`` or ``restore``."""

    type: Literal["saved"]
    req: int | None
    annotation: AnnotationView


class DeletedMessage(TypedDict):
    type: Literal["deleted"]
    req: int | None
    id: str


class RecordedMessage(TypedDict):
    type: Literal["recorded"]
    req: int | None


class RevealMessage(TypedDict):
    """The lesson's :class:`RevealSetting`, as the class service holds it now."""

    type: Literal["reveal"]
    req: int | None
    reveal: RevealSetting


class ErrorMessage(TypedDict):
    """A refused message: ``message`` says what to fix, for the reader to read."""

    type: Literal["error"]
    req: int | None
    message: str


Reply = SavedMessage | DeletedMessage | RecordedMessage | RevealMessage | ErrorMessage
"""What answers a request that carries ``req``."""
KernelMessage = SnapshotMessage | Reply
"""Every message the kernel answers with, as the browser's modules receive it."""
WireMessage = PackedSnapshot | Reply
"""Every message as it crosses the comm (a snapshot packed)."""
