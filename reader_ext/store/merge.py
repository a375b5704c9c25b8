"""Merging annotations written elsewhere into a store: imports, and a student's submission.

The policy of both lives here, inside one write transaction of the store
(:meth:`reader_ext.store.annotation_store.AnnotationStore.transaction`); the rows are written in
bulk (one SELECT for the ids of a batch, one INSERT and one UPDATE statement for its changes).

- **Import** (:meth:`StoreTransaction.import_annotations`) keeps each item's creator and is
  idempotent by id: an existing id is updated only by a newer ``modified`` from the same creator.
- **A submission** (:meth:`StoreTransaction.merge_submission`) becomes its student's: ids are
  kept, a newer ``modified`` updates, a deleted annotation submitted live is restored, and an id
  owned by someone else is never taken over (the rules are in :mod:`reader_ext.course.collect`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection

from reader_ext.annotations import limits
from reader_ext.annotations.clean import Checked
from reader_ext.annotations.fields import author as author_of
from reader_ext.annotations.shape import check_annotation, check_size, content_id, target_info
from reader_ext.annotations.values import creator_for, normalise_time, parse_time, utc_now
from reader_ext.errors import AnnotationError
from reader_ext.store import driver, rows
from reader_ext.store.clock import EARLIEST, not_newer, on_our_clock, same_content
from reader_ext.store.rows import Annotation, SeqCounter

Outcome = Literal["added", "updated", "unchanged"]


@dataclass(slots=True)
class SkippedItem:
    """An imported item that was not stored, and why."""

    index: int
    id: str | None
    reason: str


@dataclass(slots=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[SkippedItem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped"
        )


@dataclass(slots=True)
class MergeResult:
    """What merging one submitted store did; ``problems`` name each refused item."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    published_copies: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)
    skipped: int = 0


@dataclass(slots=True)
class _Known:
    """What a batch needs of a row, kept current as the batch changes it."""

    creator: str
    modified: str
    deleted: bool
    source: str | None
    created: str = ""
    json: str | None = None


