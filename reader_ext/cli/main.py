"""The ``reader-ext`` command: the parser, its help, and dispatch to the command bodies."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

from reader_ext._version import __version__
from reader_ext.annotations.audience import VISIBILITIES
from reader_ext.cli.course import (
    assign_command,
    class_import_command,
    collect_command,
    publish_command,
    report_command,
)
from reader_ext.cli.interop import export_command, import_command
from reader_ext.cli.lessons import (
    build_command,
    lab_command,
    print_problems,
    render_command,
    validate_command,
    warn_unlisted,
)
from reader_ext.cli.new import new_command
from reader_ext.cli.preview import preview_command
from reader_ext.errors import LessonError
from reader_ext.store.engine import location

_STORE_HELP = "an SQLite file, or a database URL (postgresql+psycopg://USER@HOST/DB)"
_CLASS_STORE_HELP = (
    "the collected class store, or the class database's URL (postgresql+psycopg://USER@HOST/DB;"
    " a password is better given in ~/.pgpass or PGPASSWORD than in the URL)"
)


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
    examples: str,
) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog="examples:\n" + "".join(f"  {line}\n" for line in examples.strip().splitlines()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader-ext",
        description="Annotated Reader: lessons, glosses and annotations.",
        epilog="Run 'reader-ext COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"reader-ext {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(
        sub,
        "new",
        "make a course with one module skeleton",
        "Write a new course folder with one module whose every field is explained by a comment;"
        " it validates as it is.",
        "reader-ext new my-course",
    )
    p.add_argument("path", type=Path, metavar="PATH", help="the folder to create (new or empty)")

    p = _command(
        sub,
        "validate",
        "check lesson or course folders",
        "Check lessons and print every problem as 'file:line: message' and every warning as"
        " 'file:line: warning: message'. Exit 1 on a problem (or, with --strict, a warning).",
        "reader-ext validate lessons/\nreader-ext validate --strict lessons/02-a-theory-lens",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="course or module folders")
    p.add_argument("--strict", action="store_true", help="treat warnings as problems (exit 1)")

    p = _command(
        sub,
        "render",
        "print a lesson's rendered document",
        "Print the machine formats of a module's reading: the plain text annotations are"
        " anchored to, the sanitised HTML, or the JSON document. For a page to read, use preview.",
        "reader-ext render lessons/01-reading-the-argument --format text",
    )
    p.add_argument("path", type=Path, metavar="PATH", help="a module (or course) folder")
    p.add_argument(
        "--format", choices=["text", "html", "json"], default="text", help="default: text"
    )

    p = _command(
        sub,
        "preview",
        "write a lesson as one self-contained HTML page",
        "Write the whole lesson as a student sees it — title, source, introduction, the reading"
        " with glosses and definitions, prompts, comments — as one page that opens offline and"
        " prints well. Nothing is written into the lesson folder.",
        "reader-ext preview lessons/01-reading-the-argument --out /tmp/lesson.html",
    )
    p.add_argument("path", type=Path, metavar="MODULE", help="a module folder")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.html", help="the page")

    p = _command(
        sub,
        "build",
        "write the lesson notebooks from the sources",
        "Write lesson.ipynb into each module folder; a notebook already up to date is left alone.",
        "reader-ext build lessons/",
    )
    p.add_argument("path", type=Path, metavar="PATH", help="a course or module folder")

    p = _command(
        sub,
        "assign",
        "write the student release (no instructor material)",
        "Write the student copy of a course or module: no instructor/ folder, no annotations."
        " Running it again replaces only what it wrote; a folder it did not make is refused"
        " unless --force. --nbgrader writes nbgrader's source/<assignment>/ layout.",
        "reader-ext assign lessons --out release/\n"
        "reader-ext assign lessons/02-a-theory-lens --out course/ --nbgrader",
    )
    p.add_argument("path", type=Path, metavar="COURSE_OR_MODULE", help="what to release")
    p.add_argument("--out", type=Path, required=True, metavar="RELEASE_DIR", help="where to")
    p.add_argument("--nbgrader", action="store_true", help="write nbgrader's source/ layout")
    p.add_argument("--force", action="store_true", help="overwrite files assign did not write")

    p = _command(
        sub,
        "export",
        "write a store's annotations as W3C JSON-LD or CSV",
        "Export every annotation of a store, as a W3C AnnotationCollection or one CSV row each.",
        "reader-ext export --store class.sqlite --format w3c --out class.jsonld\n"
        "reader-ext export --store postgresql+psycopg://reader@db/reader_class --format csv",
    )
    p.add_argument("--store", type=location, required=True, metavar="STORE", help=_STORE_HELP)
    p.add_argument("--format", choices=["w3c", "csv"], default="w3c", help="default: w3c")
    p.add_argument("--out", type=Path, metavar="FILE", help="default: standard output")
    p.add_argument(
        "--lessons",
        type=Path,
        metavar="DIR",
        help="the course or module: the CSV numbers prompts as the reader does",
    )

    p = _command(
        sub,
        "import",
        "read W3C JSON(-LD) annotations into a store",
        "Import W3C Web Annotations (a collection, a list or one annotation) or Hypothesis's"
        " exports (API search result, client export, W3C form); idempotent. --lesson moves a web"
        " page's annotations onto a lesson, anchoring them by quote; what cannot anchor is kept"
        " as an orphan.",
        "reader-ext import class.jsonld --store class.sqlite\n"
        "reader-ext import hypothesis.json --store class.sqlite"
        " --lesson lessons/01-reading-the-argument",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="a W3C JSON or JSON-LD file")
    p.add_argument("--store", type=location, required=True, metavar="STORE", help=_STORE_HELP)
    p.add_argument("--lesson", type=Path, metavar="MODULE", help="move a page's notes onto it")
    p.add_argument("--uri", metavar="URI", help="with --lesson: the page (default: the only one)")

    p = _command(
        sub,
        "collect",
        "merge the students' annotation stores into a class store",
        "Merge each student's store (our layout or nbgrader's submitted/) into one class store;"
        " a broken submission is reported and skipped.",
        "reader-ext collect submissions/ --into class.sqlite",
    )
    p.add_argument("submissions", type=Path, metavar="SUBMISSIONS", help="the students' folders")
    p.add_argument("--into", type=location, required=True, metavar="CLASS_STORE", help=_STORE_HELP)
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress line on stderr (default: only on a terminal)",
    )

    p = _command(
        sub,
        "class-import",
        "move students' offline stores into the class database (class mode)",
        "Import folders of submissions (as collect reads them) or collected class stores into"
        " the class database of class mode. Each annotation keeps its author (the submission"
        " folder's student id, or the author collect gave it) and gets --visibility (a reply:"
        " its thread's); one a student chose in the reader is never changed. A bad store is"
        " reported and skipped; running it again imports nothing new.",
        "reader-ext class-import submitted/ --into postgresql+psycopg://reader@db/reader_class\n"
        "reader-ext class-import class.sqlite --into postgresql+psycopg://reader@db/reader_class"
        " --visibility class\n"
        "reader-ext class-import submissions/ --into class.sqlite --visibility group"
        " --groups groups.csv",
    )
    p.add_argument(
        "sources", nargs="+", type=Path, metavar="SOURCE",
        help="a folder of submissions, or a collected class store (class.sqlite)",
    )  # fmt: skip
    p.add_argument("--into", type=location, required=True, metavar="CLASS_DATABASE",
                   help=_STORE_HELP)  # fmt: skip
    p.add_argument(
        "--visibility",
        choices=list(VISIBILITIES),
        default="private",
        help="who sees the imported notes: private (the author and the instructors; default),"
        " group (with --groups), class, or instructors (a 1:1 thread)",
    )
    p.add_argument(
        "--groups",
        type=Path,
        metavar="FILE.csv",
        help="rows of student,group for --visibility group",
    )

    p = _command(
        sub,
        "report",
        "write the class report: students.csv, heat maps, HTML",
        "Study a class store: who did what, which passages drew attention, which glosses opened.",
        "reader-ext report class.sqlite --out report/ --lessons lessons/\n"
        "reader-ext report postgresql+psycopg://reader@db/reader_class --out report/",
    )
    p.add_argument("store", type=location, metavar="CLASS_STORE", help=_CLASS_STORE_HELP)
    p.add_argument("--out", type=Path, required=True, metavar="REPORT_DIR", help="where to write")
    p.add_argument(
        "--lessons", type=Path, metavar="PATH", help="course or release folder (default: lessons)"
    )

    p = _command(
        sub,
        "publish",
        "share the class's annotations back into a release",
        "Write the class's shareable annotations into each module of a release, read-only.",
        "reader-ext publish class.sqlite --to release/",
    )
    p.add_argument("store", type=location, metavar="CLASS_STORE", help=_CLASS_STORE_HELP)
    p.add_argument(
        "--to",
        type=Path,
        required=True,
        metavar="RELEASE_DIR",
        dest="release",
        help="the release written by assign",
    )

    p = _command(
        sub,
        "lab",
        "build and open the course in JupyterLab",
        "Build the notebooks and open the first module in JupyterLab. Annotations you make are"
        " stored in the module folder (annotations.sqlite, kept out of git by the .gitignore"
        " `reader-ext new` writes); to try the student copy instead, assign and open that.",
        "reader-ext lab lessons/\nreader-ext lab lessons/ --no-browser",
    )
    p.add_argument(
        "path",
        type=Path,
        nargs="?",
        default=Path("lessons"),
        metavar="PATH",
        help="a course or module folder (default: lessons)",
    )
    p.add_argument("lab_args", nargs=argparse.REMAINDER, help="passed on to jupyter lab")
    return parser


def _did_you_mean(parser: argparse.ArgumentParser, argv: Sequence[str]) -> int | None:
    """A mistyped command gets the closest one, not argparse's list of all."""
    first = next((a for a in argv if not a.startswith("-")), None)
    if first is None or (argv and argv[0].startswith("-")):
        return None
    commands = [
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    ]
    if first in commands:
        return None
    close = difflib.get_close_matches(first, commands, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else f"commands: {', '.join(commands)}"
    print(f"reader-ext: unknown command '{first}': {hint}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    mistyped = _did_you_mean(parser, arguments)
    if mistyped is not None:
        return mistyped
    args = parser.parse_args(arguments)
    try:
        if args.command == "new":
            return new_command(args.path)
        if args.command == "validate":
            return validate_command(args.paths, strict=args.strict)
        if args.command == "render":
            return render_command(args.path, args.format)
        if args.command == "preview":
            return preview_command(args.path, args.out)
        if args.command == "build":
            return build_command(args.path)
        if args.command == "assign":
            warn_unlisted(args.path)
            return assign_command(args.path, args.out, nbgrader=args.nbgrader, force=args.force)
        if args.command == "export":
            return export_command(args.store, args.format, args.out, args.lessons)
        if args.command == "import":
            return import_command(args.file, args.store, lesson=args.lesson, uri=args.uri)
        if args.command == "collect":
            return collect_command(args.submissions, args.into, progress=args.progress)
        if args.command == "class-import":
            return class_import_command(
                args.sources, args.into, visibility=args.visibility, groups=args.groups
            )
        if args.command == "report":
            return report_command(args.store, args.out, args.lessons)
        if args.command == "publish":
            return publish_command(args.store, args.release)
        if args.command == "lab":
            return lab_command(args.path, args.lab_args)
    except LessonError as exc:
        print_problems(exc.problems)
        return 1
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    raise SystemExit(main())
