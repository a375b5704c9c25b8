"""The instructor's report on a class store: who did what, where the class read, what it wrote.

Writes into one folder: ``students.csv`` (per student, per module and in all), one
``heatmap-<module>.png`` per reading, and ``report.html`` — a single self-contained page (inline
CSS, images as ``data:`` URIs, no scripts, nothing fetched) with the same tables, the heat maps,
every prompt's answers side by side and how often each gloss was opened.

Annotations are matched to lessons by ``uri`` (a released module keeps its instructor copy's
uri), so the lesson folder given here may be the course sources or a release. When lessons are
given, the report covers those lessons only: annotations and events naming any other uri (a
student's store can name made-up ones) are counted in :attr:`ClassReport.unknown`, not given a
module each. Without lessons every uri in the store is a module.

Bounds (hostile stores): a reply more than :data:`MAX_REPLY_DEPTH` replies deep is on no
lesson; lessons of replies are found in one pass (linear in the number of annotations); a
gloss's "times opened" counts at most :data:`MAX_OPENS_PER_STUDENT` opens per student, beside
the number of distinct students who opened it.

Speed: what the report needs of each annotation (author, kind, prompt, words, its passage
anchored in the reading) and each reading's heat map image are derived once and kept in the
class store under this user's seal (:mod:`reader_ext.course.report_facts`), so a repeated report
decodes and anchors only the annotations that are new or changed since the last one, and draws
only the heat maps whose figures changed. The answers' HTML is the reader's own rendering of a
note, kept in the class store's ``rendered`` cache under the same seal
(:func:`reader_ext.widget.session.rendered_texts`): a report renders only the answers that are
new. A kept entry that the seal does not bind to that very annotation, text or figures (a class
store is made of students' files) is derived again, never used.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from reader_ext.annotations.values import utc_now
from reader_ext.course.heatmap import Heat, heat_of
from reader_ext.course.report_facts import Fact, heat_images, report_facts, step
from reader_ext.course.report_html import render_html
from reader_ext.course.report_model import (
    ALL_MODULES,
    GLOSS_OPEN,
    MAX_OPENS_PER_STUDENT,
    STUDENT_COLUMNS,
    Answer,
    ClassReport,
    GlossUse,
    ModuleReport,
    ReportFiles,
    StudentStats,
)
from reader_ext.errors import ReportError, StoreError
from reader_ext.gcpause import gc_paused
from reader_ext.interop.tables import BOM, spreadsheet_cell
from reader_ext.lessons.layout import MODULE_FILE
from reader_ext.lessons.load import is_course, load_course, load_lesson
from reader_ext.lessons.model import Lesson
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.engine import masked, store_exists
from reader_ext.store.report_facts import EventRow
from reader_ext.text.document import Block
from reader_ext.widget.session import rendered_texts

__all__ = ["build_report", "load_lessons", "report", "students_csv"]

MAX_REPLY_DEPTH = 100
"""Replies to replies deeper than this are on no lesson (and counted as unknown)."""


def report(class_store: Path | str, out_dir: Path, *, lessons: Path | None = None) -> ReportFiles:
    """Write ``students.csv``, the heat map PNGs and ``report.html`` into ``out_dir``."""
    with gc_paused():
        data = build_report(class_store, lessons)
        page = render_html(data)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / "students.csv"
    # With a BOM, as the annotation CSV export: Excel then reads non-Latin names as UTF-8.
    csv_path.write_text(BOM + students_csv(data), encoding="utf-8", newline="")
    heatmaps: list[Path] = []
    for module in data.modules:
        if module.png is not None:
            path = out_dir / f"heatmap-{module.name}.png"
            path.write_bytes(module.png)
            heatmaps.append(path)
    html_path = out_dir / "report.html"
    html_path.write_text(page, encoding="utf-8")
    return ReportFiles(html_path, csv_path, heatmaps)


def build_report(class_store: Path | str, lessons: Path | None = None) -> ClassReport:
    """Everything the report shows, computed from the store (a file or a class database's
    URL) and the lessons' text."""
    if not store_exists(class_store):
        msg = f"{masked(class_store)}: no class store here; run `reader-ext collect` first"
        raise ReportError(msg)
    course_title, found = load_lessons(lessons)
    by_uri = {lesson.uri: lesson for lesson in found}
    with gc_paused(), AnnotationStore(class_store) as store:
        facts, events, heatmaps = report_facts(store, by_uri)
        # What the report names it by: the file, or the class database's name.
        name = class_store if isinstance(class_store, Path) else Path(store.name)
        data = _report(name, course_title, found, facts, events)
        _draw_heat_maps(store, data.modules, heatmaps)
        _render_answers(store, data.modules)
    return data


