"""Where a class read closely: per character of a reading, how many students annotated it.

Coverage counts *students*, not annotations: one student highlighting a sentence five times is
one reader's attention, and a heat map that counted annotations would show the keenest student
rather than the class. Annotations are placed with :func:`reader_ext.anchoring.anchor`, so a
reading edited since the class annotated it still maps; annotations that cannot be placed are
counted as orphans and reported beside the map.

Two renderings of the same data: a PNG (Pillow, with its built-in font so no system font is
needed) and HTML spans built from escaped text. Shades are ColorBrewer's YlOrRd, which stays
ordered for colour-blind readers and in greyscale print.
"""

from __future__ import annotations

import html
import io
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reader_ext.anchoring import anchor
from reader_ext.text.document import Block

# Background and the text colour that keeps WCAG AA contrast (4.5:1) on it.
SHADES: tuple[tuple[str, str], ...] = (
    ("#ffffff", "#111111"),
    ("#ffffb2", "#111111"),
    ("#fecc5c", "#111111"),
    ("#fd8d3c", "#111111"),
    ("#f03b20", "#111111"),
    ("#bd0026", "#ffffff"),
)
NOTE_LINE = "#1f3b8f"
_PNG_WIDTH = 1000
_MARGIN = 28
_FONT_SIZE = 16
_LINE_HEIGHT = 25
_TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass(slots=True)
class Heat:
    """Per character of ``text``: how many students annotated it, and how many wrote a note."""

    text: str
    students: int
    """Students in the class (the top of the scale)."""
    counts: list[int] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    _shading: list[int] | None = field(default=None, init=False, repr=False, compare=False)
    """Per character: ``2 * level + noted``, worked out once for every run asked for."""
    annotators: int = 0
    """Students who highlighted or noted anything in this reading."""
    orphans: int = 0
    """Annotations whose passage is no longer in the text."""

    def level(self, offset: int) -> int:
        """0 (nobody) to 5 (the whole class), proportional to the share of students."""
        return self.level_of(self.counts[offset])

    def level_of(self, count: int) -> int:
        """The level of ``count`` students."""
        if count == 0:
            return 0
        return max(1, min(5, math.ceil(5 * count / max(self.students, 1))))

    def hottest(self) -> tuple[int, int, int] | None:
        """(start, end, students) of the first longest passage with the highest count."""
        top = max(self.counts, default=0)
        if top == 0:
            return None
        best: tuple[int, int] = (0, 0)
        start = None
        for i, count in enumerate([*self.counts, -1]):
            if count == top and start is None:
                start = i
            elif count != top and start is not None:
                if i - start > best[1] - best[0]:
                    best = (start, i)
                start = None
        return best[0], best[1], top


Placed = tuple[str, tuple[int, int] | None, bool]
"""An annotation on the heat map: (the student it counts for, its passage in the text or None
where the passage is no longer there, whether it is a note)."""


def coverage(text: str, annotations: Iterable[Mapping[str, Any]], students: int) -> Heat:
    """Count, per character, the distinct students whose highlights or notes cover it."""
    return heat_of(text, (p for a in annotations if (p := place(text, a)) is not None), students)


def place(text: str, annotation: Mapping[str, Any]) -> Placed | None:
    """Where ``annotation`` is on the heat map of ``text``: None for what is not on it (a
    reply, an answer, a note on the lesson as a whole)."""
    target = annotation.get("target")
    if annotation.get("motivation") == "replying" or not isinstance(target, Mapping):
        return None
    try:
        found = anchor(text, target.get("selector") or [])
    except ValueError:
        found = None
    creator = annotation.get("creator")
    who = str(creator.get("nickname", "unknown")) if isinstance(creator, Mapping) else "unknown"
    span = None if found is None else (found.start, found.end)
    return who, span, annotation.get("motivation") == "commenting"


def heat_of(text: str, placed: Iterable[Placed], students: int) -> Heat:
    """The heat map of ``text`` from its annotations as :func:`place` placed them."""
    spans: dict[str, list[tuple[int, int, bool]]] = {}
    heat = Heat(text, students)
    for who, span, noted in placed:
        if span is None:
            heat.orphans += 1
        else:
            spans.setdefault(who, []).append((span[0], span[1], noted))
    heat.counts = _count(len(text), ([(s, e) for s, e, _ in v] for v in spans.values()))
    heat.notes = _count(len(text), ([(s, e) for s, e, n in v if n] for v in spans.values()))
    heat.annotators = len(spans)
    return heat


