"""Kernel messages as they cross the widget's comm: a snapshot packed, everything else as is.

A snapshot of 10,000 annotations is 6 MB of JSON, most of it the same sixteen keys again and
again. Packed (:class:`~reader_ext.widget.protocol.PackedSnapshot`), its annotations become one
row of values each under one list of column names, and the JSON is deflated into the message's
binary buffer: about a quarter of the bytes, and less JSON for the kernel to encode. The
browser's channel (``static/messaging.js``, ``unpack``) turns it back into the
:class:`~reader_ext.widget.protocol.SnapshotMessage` the modules read.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

from reader_ext.widget.protocol import (
    AnnotationView,
    Cell,
    KernelMessage,
    PackedSnapshot,
    SnapshotMessage,
    SnapshotTable,
)

_PER_READER = ("mine", "body")
LEADING: tuple[str, ...] = tuple(c for c in AnnotationView.__annotations__ if c not in _PER_READER)
"""The fields of an annotation view that are the same whoever reads: every one but ``mine``
and ``body`` (one's own note's Markdown), which close each row."""
COLUMNS: tuple[str, ...] = (*LEADING, *_PER_READER)
"""The fields of an annotation view, in the order a packed snapshot's rows hold them (the
browser reads the names from the table)."""
# Fast and good enough: level 1 deflates 4.4 MB to 1.5 MB in about 40 ms; level 6, to 1.2 MB in
# five times that.
_LEVEL = 1


def table(message: SnapshotMessage) -> SnapshotTable:
    """The snapshot with its annotations as rows under :data:`COLUMNS`."""
    return SnapshotTable(
        type="snapshot",
        req=message["req"],
        user=message["user"],
        lesson=message["lesson"],
        audiences=message["audiences"],
        roster=message["roster"],
        hidden=message["hidden"],
        columns=list(COLUMNS),
        rows=[_row(view) for view in message["annotations"]],
    )


def _row(view: AnnotationView) -> list[Cell]:
    return [view[c] for c in COLUMNS]  # type: ignore[literal-required]


def pack(message: KernelMessage) -> tuple[dict[str, Any], list[bytes]]:
    """``(content, buffers)`` to send for ``message``: a snapshot packed, any other as is."""
    if message["type"] != "snapshot":
        return dict(message), []
    head = {k: v for k, v in message.items() if k != "annotations"}
    return pack_chunks(head, [message["annotations"]])


def pack_chunks(
    head: Mapping[str, Any], chunks: Iterable[list[AnnotationView]]
) -> tuple[dict[str, Any], list[bytes]]:
    """A snapshot packed from its fields but ``annotations`` (``head``: type, req, user,
    lesson) and its views a chunk at a time: only the deflated bytes pile up, never the JSON
    of every annotation (35 MB for 100,000) nor their views."""
    return pack_rows(head, ([encode_row(view) for view in chunk] for chunk in chunks))


def pack_rows(
    head: Mapping[str, Any], chunks: Iterable[list[bytes]]
) -> tuple[dict[str, Any], list[bytes]]:
    """As :func:`pack_chunks`, from rows already encoded: each the UTF-8 JSON array of a
    view's :data:`COLUMNS` (:func:`encode_row`, :func:`row`)."""
    deflate = zlib.compressobj(_LEVEL)
    opening = _json({**head, "columns": list(COLUMNS), "rows": []})
    out = [deflate.compress(opening[:-2].encode())]  # ...,"rows":[ and no ]}
    separator = b""
    for chunk in chunks:
        if chunk:
            out.append(deflate.compress(separator + b",".join(chunk)))
            separator = b","
    out += [deflate.compress(b"]}"), deflate.flush()]
    packed = PackedSnapshot(type="packed", req=head["req"])
    return dict(packed), [b"".join(out)]


def encode_row(view: AnnotationView) -> bytes:
    """A view as a packed row: the JSON array of its :data:`COLUMNS`, in UTF-8."""
    return _json(_row(view)).encode("utf-8", "surrogatepass")


def leading_cells(view: AnnotationView) -> str:
    """The JSON of a view's :data:`LEADING` cells, without the brackets: what :func:`row`
    completes for each reader."""
    return _json([view[c] for c in LEADING])[1:-1]  # type: ignore[literal-required]


def row(leading: bytes, body: bytes | None) -> bytes:
    """A packed row from :func:`leading_cells` and, for one's own annotation, the JSON of its
    note's Markdown (``None`` for another's: ``mine`` false and no ``body``); UTF-8."""
    if body is None:
        return b"[" + leading + b',false,""]'
    return b"[" + leading + b",true," + body + b"]"


def text_json(value: str) -> str:
    """A string as JSON, as the packed rows encode it."""
    return _json(value)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def unpack(content: dict[str, Any], buffers: list[bytes]) -> dict[str, Any]:
    """The message ``pack`` packed, as the browser's channel unpacks it (for tests, benchmarks)."""
    if content.get("type") != "packed":
        return content
    found = json.loads(zlib.decompress(buffers[0]).decode("utf-8", "surrogatepass"))
    columns = found.pop("columns")
    found["annotations"] = [dict(zip(columns, row, strict=True)) for row in found.pop("rows")]
    return dict(found)
