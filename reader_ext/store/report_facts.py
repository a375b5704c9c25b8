"""The class report's kept data, as rows: read in one snapshot, written as a cache. No policy.

:mod:`reader_ext.course.report_facts` decides what is kept and whether a kept entry is believed
(its seal); this module only reads the live annotations beside what is kept for them, the
events, and the kept heat maps, and replaces kept entries. A write is a cache's: it may fail
(a read-only or full store) without the report failing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, select, type_coerce
from sqlalchemy.sql import Select
from sqlalchemy.types import NullType

from reader_ext.store import rows
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.schema import (
    annotation_table,
    event_table,
    report_fact_table,
    report_heatmap_table,
)

FactRow = tuple[bytes, bytes, str | None, bytes | None]
"""``(id, stored JSON, kept context, kept sealed facts)``: the last two ``None`` where nothing is
kept; id, JSON and facts as their UTF-8 bytes, never decoded (the seal is checked over them)."""
EventRow = tuple[str, str, str, str, str]
"""``(kind, user, source, key, at)`` of one event."""


@dataclass(slots=True)
class Kept:
    annotations: list[FactRow]
    """Every live annotation, by ``created`` then ``id`` (as :meth:`AnnotationStore.list`)."""
    events: list[EventRow]
    """Every event, in the order they were recorded."""
    heatmaps: dict[str, tuple[str, str]]
    """Per module uri: ``(context, sealed)`` of its kept heat map."""
    gone: list[str]
    """Ids with facts kept but no live annotation (deleted since): to be forgotten."""


def read(store: AnnotationStore) -> Kept:
    """What a report reads of the store, from one read (one snapshot): only the columns it uses,
    as plain tuples (no type processing: 50,000 rows of a class)."""
    with store.reading() as conn:
        postgresql = conn.dialect.name == "postgresql"
        facts = report_fact_table.c
        query = select(_raw(facts.id, postgresql), facts.context, _raw(facts.sealed, postgresql))
        kept: dict[bytes, tuple[str, bytes]] = {i: (c, s) for i, c, s in conn.execute(query)}
        found = [
            (i, j, *kept.pop(i, (None, None))) for i, j in conn.execute(_annotations(postgresql))
        ]
        columns = (event_table.c[k] for k in rows.EVENT_KEYS)
        events = cast(
            list[EventRow], conn.execute(select(*columns).order_by(event_table.c.id)).all()
        )
        heatmaps = {
            str(i): (str(c), str(s)) for i, c, s in conn.execute(select(report_heatmap_table))
        }
    gone = [i.decode() for i in kept]
    return Kept(cast(list[FactRow], found), events, heatmaps, gone)


def _annotations(postgresql: bool) -> Select[Any]:
    """The live annotations' (id, JSON), as :meth:`AnnotationStore.list` orders them."""
    table = annotation_table.c
    query = select(_raw(table.id, postgresql), _raw(table.json, postgresql))
    return query.where(rows.filters()).order_by(table.created, table.id)


def _raw(column: ColumnElement[str], postgresql: bool) -> ColumnElement[Any]:
    """A text column's UTF-8 bytes as stored (:func:`reader_ext.store.rows.utf8`), handed over
    as the driver gives them: no result processing per value."""
    return type_coerce(rows.utf8(column, postgresql), NullType())


def save_facts(
    store: AnnotationStore, items: Iterable[tuple[str, str, str]], forget: Sequence[str] = ()
) -> None:
    """Keep ``(annotation id, context, sealed facts)`` (replacing what was kept for those ids),
    and forget what was kept for the ids in ``forget``."""
    items = list(items)
    if not items and not forget:
        return  # (no write transaction: a report on a read-only store writes nothing)
    with store.transaction() as tx:
        for chunk in rows.batches(forget):
            tx.conn.execute(report_fact_table.delete().where(report_fact_table.c.id.in_(chunk)))
        rows.replace(tx.conn, report_fact_table, items)


def save_heatmaps(store: AnnotationStore, items: Iterable[tuple[str, str, str]]) -> None:
    """Keep ``(module uri, context, sealed image)`` (replacing what was kept for those uris)."""
    items = list(items)
    if not items:
        return
    with store.transaction() as tx:
        rows.replace(tx.conn, report_heatmap_table, items)