class StoreTransaction:
    """One write transaction of a store: everything done through it commits together or not."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.seq = SeqCounter(conn)
        self._known: dict[str, _Known | None] = {}
        self._pending: dict[str, tuple[bool, dict[str, Any]]] = {}  # id -> (is new, row)
        self._event_keys: dict[str, set[tuple[str, str, str, str]]] = {}
        self.deferred: dict[str, dict[str, Any]] | None = None
        """If set, new rows wait here (by id) instead of being inserted: the caller inserts
        them later, many transactions' at once and in the order of their ids (an index of
        random ids is far cheaper to fill in order), then calls :func:`rows.fill_reply_sources`.
        Changes to them in this transaction are made to them here."""
        self.elsewhere: Mapping[str, Mapping[str, Any]] = {}
        """Rows other transactions deferred (by id), not yet in the table: read as if they were."""
        self.deferred_events: list[dict[str, str]] | None = None
        """If set, new events wait here instead of being inserted (as ``deferred`` rows)."""
        self.before_write: Callable[[], None] | None = None
        """Called before anything is written through the connection now (a batch that reads
        without the write lock takes it then: :meth:`AnnotationStore.lock_batch`)."""

    # -- merging annotations -------------------------------------------------------------------

    def owners(self, ids: Iterable[str]) -> dict[str, str]:
        """The creator of each of ``ids`` the store holds (deleted ones included)."""
        self._load(ids)
        return {i: k.creator for i in ids if (k := self._known.get(i)) is not None}

    def import_annotations(self, items: Iterable[object]) -> ImportResult:
        """Merge annotations from elsewhere, keeping their creators; idempotent by id.

        An item without an id gets one derived from its content, so importing the same file
        twice adds nothing. Items that fail the checks are skipped and listed in the result.
        """
        batch = list(items)
        self._load(
            i["id"] for i in batch if isinstance(i, Mapping) and isinstance(i.get("id"), str)
        )
        result = ImportResult()
        for index, item in enumerate(batch):
            raw_id = item.get("id") if isinstance(item, Mapping) else None
            try:
                outcome = self._merge_one(item, creator=None, restore=False)
            except AnnotationError as exc:
                shown = raw_id if isinstance(raw_id, str) else None
                result.skipped.append(SkippedItem(index, shown, str(exc)))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
        self.flush()
        return result

    def merge_submission(
        self,
        items: Sequence[Mapping[str, Any]],
        *,
        student: str,
        author: str | None,
        shared: Mapping[str, Collection[str]] | None = None,
        seen: str | None = None,
        since: str | None = None,
    ) -> MergeResult:
        """Merge one submitted store's live annotations as ``student``'s.

        ``author`` is the store's local author: an item by anyone else is refused, unless it is
        a *published copy* (an annotation the store holds under the author it names, handed out
        by ``publish``), which is counted and left alone. An id the store holds for someone else
        is refused; so is a new id that ``shared`` says other students submitted too.

        ``seen`` is when the collection sees the submission (its own clock) and ``since`` when
        it last saw it before (:func:`reader_ext.store.collected.last_seen`): a claimed
        ``created`` or ``modified`` is bounded by :data:`EARLIEST` and ``seen``, what is new
        since then (a new annotation, a newer ``modified``) is not dated before ``since``, and
        the ``created`` of an annotation the store holds already never changes.
        """
        result = MergeResult()
        self._load(i["id"] for i in items if isinstance(i.get("id"), str))
        for item in items:
            ident, written_by = item.get("id"), author_of(item)
            shown = ident if isinstance(ident, str) else "(no id)"
            known = self._known.get(ident) if isinstance(ident, str) else None
            owner = None if known is None else known.creator
            reason: str | None = None
            if owner is not None and owner != student:
                if written_by == owner:
                    result.published_copies += 1
                    continue
                reason = f"has the id of {owner!r}'s annotation"
            elif written_by != author:
                if owner == student == written_by:
                    # The student's own annotation, handed back by publish under their class id.
                    result.published_copies += 1
                    continue
                reason = f"is by {written_by!r}, not this store's author {author!r}"
            elif owner is None and (others := set((shared or {}).get(str(ident), ())) - {student}):
                reason = f"was also submitted by {', '.join(sorted(others))} (a copied store?)"
            if reason is None:
                try:
                    outcome = self._merge_one(
                        item, creator=student, restore=True, seen=seen, since=since
                    )
                    setattr(result, outcome, getattr(result, outcome) + 1)
                    continue
                except AnnotationError as exc:
                    reason = f"was refused: {exc}"
            result.skipped += 1
            result.problems.append(f"annotation {shown[:80]} {reason}; skipped")
        self.flush()
        return result

    def apply_deletions(self, ids: Iterable[str], *, student: str) -> int:
        """Soft-delete those of ``ids`` that are ``student``'s and live; return how many."""
        wanted = list(dict.fromkeys(ids))
        self._load(wanted)
        doomed = []
        for ident in wanted:
            known = self._known.get(ident)
            if known is not None and known.creator == student and not known.deleted:
                known.deleted = True
                doomed.append(ident)
        self.flush()
        self._set_deleted(doomed, deleted=True)
        return len(doomed)

    def flush(self) -> None:
        """Write the pending rows; replies get the lesson of what they answer."""
        if not self._pending:
            return
        new = [r for is_new, r in self._pending.values() if is_new]
        changed = [r for is_new, r in self._pending.values() if not is_new]
        self._pending.clear()
        if self.deferred is not None:
            waiting = self.deferred
            waiting.update((r["id"], r) for r in new)
            for r in changed:
                if r["id"] in waiting:
                    waiting[r["id"]].update(r)
            stored = [r for r in changed if r["id"] not in waiting]
            if stored:
                self._writing()
                rows.update_rows(self.conn, stored)
            return
        self._writing()
        rows.insert_rows(self.conn, new)
        rows.update_rows(self.conn, changed)
        rows.fill_reply_sources(self.conn)

    # -- events --------------------------------------------------------------------------------

    def import_events(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        user: str,
        author: str | None,
        seen_at: str | None = None,
        known: set[tuple[str, str, str, str]] | None = None,
    ) -> tuple[int, list[str]]:
        """Add ``author``'s events as ``user``'s, skipping those already there.

        Events are the same when their kind, lesson, key and time are. Return the number added
        and a problem for each event refused (by someone else, malformed, no readable time, or
        a time outside :data:`EARLIEST` to ``seen_at``, when given). ``known``: the keys of
        ``user``'s events in the store, if the caller read them already in this transaction
        (:func:`rows.event_keys_many`); it is kept current.
        """
        if known is not None:
            self._event_keys.setdefault(user, known)
        seen = self._event_keys.get(user)
        if seen is None:
            seen = self._event_keys[user] = rows.event_keys(self.conn, user)
        new: list[dict[str, str]] = []
        problems: list[str] = []
        for event in items:
            if event.get("user") != author:
                problems.append(f"an event by {event.get('user')!r} skipped")
                continue
            kind, source, key = (event.get(k) for k in ("kind", "source", "key"))
            if not all(_event_field(v) for v in (kind, source, key)):
                problems.append("a malformed event skipped")
                continue
            try:
                at = normalise_time(event.get("at"), "at")
            except AnnotationError:
                problems.append("an event with an unreadable time skipped")
                continue
            if seen_at is not None and not EARLIEST <= at <= seen_at:
                problems.append(f"an event dated {at} (outside {EARLIEST[:10]} to now) skipped")
                continue
            found = (str(kind), str(source), str(key), at)
            if found in seen:
                continue
            seen.add(found)
            new.append(
                {"kind": found[0], "user": user, "source": found[1], "key": found[2], "at": at}
            )
        if self.deferred_events is not None:
            self.deferred_events += new
        elif new:
            self._writing()
            rows.insert_events(self.conn, new)
        return len(new), problems

    # -- plumbing ------------------------------------------------------------------------------

    def _load(self, ids: Iterable[str]) -> None:
        missing = [i for i in ids if i not in self._known]
        if not missing:
            return
        known = self._known
        for ident in missing:
            known[ident] = None
        for ident, creator, modified, gone, source, created, text in driver.known_many(
            self.conn, missing
        ):
            known[ident] = _Known(
                str(creator), str(modified), gone is not None, source, str(created), str(text)
            )
        if self.elsewhere:
            # Rows another transaction of the same commit wrote, still waiting to be inserted.
            for ident in missing:
                if known[ident] is None and (row := self.elsewhere.get(ident)) is not None:
                    known[ident] = _Known(
                        row["creator"],
                        row["modified"],
                        row["deleted_at"] is not None,
                        row["source"],
                        row["created"],
                        row["json"],
                    )

    def _set_deleted(self, ids: Sequence[str], *, deleted: bool) -> None:
        if not ids:
            return
        if self.deferred is None or not any(i in self.deferred for i in ids):
            self._writing()
            rows.set_deleted(self.conn, ids, self.seq, deleted=deleted)
            return
        stamp = utc_now() if deleted else None
        stored: list[dict[str, Any]] = []
        for ident in ids:
            change = {"id": ident, "deleted_at": stamp, "seq": self.seq.next()}
            if ident in self.deferred:
                self.deferred[ident].update(change)
            else:
                stored.append(change)
        if stored:
            self._writing()
            rows.update_rows(self.conn, stored)

    def _writing(self) -> None:
        if self.before_write is not None:
            self.before_write()

    def _merge_one(
        self,
        item: object,
        *,
        creator: str | None,
        restore: bool,
        seen: str | None = None,
        since: str | None = None,
    ) -> Outcome:
        raw_id = item.get("id") if isinstance(item, Mapping) else None
        known = self._known.get(raw_id) if isinstance(raw_id, str) else None
        checked = type(item) is Checked  # read in one pass: its shape is checked already
        future, given = False, item
        if seen is not None and isinstance(item, Mapping):
            item, future = on_our_clock(item, known, seen, since, checked=checked)
        if restore and known is not None and not known.deleted:
            # Live and not modified since: the store holds a checked copy already (most of a
            # re-collect); a newer ``modified`` goes through every check.
            assert isinstance(item, Mapping)
            if not_newer(item.get("modified", item.get("created")), known.modified):
                return "unchanged"
        # A checked item's new creator and times are ours (the clock's, creator_for's), which
        # the shape check keeps as they are; its keys are in KEY_ORDER as the one pass gave them
        # (a key replaced keeps its place) unless the clock or the filling in below adds one.
        clean: Annotation
        if checked and isinstance(item, Mapping):
            clean = dict(item) if creator is None else {**item, "creator": creator_for(creator)}
            in_order = item is given and _FILLED.issubset(clean)
        else:
            if creator is not None and isinstance(item, Mapping):
                item = {**item, "creator": creator_for(creator)}
            clean, in_order = check_annotation(item), False
        if "creator" not in clean:  # (not setdefault: its default is built on every call)
            clean["creator"] = creator_for("unknown")
        stamp = clean.get("modified", clean.get("created"))
        if "id" not in clean:
            clean["id"] = content_id(clean)
        if "created" not in clean:
            clean["created"] = utc_now()
        clean.setdefault("modified", clean["created"])
        if not in_order:
            clean = rows.ordered(clean)
        dumped = rows.encode(clean)
        check_size(clean, dumped)
        ident, nickname = clean["id"], clean["creator"]["nickname"]
        if ident not in self._known:
            self._load([ident])
        known = self._known[ident]
        if known is None:
            self._write(clean, dumped, new=True, deleted=False)
            return "added"
        if known.creator != nickname:
            msg = f"id: {ident} already belongs to {known.creator!r}; not replaced"
            raise AnnotationError(msg)
        restored = restore and known.deleted
        if future and not restored and same_content(clean, known.json):
            # A time claimed in the future is now on every run: only a real change updates.
            return "unchanged"
        if stamp is None or parse_time(stamp, "modified") <= parse_time(known.modified, "x"):
            if not restored:
                return "unchanged"
            known.deleted = False
            self._set_deleted([ident], deleted=False)
            return "updated"
        self._write(clean, dumped, new=False, deleted=known.deleted and not restored)
        return "updated"

    def _write(self, clean: Annotation, dumped: bytes | None, *, new: bool, deleted: bool) -> None:
        info = target_info(clean["target"])
        source = info.source
        if info.kind == "annotation":
            target = self._known.get(str(info.target_id))
            source = target.source if target else None
        index = (source, info.target_id, info.prompt_id)
        values = rows.row_values(clean, index, self.seq.next(), dumped)
        values["deleted_at"] = utc_now() if deleted else None
        ident = clean["id"]
        was_new = ident in self._pending and self._pending[ident][0]
        if deleted and not new:
            values.pop("deleted_at")  # keep the row's own deletion time
        self._pending[ident] = (new or was_new, values)
        self._known[ident] = _Known(
            values["creator"],
            values["modified"],
            deleted,
            source,
            values["created"],
            values["json"],
        )


_FILLED = frozenset({"id", "creator", "created", "modified"})
"""The keys :meth:`StoreTransaction._merge_one` fills in for an item without them."""


def _event_field(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limits.MAX_EVENT_FIELD_CHARS
