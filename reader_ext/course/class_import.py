"""Moving a course from offline mode to class mode: students' stores into the class database.

``reader-ext class-import SOURCE... --into DATABASE --visibility V`` takes, for each SOURCE:

- **a folder of submissions** (what ``collect`` reads: our layout or nbgrader's). It is collected
  into the class database by :func:`reader_ext.course.collect.collect`, with every rule collect
  has: the author of each annotation is the submission folder's student id (never a name the
  student's file records), each store is read as untrusted data within its row and time budgets
  (:mod:`reader_ext.store.untrusted`), and a bad store or folder is reported and skipped alone.
- **a collected class store** (``class.sqlite``, written by ``collect``). Its annotations already
  carry the authors collect gave them; the file is read in the same untrusted way, and each
  author's annotations, deletions and events are merged in one transaction of their own.

Then every imported annotation without an audience gets one (:meth:`ClassStore.adopt`): the
``visibility`` asked for — ``private`` (the author and the instructors), ``class``,
``instructors`` (a 1:1 thread with the instructors) or ``group`` (with each student's group from
``groups``) — and a reply its thread's. Running it again imports nothing new: ids are kept,
merges are idempotent, and an annotation that has an audience keeps it (one chosen in the reader
is never overwritten).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader_ext.annotations.audience import Visibility
from reader_ext.annotations.fields import author as author_of
from reader_ext.annotations.values import check_username, utc_now
from reader_ext.course.collect import collect
from reader_ext.course.submissions import merge_contents, read_store, real_path, why
from reader_ext.errors import AnnotationError, CollectError, StoreError
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.classroom import ClassStore
from reader_ext.store.engine import masked
from reader_ext.store.merge import MergeResult
from reader_ext.store.notice import Notice
from reader_ext.store.untrusted import Budget

__all__ = ["ClassImport", "class_import"]


@dataclass(slots=True)
class SourceResult:
    """What one SOURCE gave: a line per student (or author), or why it was skipped whole."""

    source: Path
    lines: list[str] = field(default_factory=list)
    students: set[str] = field(default_factory=set)
    error: str | None = None


@dataclass(slots=True)
class ClassImport:
    into: str | Path
    visibility: Visibility
    sources: list[SourceResult] = field(default_factory=list)
    audiences: dict[str, int] = field(default_factory=dict)
    ungrouped: set[str] = field(default_factory=set)

    @property
    def failed(self) -> list[SourceResult]:
        return [s for s in self.sources if s.error is not None]

    def summary(self) -> str:
        lines = []
        for source in self.sources:
            if source.error is not None:
                lines.append(f"{source.source}: skipped — {source.error}")
                continue
            lines.append(f"{source.source}:")
            lines += [f"  {line}" for line in source.lines]
        given = sum(self.audiences.values())
        lines.append(
            f"{given} annotation(s) new to class mode given an audience"
            f" ({self.visibility}, replies their thread's) in {masked(self.into)}"
            + (
                f": {', '.join(f'{s} {n}' for s, n in sorted(self.audiences.items()))}"
                if given
                else ""
            )
        )
        if self.ungrouped:
            lines.append(
                f"no discussion group given for {', '.join(sorted(self.ungrouped))}: "
                "their notes are private (only them and the instructors)"
            )
        return "\n".join(lines)


def class_import(
    sources: Sequence[Path],
    into: str | Path,
    *,
    visibility: Visibility = "private",
    groups: Mapping[str, str] | None = None,
    budget: Budget | None = None,
) -> ClassImport:
    """Import each of ``sources`` into the class database ``into``; see the module's doc."""
    if visibility == "group" and not groups:
        msg = "visibility group: give each student's discussion group (--groups FILE.csv)"
        raise CollectError(msg)
    budget = budget or Budget()
    result = ClassImport(into, visibility)
    for source in sources:
        done = SourceResult(source)
        result.sources.append(done)
        try:
            if source.is_dir():
                report = collect(source, into, max_rows=budget.rows, max_seconds=budget.seconds)
                done.lines = [s.line() for s in report.students]
                for student in report.students:
                    done.lines += [f"    {p}" for p in student.problems[:10]]
                done.students = {s.student for s in report.collected}
            elif not isinstance(into, str) and _same_file(source, into):
                done.error = "is the class database itself"
            elif source.is_file() or source.is_symlink():
                _import_class_store(source, into, budget, done)
            else:
                done.error = "no such file or folder"
        except (CollectError, StoreError, OSError) as exc:
            done.error = why(exc) if isinstance(exc, OSError) else str(exc)
    students = {s for source in result.sources for s in source.students}
    classroom = ClassStore(str(into))
    try:
        adopted = classroom.adopt(students, visibility, groups=groups)
        for uri in sorted(adopted.sources):
            # Services already running pick the imported notes up from their cursors.
            classroom.notify(Notice(uri, resync=True))
    finally:
        classroom.close()
    result.audiences, result.ungrouped = adopted.by_student, adopted.ungrouped
    return result


