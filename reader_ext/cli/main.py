"""The ``reader-ext`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reader_ext._version import __version__
from reader_ext.cli.course import assign_command, collect_command, publish_command, report_command
from reader_ext.cli.interop import export_command, import_command
from reader_ext.cli.lessons import build_command, lab_command, render_command, validate_command
from reader_ext.errors import LessonError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader-ext", description="Annotated Reader: lessons, glosses and annotations."
    )
    parser.add_argument("--version", action="version", version=f"reader-ext {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check lesson or course folders")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    p = sub.add_parser("render", help="print a lesson's rendered document")
    p.add_argument("path", type=Path, metavar="PATH")
    p.add_argument("--format", choices=["text", "html", "json"], default="text")

    p = sub.add_parser("build", help="write the lesson notebooks from the sources")
    p.add_argument("path", type=Path, metavar="PATH")

    p = sub.add_parser("assign", help="write the student release (no instructor material)")
    p.add_argument("path", type=Path, metavar="COURSE_OR_MODULE")
    p.add_argument("--out", type=Path, required=True, metavar="RELEASE_DIR")
    p.add_argument("--nbgrader", action="store_true", help="write nbgrader's source/ layout")
    p.add_argument("--force", action="store_true", help="overwrite files assign did not write")

    p = sub.add_parser("export", help="write a store's annotations as W3C JSON-LD or CSV")
    p.add_argument("--store", type=Path, required=True, metavar="STORE")
    p.add_argument("--format", choices=["w3c", "csv"], default="w3c")
    p.add_argument("--out", type=Path, metavar="FILE", help="default: standard output")

    p = sub.add_parser("import", help="read W3C JSON(-LD) annotations into a store")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--store", type=Path, required=True, metavar="STORE")
    p.add_argument("--lesson", type=Path, metavar="MODULE", help="move a page's notes onto it")
    p.add_argument("--uri", metavar="URI", help="with --lesson: the page (default: the only one)")

    p = sub.add_parser("collect", help="merge the students' annotation stores into a class store")
    p.add_argument("submissions", type=Path, metavar="SUBMISSIONS")
    p.add_argument("--into", type=Path, required=True, metavar="CLASS_STORE")
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress line on stderr (default: only on a terminal)",
    )

    p = sub.add_parser("report", help="write the class report: students.csv, heat maps, HTML")
    p.add_argument("store", type=Path, metavar="CLASS_STORE")
    p.add_argument("--out", type=Path, required=True, metavar="REPORT_DIR")
    p.add_argument(
        "--lessons", type=Path, metavar="PATH", help="course or release folder (default: lessons)"
    )

    p = sub.add_parser("publish", help="share the class's annotations back into a release")
    p.add_argument("store", type=Path, metavar="CLASS_STORE")
    p.add_argument("--to", type=Path, required=True, metavar="RELEASE_DIR", dest="release")

    p = sub.add_parser("lab", help="build and open the course in JupyterLab")
    p.add_argument("path", type=Path, nargs="?", default=Path("lessons"), metavar="PATH")
    p.add_argument("lab_args", nargs=argparse.REMAINDER, help="passed on to jupyter lab")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return validate_command(args.paths)
        if args.command == "render":
            return render_command(args.path, args.format)
        if args.command == "build":
            return build_command(args.path)
        if args.command == "assign":
            return assign_command(args.path, args.out, nbgrader=args.nbgrader, force=args.force)
        if args.command == "export":
            return export_command(args.store, args.format, args.out)
        if args.command == "import":
            return import_command(args.file, args.store, lesson=args.lesson, uri=args.uri)
        if args.command == "collect":
            return collect_command(args.submissions, args.into, progress=args.progress)
        if args.command == "report":
            return report_command(args.store, args.out, args.lessons)
        if args.command == "publish":
            return publish_command(args.store, args.release)
        if args.command == "lab":
            return lab_command(args.path, args.lab_args)
    except LessonError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    raise SystemExit(main())
