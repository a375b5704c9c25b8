"""The store's tables, as SQLAlchemy Core sees them: one schema for SQLite and PostgreSQL.

These are the tables the migrations in :mod:`reader_ext.store.migrations` build (a test compares
the two on both engines). Each annotation is kept as its W3C JSON, verbatim (``json``: text, so
that its keys keep their order), plus indexed columns for the questions the reader and the
instructor ask. Times are ISO 8601 strings in UTC with milliseconds and a ``Z``, so they sort as
text; on PostgreSQL the sorted text columns use the "C" collation, so both engines sort alike.

Class mode keeps, beside each annotation, who it is for (``class_audience``) and per lesson when
classmates' notes are revealed (``class_reveal``); ``seq`` is the cursor a reconnecting reader
catches up from (it grows in commit order: writers are serialised). Only the class service
writes those two tables (:mod:`reader_ext.store.classroom`).

Collect keeps its own clock (``submissions_seen``): per student and submitted store, when the
instructor first and last collected it, so a claimed time is bounded by what was seen when.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, MetaData, Table, Text
from sqlalchemy.types import TypeEngine

APPLICATION_ID = 0x52445841  # "RDXA": reader-ext annotations, in an SQLite file's header

# The migrations, oldest first (reader_ext/store/migrations/versions/). Append only. In an SQLite
# file ``PRAGMA user_version`` is the number of them applied, so that a file from a newer
# reader-ext is recognised from its header before anything is written to it. The first two are
# the schema versions 1 and 2 of the stores written before Alembic (by ``PRAGMA user_version``
# alone): such a file is stamped with its revision and migrated on from there.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009")
SCHEMA_VERSION = len(REVISIONS)
HEAD = REVISIONS[-1]

_key: TypeEngine[str] = Text().with_variant(Text(collation="C"), "postgresql")
# INTEGER PRIMARY KEY is SQLite's rowid; PostgreSQL gets 64 bits.
_counter: TypeEngine[int] = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()


def _sealed(name: str) -> Table:
    """A table of derived data kept sealed: per ``id``, what it was derived against
    (``context``) and the derived data under a seal binding it to that and to its source."""
    return Table(
        name,
        metadata,
        Column("id", _key, primary_key=True),
        Column("context", Text, nullable=False),
        Column("sealed", Text, nullable=False),
    )


annotation_table = Table(
    "annotations",
    metadata,
    Column("id", _key, primary_key=True),
    Column("source", _key),
    Column("creator", _key, nullable=False),
    Column("motivation", Text, nullable=False),
    Column("target_id", _key),
    Column("prompt_id", Text),
    Column("created", _key, nullable=False),
    Column("modified", _key, nullable=False),
    Column("deleted_at", Text),
    Column("doc_hash", Text),
    Column("seq", _counter, nullable=False, unique=True),
    Column("json", Text, nullable=False),
)
Index("annotations_source", annotation_table.c.source, annotation_table.c.created)
# With seq: how many rows a student has and their latest, from the index alone (collect).
Index("annotations_creator", annotation_table.c.creator, annotation_table.c.seq)
Index("annotations_target", annotation_table.c.target_id)
Index("annotations_created", annotation_table.c.created, annotation_table.c.id)

event_table = Table(
    "events",
    metadata,
    Column("id", _counter, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),
    Column("user", _key, nullable=False),
    Column("source", _key, nullable=False),
    Column("key", Text, nullable=False),
    Column("at", _key, nullable=False),
)
Index("events_kind", event_table.c.kind, event_table.c.id)
Index(
    "events_user",
    event_table.c.user,
    event_table.c.kind,
    event_table.c.source,
    event_table.c.key,
    event_table.c.at,
)

# Rendered note bodies: derived data, so opening a large store does not re-render every note.
rendered_table = Table(
    "rendered",
    metadata,
    Column("id", _key, primary_key=True),
    Column("version", Text, nullable=False),
    Column("html", Text, nullable=False),
)

# What the reader sends about each annotation (its anchored position, kind, rendered note...),
# derived once so that opening a lesson is one query: ``sealed`` under the reader's own key
# together with the annotation's stored JSON and ``context`` (the lesson text and the code it
# was derived with), so an entry that another store file brings, or a stale one, is derived
# again (:mod:`reader_ext.widget.views`).
view_table = _sealed("views")

# Class mode (docs/class-mode.md): who each annotation is for, fixed when it is posted.
class_audience_table = Table(
    "class_audience",
    metadata,
    Column("annotation_id", _key, primary_key=True),
    Column("source", _key, nullable=False),
    Column("author", _key, nullable=False),
    Column("author_role", Text, nullable=False),
    Column("visibility", Text, nullable=False),
    Column("group_name", Text),
    Column("student", _key),
    # A note, a reply or an answer (not a bare highlight): what "hide until posted" counts.
    Column("is_post", Boolean, nullable=False),
    Column("hidden_at", Text),
    Column("hidden_by", Text),
)
Index(
    "class_audience_posts",
    class_audience_table.c.source,
    class_audience_table.c.author,
    class_audience_table.c.is_post,
)

class_reveal_table = Table(
    "class_reveal",
    metadata,
    Column("source", _key, primary_key=True),
    Column("after_posts", Integer),
    Column("reveal_at", Text),
)

# Collect's clock: per student and submitted store (its path in the student's folder, i.e. the
# module or nbgrader assignment), when a collect first and last merged it.
submissions_seen_table = Table(
    "submissions_seen",
    metadata,
    Column("student", _key, primary_key=True),
    Column("submission", _key, primary_key=True),
    Column("first_seen", _key, nullable=False),
    Column("last_seen", _key, nullable=False),
)

# Collect's record of each student's last merge (:mod:`reader_ext.store.collected`): a digest of
# the bytes of every store they submitted, the state of their rows in this store right after it,
# the local author it found and what it counted; a submission that is byte for byte the same,
# onto rows nobody changed since, is not read again.
collected_table = Table(
    "collected",
    metadata,
    Column("student", _key, primary_key=True),
    Column("digest", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("author", Text),
    Column("annotations", Integer, nullable=False),
    Column("published_copies", Integer, nullable=False),
)

# The class report's derived data (:mod:`reader_ext.course.report_facts`): what it needs of each
# annotation (author, kind, prompt, words, the anchored passage...), and each module's heat map
# image, derived once; ``sealed`` under the instructor's own key together with what it was
# derived from (the annotation's stored JSON, the lesson text; the heat map's figures), so an
# entry that another store file brings, or a stale one, is derived again.
report_fact_table = _sealed("report_facts")
report_heatmap_table = _sealed("report_heatmaps")
