"""The two W3C selectors an annotation target carries, and the anchor they resolve to.

Selectors arrive as JSON from the browser and from stored or collected annotations, so
``from_w3c`` checks the shape strictly: a selector that cannot be read is broken input and raises
``ValueError`` naming what is wrong. Whether the selected text can still be *found* is a separate
question, answered by :func:`reader_ext.anchoring.anchor` with ``Anchor | None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

QUOTE = "TextQuoteSelector"
POSITION = "TextPositionSelector"

AnchorMethod = Literal["position", "quote", "fuzzy"]


def _check_type(d: Mapping[str, object], expected: str) -> None:
    if not isinstance(d, Mapping):
        msg = f"a {expected} must be a JSON object, not {type(d).__name__}"
        raise ValueError(msg)
    if d.get("type") != expected:
        msg = f"expected a selector with type {expected!r}, got type {d.get('type')!r}"
        raise ValueError(msg)


def _get_str(d: Mapping[str, object], key: str, *, required: bool) -> str:
    value = d.get(key, None if required else "")
    if not isinstance(value, str):
        what = "missing" if value is None else f"a {type(value).__name__}, not a string"
        msg = f"{QUOTE}.{key} is {what}"
        raise ValueError(msg)
    return value


def _get_offset(d: Mapping[str, object], key: str) -> int:
    value = d.get(key)
    # bool is an int subclass; True as an offset is a bug on the sending side, not offset 1.
    if not isinstance(value, int) or isinstance(value, bool):
        what = "missing" if value is None else f"a {type(value).__name__}, not an integer"
        msg = f"{POSITION}.{key} is {what}"
        raise ValueError(msg)
    return value


@dataclass(frozen=True, slots=True)
class TextQuoteSelector:
    """The selected text with some context on each side (W3C ``TextQuoteSelector``)."""

    exact: str
    prefix: str = ""
    suffix: str = ""

    def __post_init__(self) -> None:
        if not self.exact:
            msg = f"{QUOTE}.exact is empty: an annotation must select at least one character"
            raise ValueError(msg)

    def to_w3c(self) -> dict[str, object]:
        # prefix and suffix are always written, even empty, so exported rows share one shape.
        return {"type": QUOTE, "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix}

    @classmethod
    def from_w3c(cls, d: Mapping[str, object]) -> TextQuoteSelector:
        _check_type(d, QUOTE)
        return cls(
            exact=_get_str(d, "exact", required=True),
            prefix=_get_str(d, "prefix", required=False),
            suffix=_get_str(d, "suffix", required=False),
        )


@dataclass(frozen=True, slots=True)
class TextPositionSelector:
    """Offsets ``[start, end)`` in the document's plain text, in code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        check_range(self.start, self.end, what=POSITION)

    def to_w3c(self) -> dict[str, object]:
        return {"type": POSITION, "start": self.start, "end": self.end}

    @classmethod
    def from_w3c(cls, d: Mapping[str, object]) -> TextPositionSelector:
        _check_type(d, POSITION)
        return cls(start=_get_offset(d, "start"), end=_get_offset(d, "end"))


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation sits in the current text, and how it was found.

    ``method`` says which evidence placed it: ``"position"`` (the recorded offsets still hold the
    quote), ``"quote"`` (the quote was found verbatim elsewhere) or ``"fuzzy"`` (found with
    ``errors`` character edits). A caller may, for example, flag fuzzy anchors for review.
    """

    start: int
    end: int
    method: AnchorMethod
    errors: int = 0


def check_range(start: int, end: int, *, what: str) -> None:
    """Raise ``ValueError`` unless ``0 <= start <= end``."""
    if start < 0 or end < 0:
        msg = f"{what} offsets must not be negative, got start={start}, end={end}"
        raise ValueError(msg)
    if start > end:
        msg = f"{what} start must not be after end, got start={start}, end={end}"
        raise ValueError(msg)
