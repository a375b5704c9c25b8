"""Anchoring annotations to a document's plain text: W3C selectors in, offsets out.

Pure Python, no I/O. ``describe`` turns a range into a ``TextQuoteSelector`` and a
``TextPositionSelector``; ``anchor`` finds the range again after the text changed, or returns
``None`` (an orphan, which the caller keeps). Offsets count code points (Python ``str``
indices); converting to the browser's UTF-16 offsets happens elsewhere.
"""

from reader_ext.anchoring.anchor import anchor, describe
from reader_ext.anchoring.match_quote import Match, match_quote
from reader_ext.anchoring.types import Anchor, TextPositionSelector, TextQuoteSelector

__all__ = [
    "Anchor",
    "Match",
    "TextPositionSelector",
    "TextQuoteSelector",
    "anchor",
    "describe",
    "match_quote",
]