def _report(
    class_store: Path,
    course_title: str | None,
    found: Sequence[Lesson],
    facts: Sequence[Fact],
    events: Sequence[EventRow],
) -> ClassReport:
    by_uri = {lesson.uri: lesson for lesson in found}
    sources = _sources((f.id, f.parent, f.direct) for f in facts)
    per_source: dict[str, list[Fact]] = {}
    unknown_annotations = 0
    authors: set[str] = set()
    for fact in facts:
        authors.add(fact.author)
        source = sources.get(fact.id)
        if source is None or (found and source not in by_uri):
            unknown_annotations += 1
        else:
            per_source.setdefault(source, []).append(fact)
    per_source_events: dict[str, list[EventRow]] = {}
    unknown_events = 0
    for ev in events:  # (kind, user, source, key, at)
        if found and ev[2] not in by_uri:
            unknown_events += 1
        else:
            per_source_events.setdefault(ev[2], []).append(ev)
    students = sorted(authors | {e[1] for e in events}, key=str.casefold)
    uris = [lesson.uri for lesson in found]
    uris += sorted((set(per_source) | set(per_source_events)) - set(by_uri))
    modules = [
        _module(
            uri, by_uri.get(uri), per_source.get(uri, []), per_source_events.get(uri, []), students
        )
        for uri in uris
    ]
    per_student: dict[str, list[StudentStats]] = {s: [] for s in students}
    for module in modules:
        for row in module.stats:
            per_student[row.student].append(row)
    return ClassReport(
        course_title or f"Class report: {class_store.name}",
        class_store,
        students,
        [_total(s, rows) for s, rows in per_student.items()],
        modules,
        utc_now(),
        (unknown_annotations, unknown_events),
    )


def _draw_heat_maps(
    store: AnnotationStore, modules: Sequence[ModuleReport], kept: Mapping[str, tuple[str, str]]
) -> None:
    """Each reading's heat map image: kept in the store (sealed) from the last report if what it
    shows has not changed since, else drawn."""
    drawn: list[ModuleReport] = []
    maps: list[tuple[str, Heat, Sequence[Block], str]] = []
    for module in modules:
        if module.heat is not None and module.lesson is not None:
            drawn.append(module)
            maps.append((module.uri, module.heat, module.lesson.document.blocks, module.title))
    for module, png in zip(drawn, heat_images(store, maps, kept), strict=True):
        module.png = png


def _render_answers(store: AnnotationStore, modules: Sequence[ModuleReport]) -> None:
    """Fill in the HTML of the answers the page shows: the reader's renderings, reused from the
    store's cache where this user's seal holds (a class store is made of students' files, so
    nothing else in it is trusted), the others rendered and kept there for the next report."""
    shown = [a for module in modules for a in module.shown_answers()]
    fresh: list[tuple[str, str, str]] = []
    html = rendered_texts(store, [(a.id, a.modified, a.text) for a in shown], fresh)
    for answer in shown:
        answer.html = html.get(answer.id, "")
    if fresh:
        # A cache: a class store that cannot be written (read-only, full) still reports.
        with contextlib.suppress(StoreError):
            store.save_rendered(fresh)


def lesson_sources(annotations: Sequence[Mapping[str, Any]]) -> dict[str, str | None]:
    """The lesson uri of each annotation by id, replies following what they answer.

    Linear: each annotation is resolved once (a reply's lesson is its target's). A chain that
    loops, ends at a missing annotation, or is over :data:`MAX_REPLY_DEPTH` deep has none.
    """
    return _sources((str(a.get("id")), *step(a)) for a in annotations)


def _sources(steps: Iterable[tuple[str, str | None, str | None]]) -> dict[str, str | None]:
    """:func:`lesson_sources` of ``(id, the id it replies to, its own lesson)`` triples."""
    found: dict[str, tuple[str | None, int]] = {}  # id -> (lesson, depth)
    parents: dict[str, str] = {}  # a reply's id -> the id it answers
    for ident, (parent, direct) in {i: (p, d) for i, p, d in steps}.items():
        if parent is None:
            found[ident] = (direct, 0)
        else:
            parents[ident] = parent
    lost = (None, MAX_REPLY_DEPTH + 1)
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        current = start
        while True:
            if current in found:
                lesson, depth = found[current]
                break
            parent = parents.get(current)
            if parent is None or current in on_path:  # missing, or a loop
                lesson, depth = lost
                break
            path.append(current)
            on_path.add(current)
            current = parent
        for ident in reversed(path):
            depth += 1
            if depth > MAX_REPLY_DEPTH:
                lesson = None
            found[ident] = (lesson, depth)
    return {i: lesson for i, (lesson, _) in found.items()}


