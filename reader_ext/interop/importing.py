"""What ``reader-ext import`` reads: the file's format, each item's fate, and the summary.

Every item of the file ends in exactly one of three places, and the summary counts each:
*imported* (by kind: highlight, note, lesson-level note, reply, prompt answer, reply to a
comment), *kept as an orphan* (imported onto a lesson whose text no longer holds its quote:
kept and listed, as the reader keeps any orphan), or *refused* (with its index and reason).
Nothing is dropped silently, and a file in a format we cannot read faithfully is refused as a
whole, naming the format it looks like.

With a lesson, annotations made on another page (a Hypothesis annotation on the article's web
address) are moved onto the lesson: their quote is searched in the lesson's text with the
reader's own re-anchoring (position as a hint, then the quote with its context, then a bounded
fuzzy match) and given fresh selectors there; a quote that is not found keeps only its
``TextQuoteSelector``, so the reader lists it as an orphan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader_ext.anchoring import anchor, describe
from reader_ext.annotations.shape import check_annotation, target_info
from reader_ext.errors import AnnotationError
from reader_ext.interop.hypothesis import from_row, hypothesis_rows
from reader_ext.interop.w3c_read import ReadProblem, foreign_format, normalise, read_w3c_report
from reader_ext.lessons.model import Lesson

_HYPOTHESIS_ROW = "a Hypothesis API annotation row"


def _plural(kind: str) -> str:
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


KINDS = ("highlight", "note", "lesson-level note", "reply", "prompt answer", "comment reply")


@dataclass(slots=True)
class Item:
    """One annotation read from the file: where it was, and whether it is an orphan."""

    annotation: dict[str, Any]
    index: int
    orphan: bool = False


@dataclass(slots=True)
class ImportPlan:
    format: str
    items: list[Item] = field(default_factory=list)
    refused: list[ReadProblem] = field(default_factory=list)
    lesson: str | None = None
    """The lesson uri annotations were moved onto, if any."""
    page: str | None = None
    """The page (foreign uri) moved onto the lesson."""

    def pages(self) -> Counter[str]:
        """How many passage and page annotations are on each source."""
        return Counter(
            str(i.annotation["target"]["source"])
            for i in self.items
            if isinstance(i.annotation["target"], Mapping)
        )


def read_import(data: object) -> ImportPlan:
    """Sort ``data`` (parsed JSON) into readable annotations and refused items.

    Raises AnnotationError when the file as a whole is not in a format we read.
    """
    if isinstance(data, Mapping):
        looks_like = foreign_format(data)
        if looks_like in ("a Hypothesis API search result", "a Hypothesis client export"):
            plan = ImportPlan(str(looks_like).removeprefix("a "))
            _read_each(plan, hypothesis_rows(data))
            return plan
        result = read_w3c_report(data)
        plan = ImportPlan("W3C Web Annotations")
        plan.items = [Item(a, i) for a, i in zip(result.annotations, result.positions, strict=True)]
        plan.refused = list(result.problems)
        return plan
    if isinstance(data, list):
        rows = sum(1 for item in data if foreign_format(item) == _HYPOTHESIS_ROW)
        label = "W3C Web Annotations"
        if rows:
            label = "Hypothesis API rows" if rows == len(data) else "W3C and Hypothesis items"
        plan = ImportPlan(label)
        _read_each(plan, data)
        if data and not plan.items:
            # Not one item could be read: say what the file looks like, not only N reasons.
            looks = sorted({str(foreign_format(item)) for item in data} - {"None"})
            seen = f"the items look like {looks[0]}" if looks else plan.refused[0].reason
            items = f"{len(data)} item{'' if len(data) == 1 else 's'}"
            msg = f"nothing here can be read faithfully ({items}): {seen}"
            raise AnnotationError(msg)
        return plan
    msg = (
        "expected W3C Web Annotations (an annotation, a list, a page or a collection) or a "
        f"Hypothesis export; got a JSON {type(data).__name__}"
    )
    raise AnnotationError(msg)


def _read_each(plan: ImportPlan, items: Sequence[object]) -> None:
    for index, item in enumerate(items):
        try:
            if foreign_format(item) == _HYPOTHESIS_ROW:
                annotation = from_row(item)
            else:
                annotation = normalise(item)
        except AnnotationError as exc:
            plan.refused.append(ReadProblem(index, str(exc)))
            continue
        plan.items.append(Item(annotation, index))


def onto_lesson(plan: ImportPlan, lesson: Lesson, page: str | None = None) -> None:
    """Move the annotations on ``page`` onto ``lesson``, anchoring them in its text.

    ``page`` may be left out when the file's annotations are all on one page. Raises
    AnnotationError naming the pages when it is needed and missing, or not in the file.
    """
    pages = plan.pages()
    if page is None:
        if len(pages) > 1:
            listed = ", ".join(f"{uri} ({n})" for uri, n in pages.most_common(10))
            msg = f"annotations on {len(pages)} pages; choose one with --uri: {listed}"
            raise AnnotationError(msg)
        page = next(iter(pages), None)
    elif page not in pages:
        msg = f"no annotation in the file is on {page}"
        raise AnnotationError(msg)
    plan.lesson, plan.page = lesson.uri, page
    text = lesson.document.text
    for item in plan.items:
        target = item.annotation["target"]
        if not isinstance(target, Mapping) or target.get("source") != page:
            continue
        moved: dict[str, Any] = {"source": lesson.uri}
        if "selector" in target:
            selectors = target["selector"]
            found = _anchor(text, selectors)
            if found is None:
                item.orphan = True
                # The page's offsets say nothing about the lesson's text: keep only the quote.
                moved["selector"] = [s for s in selectors if s["type"] == "TextQuoteSelector"]
            else:
                moved["selector"] = describe(text, found[0], found[1])
        item.annotation = check_annotation({**item.annotation, "target": moved})


def _anchor(text: str, selectors: list[dict[str, Any]]) -> tuple[int, int] | None:
    try:
        found = anchor(text, selectors)
    except ValueError:
        # A page offset past the lesson's end is no hint at all: search by the quote alone.
        found = anchor(text, [s for s in selectors if s["type"] == "TextQuoteSelector"])
    return None if found is None else (found.start, found.end)


def kind(annotation: Mapping[str, Any]) -> str:
    """Which of :data:`KINDS` an annotation is."""
    info = target_info(annotation["target"])
    if info.kind == "text":
        return "note" if annotation.get("motivation") == "commenting" else "highlight"
    return {
        "lesson": "lesson-level note",
        "prompt": "prompt answer",
        "comment": "comment reply",
    }.get(info.kind, "reply")


def counted(items: Sequence[Item]) -> str:
    """``3 highlights, 1 note``: the kinds among ``items``, in the order of :data:`KINDS`."""
    kinds = Counter(kind(i.annotation) for i in items)
    parts = [f"{kinds[k]} {k if kinds[k] == 1 else _plural(k)}" for k in KINDS if kinds[k]]
    return ", ".join(parts) or "nothing"
