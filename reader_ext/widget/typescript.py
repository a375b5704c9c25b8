"""Write :mod:`reader_ext.widget.protocol` as TypeScript declarations for the browser modules.

``python -m reader_ext.widget.typescript > reader_ext/widget/static/protocol.d.ts`` writes the
file the browser modules import their types from (``/** @import {...} from "./protocol" */``);
``--check`` exits 1 when the committed file is not what would be written. Only the shapes the
protocol uses are translated: anything else is an error here, not a silent ``any`` there.
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path
from typing import Literal, Union, get_args, get_origin

from reader_ext.widget import protocol as p

DECLARATIONS = Path(__file__).parent / "static" / "protocol.d.ts"

# Named in the output (in this order) rather than spelled out where they are used.
ALIASES: dict[str, object] = {
    "AnnotationKind": p.AnnotationKind,
    "ViewKind": p.ViewKind,
    "Placement": p.Placement,
    "Mode": p.Mode,
    "Visibility": p.Visibility,
    "Cell": p.Cell,
}
RECORDS: tuple[type, ...] = (
    p.SourcePayload,
    p.LinkPayload,
    p.GlossPayload,
    p.BlockPayload,
    p.PromptPayload,
    p.CommentPayload,
    p.LessonPayload,
    p.ReaderState,
    p.AnnotationView,
    p.AudienceChoice,
    p.HiddenPayload,
    p.SectionPayload,
    p.RosterPayload,
    p.HelloMessage,
    p.CreateMessage,
    p.EditMessage,
    p.DeleteMessage,
    p.RestoreMessage,
    p.GlossOpenMessage,
    p.RevealSetting,
    p.GetRevealMessage,
    p.SetRevealMessage,
    p.SnapshotMessage,
    p.SnapshotTable,
    p.PackedSnapshot,
    p.SavedMessage,
    p.DeletedMessage,
    p.RecordedMessage,
    p.RevealMessage,
    p.ErrorMessage,
)
UNIONS: dict[str, object] = {
    "BrowserMessage": p.BrowserMessage,
    "Reply": p.Reply,
    "KernelMessage": p.KernelMessage,
    "WireMessage": p.WireMessage,
}
_SCALARS: dict[object, str] = {str: "string", int: "number", float: "number", bool: "boolean"}
_WIDTH = 100


def ts_type(tp: object, *, named: bool = True) -> str:
    """The TypeScript for one Python type; aliases by name unless ``named`` is false."""
    if named:
        for name, alias in ALIASES.items():
            if tp == alias:
                return name
    if tp is type(None):
        return "null"
    if tp in _SCALARS:
        return _SCALARS[tp]
    if isinstance(tp, type) and tp in RECORDS:
        return tp.__name__
    origin, args = get_origin(tp), get_args(tp)
    if origin is Literal:
        return " | ".join(f'"{value}"' for value in args)
    if origin is Union or origin is types.UnionType:
        return " | ".join(ts_type(arg) for arg in args)
    if origin is list:
        item = ts_type(args[0])
        return f"({item})[]" if " | " in item else f"{item}[]"
    msg = f"no TypeScript for {tp!r}: teach reader_ext.widget.typescript.ts_type about it"
    raise TypeError(msg)


def _comment(text: str | None) -> list[str]:
    """A docstring as a JSDoc comment: paragraphs re-wrapped, ``code`` as `code`."""
    if not text:
        return []
    out = ["/**"]
    for n, paragraph in enumerate(text.strip().replace("``", "`").split("\n\n")):
        if n:
            out.append(" *")
        line = " *"
        for word in paragraph.split():
            if len(line) + 1 + len(word) > _WIDTH:
                out.append(line)
                line = " *"
            line += f" {word}"
        out.append(line)
    return [*out, " */"]


def typescript() -> str:
    """The contents of ``static/protocol.d.ts``."""
    out = [
        "// Generated from reader_ext/widget/protocol.py by",
        "//   python -m reader_ext.widget.typescript > reader_ext/widget/static/protocol.d.ts",
        "// Do not edit: `make check` and tests/test_widget.py fail when it is not what they make.",
        "",
    ]
    for name, alias in ALIASES.items():
        out += [f"export type {name} = {ts_type(alias, named=False)};", ""]
    for record in RECORDS:
        hints = typing.get_type_hints(record)
        required: frozenset[str] = getattr(record, "__required_keys__", frozenset())
        # The tag first (it is what a reader of the declaration looks for), then required fields.
        fields = sorted(hints, key=lambda f: (f != "type", f not in required))
        out += _comment(record.__doc__)
        out.append(f"export interface {record.__name__} {{")
        out += [f"  {f}{'' if f in required else '?'}: {ts_type(hints[f])};" for f in fields]
        out += ["}", ""]
    for name, union in UNIONS.items():
        line = f"export type {name} = {ts_type(union)};"
        if len(line) > _WIDTH:
            line = (
                f"export type {name} =\n"
                + "\n".join(f"  | {ts_type(arg)}" for arg in get_args(union))
                + ";"
            )
        out += [line, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: typing.Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == []:
        sys.stdout.write(typescript())
        return 0
    if args == ["--check"]:
        if DECLARATIONS.read_text(encoding="utf-8") == typescript():
            return 0
        sys.stderr.write(
            "reader_ext/widget/static/protocol.d.ts is out of date with "
            "reader_ext/widget/protocol.py: run `make protocol` and commit it.\n"
        )
        return 1
    sys.stderr.write("usage: python -m reader_ext.widget.typescript [--check]\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