def _count(length: int, per_student: Iterable[list[tuple[int, int]]]) -> list[int]:
    # A difference array over each student's merged ranges: overlaps by one student count once.
    diff = [0] * (length + 1)
    for ranges in per_student:
        merged: list[list[int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in merged:
            diff[start] += 1
            diff[end] -= 1
    return list(itertools.accumulate(diff[:length]))


def runs(heat: Heat, start: int, end: int) -> list[tuple[int, int, int, bool]]:
    """Maximal (start, end, level, noted) runs of equal shading within ``[start, end)``."""
    shading = heat._shading
    if shading is None:
        levels = {count: heat.level_of(count) for count in set(heat.counts)}
        shading = heat._shading = [
            2 * levels[count] + (note > 0)
            for count, note in zip(heat.counts, heat.notes, strict=True)
        ]
    out: list[tuple[int, int, int, bool]] = []
    i = start
    for key, group in itertools.groupby(shading[start:end]):
        j = i + sum(1 for _ in group)
        out.append((i, j, key >> 1, bool(key & 1)))
        i = j
    return out


def legend(students: int) -> list[tuple[int, str]]:
    """(level, label) of each shade, e.g. (2, "2–3 of 10 students")."""
    items: list[tuple[int, str]] = []
    for level in range(1, 6):
        low = math.floor((level - 1) * students / 5) + 1
        high = math.floor(level * students / 5)
        if low > high:
            continue
        label = f"{low}" if low == high else f"{low}–{high}"
        items.append((level, f"{label} of {students} student{'s' if students != 1 else ''}"))
    return items


def heat_html(heat: Heat, blocks: Sequence[Block]) -> str:
    """The reading as paragraphs of shaded spans; every piece of text is escaped."""
    parts: list[str] = []
    for block in blocks:
        spans: list[str] = []
        for start, end, level, noted in runs(heat, block.start, block.end):
            text = html.escape(heat.text[start:end], quote=False)
            if level == 0 and not noted:
                spans.append(text)
                continue
            classes = " ".join([f"h{level}"] + (["noted"] if noted else []))
            count = heat.counts[start]
            title = f"{count} of {heat.students} students" + (", with notes" if noted else "")
            spans.append(f'<span class="{classes}" title="{html.escape(title)}">{text}</span>')
        kind = ' class="heading"' if block.tag.startswith("h") else ""
        parts.append(f"<p{kind}>{''.join(spans)}</p>")
    return "\n".join(parts)


def heat_png(heat: Heat, blocks: Sequence[Block], title: str) -> bytes:
    """The reading wrapped to a page, each character shaded by how many students annotated it."""
    from PIL import Image, ImageDraw

    font, big = _fonts()
    page = _layout(heat.text, tuple((b.start, b.end) for b in blocks))
    image = Image.new("RGB", (_PNG_WIDTH, page.height), SHADES[0][0])
    draw = ImageDraw.Draw(image)
    draw.text((_MARGIN, _MARGIN), title, fill=SHADES[0][1], font=big)
    x = float(_MARGIN)
    items = legend(heat.students)
    for n, (level, full) in enumerate(items, 1):
        # "1-200", ..., "801-1000 of 1000 students": the whole key fits one line (and the
        # built-in font has no en dash).
        label = (full if n == len(items) else full.split(" of ")[0]).replace("–", "-")
        draw.rectangle(
            (x, _MARGIN + 38, x + 18, _MARGIN + 56), fill=SHADES[level][0], outline="#777"
        )
        draw.text((x + 24, _MARGIN + 38), label, fill=SHADES[0][1], font=font)
        x += 40 + font.getlength(label)
    light: list[tuple[int, int, int, int, str]] = []  # runs whose shade needs light text
    underlines: list[tuple[int, int, int]] = []
    for y, line in page.lines:
        for start, end, level, noted in runs(heat, *line):
            x0, x1 = page.x(start, line[0], font), page.x(end, line[0], font)
            back, fore = SHADES[level]
            if level:
                draw.rectangle((x0, y, x1, y + _LINE_HEIGHT - 2), fill=back)
            if fore != SHADES[0][1]:
                light.append((x0, y, x1 + 1, y + _LINE_HEIGHT - 1, fore))
            if noted:
                underlines.append((x0, x1, y + _LINE_HEIGHT - 3))
    # The reading's text, drawn once per layout, laid over the shades in the usual colour and,
    # where a shade is dark, in light text.
    image.paste(SHADES[0][1], (0, 0), page.ink)
    for box in light:
        image.paste(box[4], box[:4], page.ink.crop(box[:4]))
    for x0, x1, y in underlines:
        draw.line((x0, y, x1, y), NOTE_LINE, 2)
    out = io.BytesIO()
    # A palette PNG is a third of the RGB one, and it is embedded in report.html. Fast octree
    # keeps the six flat shades exact; median cut (the default) merged neighbouring shades.
    # zlib's default level: `optimize` made it 5 % smaller at seven times the cost.
    image.quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(out, "PNG")
    return out.getvalue()


@lru_cache(maxsize=1)
def _fonts() -> tuple[Any, Any]:
    try:
        from PIL import ImageFont
    except ImportError as exc:  # pragma: no cover - Pillow is a dependency
        msg = "heat map images need Pillow: pip install pillow"
        raise ImportError(msg) from exc
    return ImageFont.load_default(size=_FONT_SIZE), ImageFont.load_default(size=_FONT_SIZE + 6)


@dataclass(slots=True)
class _Page:
    """A reading laid out for the heat map: what every module on the same text shares."""

    text: str
    lines: list[tuple[int, tuple[int, int]]]
    """(y, (start, end)) of each line of text."""
    height: int
    ink: Any
    """The text itself, as a mask (PIL ``L`` image) of the whole page."""
    offsets: dict[int, int] = field(default_factory=dict)

    def x(self, offset: int, line_start: int, font: Any) -> int:
        """Where ``offset`` of the text is drawn on its line starting at ``line_start``."""
        found = self.offsets.get(offset)
        if found is None or offset == line_start:
            piece = self.text[line_start:offset].replace("\n", " ")
            found = round(_MARGIN + font.getlength(piece))
            if offset != line_start:  # a line's end is also the next one's start
                self.offsets[offset] = found
        return found


@lru_cache(maxsize=4)
def _layout(text: str, blocks: tuple[tuple[int, int], ...]) -> _Page:
    """Wrap ``text``'s blocks to the page and draw its text once (modules may share a reading,
    and the font is most of a heat map's cost)."""
    from PIL import Image, ImageDraw

    font, _ = _fonts()
    widths: dict[str, float] = {}

    def measure(piece: str) -> float:
        # A reading repeats its words: each is measured once.
        found = widths.get(piece)
        if found is None:
            found = widths[piece] = float(font.getlength(piece))
        return found

    wrapped: list[tuple[int, int] | None] = []
    for start, end in blocks:
        wrapped += _wrap(text, start, end, _PNG_WIDTH - 2 * _MARGIN, measure)
        wrapped.append(None)  # half a line between paragraphs
    y = _MARGIN + 3 * _LINE_HEIGHT
    lines: list[tuple[int, tuple[int, int]]] = []
    for line in wrapped:
        if line is None:
            y += _LINE_HEIGHT // 2
        else:
            lines.append((y, line))
            y += _LINE_HEIGHT
    ink = Image.new("L", (_PNG_WIDTH, y + _MARGIN), 0)
    draw = ImageDraw.Draw(ink)
    for top, (start, end) in lines:
        # A soft line break inside a paragraph is a space once the paragraph is re-wrapped.
        draw.text((_MARGIN, top + 3), text[start:end].replace("\n", " "), fill=255, font=font)
    return _Page(text, lines, y + _MARGIN, ink)


def _wrap(
    text: str, start: int, end: int, width: float, measure: Any
) -> list[tuple[int, int] | None]:
    lines: list[tuple[int, int] | None] = []
    line_start, used = start, 0.0
    for match in _TOKEN.finditer(text, start, end):
        token = match.group().replace("\n", " ")
        size = float(measure(token.rstrip()))
        if used and used + size > width:
            lines.append((line_start, match.start()))
            line_start, used = match.start(), 0.0
        used += float(measure(token))
    if line_start < end:
        lines.append((line_start, end))
    return lines
