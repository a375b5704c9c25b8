"""Rebuild this corpus: ``python tests/hostile/report/make.py`` (from the repository root).

Each case is a class store's content as text, ``CASE.json`` — ``{"annotations": [...],
"events": [...]}``, W3C annotations as collect stores them, ``{LESSON}`` standing for the fixture
course's lesson uri — beside ``CASE.expected``: its first line is ``exit N``, the status of
``reader-ext report CLASS_STORE --out DIR --lessons tests/fixtures/course-ok``; every further line
one outcome the report must show (``tests/test_report_hostile.py`` reads them):

- ``modules N``: report.html has N module sections (the course's lessons only);
- ``unknown A E``: A annotations and E events named no lesson of the course;
- ``gloss KEY STUDENTS OPENS``: the gloss KEY was opened by STUDENTS, counted as OPENS (at most
  ``MAX_OPENS_PER_STUDENT``, 10, per student);
- ``answers PROMPT N``: N answers are shown under the prompt;
- ``max-bytes FILE N`` / ``max-rows FILE N``: the output stays small;
- ``contains TEXT`` / ``lacks TEXT``: report.html holds, or never holds, TEXT.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
LESSON = "{LESSON}"
AT = "2024-03-01T10:00:00.000Z"


def note(ident: str, user: str, target: Any, text: str = "a note") -> dict[str, Any]:
    return {
        "id": ident,
        "type": "Annotation",
        "motivation": "replying" if isinstance(target, str) else "commenting",
        "creator": {"id": f"urn:reader-ext:user:{user}", "type": "Person", "nickname": user},
        "created": AT,
        "modified": AT,
        "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
        "target": target,
    }


def on_text(uri: str, exact: str = "the") -> dict[str, Any]:
    return {"source": uri, "selector": [{"type": "TextQuoteSelector", "exact": exact}]}


def event(user: str, source: str, key: str, n: int = 0) -> dict[str, str]:
    at = f"2024-03-01T10:{n // 60 % 60:02d}:{n % 60:02d}.{n // 3600 % 1000:03d}Z"
    return {"kind": "gloss-open", "user": user, "source": source, "key": key, "at": at}


def case(name: str, annotations: list[dict[str, Any]], events: list[dict[str, str]],
         expected: list[str]) -> None:  # fmt: skip
    # One item a line: a reviewer can read and diff it.
    lines = [
        '{"annotations": [',
        ",\n".join(json.dumps(a, separators=(",", ":")) for a in annotations),
        '], "events": [',
        ",\n".join(json.dumps(e, separators=(",", ":")) for e in events),
        "]}",
    ]
    (HERE / f"{name}.json").write_text("\n".join(lines) + "\n", "utf-8")
    (HERE / f"{name}.expected").write_text("\n".join(expected) + "\n", "utf-8")


def main() -> None:
    case(
        "made-up-lessons",
        [note("urn:x:real", "ana", on_text(LESSON))]
        + [note(f"urn:x:fake{i}", "ana", on_text(f"urn:made:up:{i}")) for i in range(100)],
        [event("ana", f"urn:made:up:{i}", "k", i) for i in range(500)],
        ["exit 0", "modules 1", "unknown 100 500", "max-bytes report.html 200000",
         "max-rows students.csv 4", "contains 100 annotation(s) and 500 event(s)",
         "lacks urn:made:up"],
    )  # fmt: skip
    depth = 400
    case(
        "deep-reply-chain",
        [note("urn:x:0", "ana", on_text(LESSON))]
        + [note(f"urn:x:{i}", "ben" if i % 2 else "ana", f"urn:x:{i - 1}")
           for i in range(1, depth)],
        [],
        ["exit 0", "modules 1", f"unknown {depth - 101} 0", "max-bytes report.html 200000"],
    )  # fmt: skip
    case(
        "reply-loop",
        [note("urn:x:real", "ana", on_text(LESSON)), note("urn:x:a", "ana", "urn:x:b"),
         note("urn:x:b", "ben", "urn:x:a")],
        [],
        ["exit 0", "modules 1", "unknown 2 0"],
    )  # fmt: skip
    case(
        "inflated-gloss-opens",
        [note("urn:x:real", "ana", on_text(LESSON))],
        [event("zoe", LESSON, "eaeu", i) for i in range(1000)] + [event("ana", LESSON, "eaeu")],
        ["exit 0", "modules 1", "unknown 0 0", "gloss eaeu 2 11"],
    )  # fmt: skip
    payloads = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">',
                "[x](javascript:alert(3))", "<iframe src=//evil.example>"]  # fmt: skip
    case(
        "script-in-answers",
        [note(f"urn:x:answer{i}", "ana", f"{LESSON}#prompt-corridor", p)
         for i, p in enumerate(payloads)],
        [],
        ["exit 0", "modules 1", "answers corridor 4", "contains &lt;script&gt;alert(1)",
         "lacks <script", "lacks <img src=x", "lacks href=\"javascript:", "lacks <iframe"],
    )  # fmt: skip
    case(
        "made-up-prompts",
        [note(f"urn:x:stray{i}", "ana", f"{LESSON}#prompt-made-up-{i}", f"answer {i}")
         for i in range(300)]
        + [note("urn:x:real", "ben", f"{LESSON}#prompt-corridor", "a real answer")],
        [],
        ["exit 0", "modules 1", "answers corridor 1", "max-bytes report.html 200000",
         "contains 300 answer(s) to 300 prompt id(s)", "contains 250 more, not shown",
         "lacks made-up-299"],
    )  # fmt: skip


if __name__ == "__main__":
    main()