def read_groups(path: Path) -> dict[str, str]:
    """Each student's discussion group from a CSV file of ``student,group`` rows (a header
    row ``student,group`` is allowed), for ``--visibility group``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        cause = why(exc) if isinstance(exc, OSError) else "not UTF-8 text"
        msg = f"{path}: cannot read the groups ({cause})"
        raise CollectError(msg) from exc
    groups: dict[str, str] = {}
    for n, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if not row or (n == 1 and [c.strip().lower() for c in row] == ["student", "group"]):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            msg = f"{path}:{n}: expected 'student,group', got {','.join(row)[:60]!r}"
            raise CollectError(msg)
        student, group = row[0].strip(), row[1].strip()
        if groups.get(student, group) != group:
            msg = f"{path}:{n}: {student!r} is in two groups ({groups[student]!r}, {group!r})"
            raise CollectError(msg)
        groups[student] = group
    return groups


def _same_file(a: Path, b: Path) -> bool:
    try:
        return b.exists() and a.samefile(b)
    except OSError:
        return False


def _import_class_store(path: Path, into: str | Path, budget: Budget, done: SourceResult) -> None:
    """A collected class store: each author's rows merged as theirs, one transaction each."""
    with (
        tempfile.TemporaryDirectory(prefix="reader-ext-class-import-") as tmp,
        AnnotationStore(into) as store,
    ):
        try:
            folder = real_path(path).parent
            submitted = read_store(path, path.name, folder, Path(tmp) / "c", budget)
            found = merge_contents(submitted, budget)
        except (StoreError, OSError, ValueError) as exc:
            done.error = f"could not be read ({why(exc)})"
            return
        done.lines += [f"{p}" for p in found.problems[:10]]
        by_author: dict[str, list[dict[str, object]]] = {}
        for item in found.live:
            by_author.setdefault(author_of(item), []).append(item)
        events: dict[str, list[dict[str, str]]] = {}
        for event in found.events:
            events.setdefault(event["user"], []).append(event)
        seen = utc_now()
        for name in sorted(set(by_author) | set(events), key=str.casefold):
            try:
                check_username(name, "author")
            except AnnotationError as exc:
                done.lines.append(f"{name[:40]!r}: skipped — {exc}")
                continue
            try:
                with store.transaction() as tx:
                    merged = tx.merge_submission(
                        by_author.get(name, []), student=name, author=name, seen=seen
                    )
                    merged.deleted = tx.apply_deletions(found.deleted, student=name)
                    merged.events, problems = tx.import_events(
                        events.get(name, []), user=name, author=name, seen_at=seen
                    )
            except (StoreError, AnnotationError, ValueError) as exc:
                done.lines.append(f"{name}: skipped — could not be merged ({exc})")
                continue
            done.students.add(name)
            done.lines.append(_line(name, merged))
            done.lines += [f"    {p}" for p in (merged.problems + problems)[:10]]


def _line(name: str, merged: MergeResult) -> str:
    counts = ("added", "updated", "deleted", "unchanged", "skipped", "events")
    return f"{name}: " + ", ".join(f"{getattr(merged, k)} {k}" for k in counts)