def students_csv(data: ClassReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(STUDENT_COLUMNS)
    for module in data.modules:
        for stats in module.stats:
            writer.writerow([spreadsheet_cell(v) for v in stats.row()])
    for stats in data.totals:
        writer.writerow([spreadsheet_cell(v) for v in stats.row()])
    return out.getvalue()


def load_lessons(path: Path | None) -> tuple[str | None, list[Lesson]]:
    """The course's title (if ``path`` is a course) and its lessons: a course, one module, or a
    folder of module folders (nbgrader's ``release/``); ``lessons/`` here when ``path`` is None."""
    if path is None:
        path = Path("lessons")
        if not path.is_dir():
            return None, []
    if not path.is_dir():
        msg = f"{path}: no lessons folder here; give the course (or release) folder with --lessons"
        raise ReportError(msg)
    if is_course(path):
        course = load_course(path)
        return course.title, course.modules
    if (path / MODULE_FILE).is_file():
        return None, [load_lesson(path)]
    # A folder of module folders without course.toml, such as nbgrader's release/.
    return None, [load_lesson(p) for p in sorted(path.iterdir()) if (p / MODULE_FILE).is_file()]


def _module(
    uri: str,
    lesson: Lesson | None,
    authored: Sequence[Fact],
    events: Sequence[EventRow],
    students: Sequence[str],
) -> ModuleReport:
    name = lesson.path.name if lesson else re.sub(r"[^a-z0-9]+", "-", uri.lower()).strip("-")
    module = ModuleReport(uri, name, lesson.title if lesson else uri, lesson)
    module.annotations = len(authored)
    prompt_ids = {p.id for p in lesson.prompts} if lesson else None
    stats = {s: StudentStats(s, name, prompts=len(prompt_ids or ())) for s in students}
    answered: dict[str, set[str]] = {s: set() for s in students}
    for fact in authored:
        who = fact.author
        row = stats[who]
        row.words += fact.words
        row.last_activity = max(row.last_activity, fact.modified)
        kind = fact.kind
        if kind in ("text", "lesson"):  # a lesson-level note is a note, not a reply
            if fact.commenting:
                row.notes += 1
            else:
                row.highlights += 1
        elif kind == "prompt" and fact.prompt_id is not None:
            if prompt_ids is None or fact.prompt_id in prompt_ids:
                answered[who].add(fact.prompt_id)
            answer = Answer(who, fact.created, fact.text, fact.id, fact.modified)
            module.answers.setdefault(fact.prompt_id, []).append(answer)
        else:
            row.replies += 1
    per_student: Counter[tuple[str, str]] = Counter()
    openers: dict[str, set[str]] = {}
    for kind, user, _, gloss, at in events:
        row = stats[user]
        row.last_activity = max(row.last_activity, at)
        if kind == GLOSS_OPEN:
            per_student[gloss, user] += 1
            openers.setdefault(gloss, set()).add(user)
    opens: Counter[str] = Counter()
    glosses_opened: Counter[str] = Counter()  # distinct glosses, per student
    for (key, user), n in per_student.items():
        opens[key] += min(n, MAX_OPENS_PER_STUDENT)
        glosses_opened[user] += 1
    for student, row in stats.items():
        done = answered[student]
        row.prompts_answered = len(done)
        if lesson is not None and done:
            row.answered_prompts = "; ".join(
                f"{n} ({p.id})" for n, p in enumerate(lesson.prompts, 1) if p.id in done
            )
        row.glosses_opened = glosses_opened[student]
    module.stats = list(stats.values())
    for answers in module.answers.values():
        answers.sort(key=lambda a: (a.student.casefold(), a.created))
    module.glosses = _glosses(lesson, opens, openers)
    if lesson is not None:
        placed = ((f.heat, f.span, f.commenting) for f in authored if f.heat is not None)
        module.heat = heat_of(lesson.document.text, placed, len(students))
    return module


def _glosses(
    lesson: Lesson | None, opens: Counter[str], openers: Mapping[str, set[str]]
) -> list[GlossUse]:
    terms = {g.key: g.term for g in lesson.glossary} if lesson else {}
    shown = {o.key for o in lesson.document.occurrences} if lesson else set()
    keys = shown | set(opens)
    uses = [GlossUse(k, terms.get(k, k), opens[k], len(openers.get(k, ()))) for k in keys]
    return sorted(uses, key=lambda u: (-u.students, -u.opens, u.term.casefold()))


def _total(student: str, rows: Sequence[StudentStats]) -> StudentStats:
    total = StudentStats(student, ALL_MODULES)
    for row in rows:
        for name in ("highlights", "notes", "replies", "prompts_answered", "prompts", "words"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.glosses_opened += row.glosses_opened
        total.last_activity = max(total.last_activity, row.last_activity)
    return total
