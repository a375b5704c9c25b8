"""``reader-ext assign``, ``collect``, ``report`` and ``publish``: print, and say what failed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader_ext.course.assign import assign
from reader_ext.course.class_import import class_import, read_groups
from reader_ext.course.collect import collect
from reader_ext.course.publish import publish
from reader_ext.course.report import report
from reader_ext.errors import (
    CollectError,
    LessonError,
    PublishError,
    ReleaseError,
    ReportError,
    StoreError,
)
from reader_ext.lessons.layout import PUBLISHED_FILE

if TYPE_CHECKING:
    from reader_ext.annotations.audience import Visibility


def assign_command(path: Path, out: Path, *, nbgrader: bool, force: bool = False) -> int:
    """``reader-ext assign``: say what was released, overwritten (``--force``) and what next."""
    try:
        release = assign(path, out, nbgrader=nbgrader, force=force)
    except ReleaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write the release into {out} ({exc})", file=sys.stderr)
        return 1
    for module in release.modules:
        print(f"{module}: released")
    for replaced in release.replaced:
        print(f"{replaced}: overwritten (--force)")
    for note in release.notes:
        print(note)
    print(f"ok: {len(release.modules)} module(s) in {release.root}, no instructor material")
    if nbgrader:
        names = ", ".join(m.name for m in release.modules)
        print(f"next, in {out}: nbgrader generate_assignment NAME, for each NAME of: {names}")
    return 0


def collect_command(submissions: Path, into: Path | str, *, progress: bool | None = None) -> int:
    """``reader-ext collect``: print the summary; skipped submissions are not an error."""
    try:
        report = collect(submissions, into, progress=progress)
    except (CollectError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def report_command(class_store: Path | str, out_dir: Path, lessons: Path | None) -> int:
    """``reader-ext report``: write the report and name its files."""
    try:
        files = report(class_store, out_dir, lessons=lessons)
    except (ReportError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except LessonError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            f"error: the lessons in {lessons} have {len(exc.problems)} problem(s)", file=sys.stderr
        )
        return 1
    for path in [files.csv, *files.heatmaps, files.html]:
        print(f"{path}: written")
    return 0


def publish_command(class_store: Path | str, release: Path) -> int:
    """``reader-ext publish``: write the files and say how many annotations each module got."""
    try:
        total = publish(class_store, release)
    except (PublishError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write into {release} ({exc.strerror or exc})", file=sys.stderr)
        return 1
    print(f"published {total} annotations into {release} ({PUBLISHED_FILE} in each module)")
    return 0


def class_import_command(
    sources: list[Path], into: Path | str, *, visibility: Visibility, groups: Path | None
) -> int:
    """``reader-ext class-import``: what each source gave; exit 1 if a source was unusable."""
    try:
        found = read_groups(groups) if groups is not None else None
        done = class_import(sources, into, visibility=visibility, groups=found)
    except (CollectError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(done.summary())
    for source in done.failed:
        print(f"error: {source.source}: {source.error}", file=sys.stderr)
    return 1 if done.failed else 0
