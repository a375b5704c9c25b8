"""The collection's own clock: the times a submission claims, bounded by when collect saw it.

:meth:`reader_ext.store.merge.StoreTransaction.merge_submission` applies it to each submitted
annotation (the rules are in :mod:`reader_ext.course.collect`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from reader_ext.annotations.values import normalise_time, parse_time
from reader_ext.errors import AnnotationError
from reader_ext.store import rows
from reader_ext.store.rows import Annotation

EARLIEST = "2020-01-01T00:00:00.000Z"
"""No claimed time of a submission is earlier: no reader-ext store existed before."""


class Held(Protocol):
    """What the store holds of an annotation already (its row's times)."""

    created: str
    modified: str


_TIMES = ("created", "modified")


def on_our_clock(
    item: Mapping[str, Any],
    known: Held | None,
    seen: str,
    since: str | None = None,
    *,
    checked: bool = False,
) -> tuple[Mapping[str, Any], bool]:
    """``item`` with its times bounded by the collection's clock; True if one was in the future.

    A held annotation keeps the ``created`` the store gave it; every claimed time lies between
    :data:`EARLIEST` and ``seen``; a new item or a change (a ``modified`` later than the held
    one) was not in the submission last seen at ``since``, so is not dated before it; and
    ``modified`` is not before ``created``.
    """
    if checked and known is None:
        # Most of a first collect: a new annotation, as stored, whose times are in bounds.
        created, modified = item.get("created"), item.get("modified")
        low = EARLIEST if since is None else max(EARLIEST, min(since, seen))
        if (
            isinstance(created, str)
            and isinstance(modified, str)
            and low <= created <= modified <= seen
        ):
            return item, False
    claimed = {k: item[k] for k in _TIMES if k in item}
    try:
        # (A checked item's times are as stored already.)
        times = claimed if checked else {k: normalise_time(v, k) for k, v in claimed.items()}
    except AnnotationError:
        return item, False  # the store's checks refuse it, naming the field
    future = any(t > seen for t in times.values())
    bounded = {k: min(max(t, EARLIEST), seen) for k, t in times.items()}
    if since is not None and (known is None or bounded.get("modified", "") > known.modified):
        floor = min(since, seen)
        bounded = {k: max(t, floor) for k, t in bounded.items()}
    if known is not None and known.created:
        bounded["created"] = known.created
    if "created" in bounded and "modified" in bounded:
        bounded["modified"] = max(bounded["modified"], bounded["created"])
    if bounded == claimed:
        return item, future
    return {**item, **bounded}, future


def same_content(clean: Annotation, stored: str | None) -> bool:
    if stored is None:
        return False
    try:
        held = rows.load({"json": stored})
    except ValueError:
        return False
    skip = ("created", "modified", "generator")
    return {k: v for k, v in clean.items() if k not in skip} == {
        k: v for k, v in held.items() if k not in skip
    }


def not_newer(stamp: object, modified: str) -> bool:
    try:
        return parse_time(stamp, "modified") <= parse_time(modified, "modified")
    except AnnotationError:
        return False
