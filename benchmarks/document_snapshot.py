"""Every document the reading pipeline makes, written to one JSON file, to compare two checkouts.

A speed-up of the reading pipeline must leave its output alone. Run this in both checkouts
(each with its own code first on the path: run from a copy of main, this script copied into
it) and compare the files byte for byte:

    .venv/bin/python benchmarks/document_snapshot.py /tmp/after.json
    cd /tmp/main-copy && PYTHONPATH=. python benchmarks/document_snapshot.py /tmp/before.json
    cmp /tmp/before.json /tmp/after.json

It holds the generated reading (plain, with the glossed-once policy and ¶ numbers, with curly
apostrophes and doubled spaces), the generated lesson folder, every module of the course (its
document, its lesson and its widget payload), the safe-HTML sample and the XSS corpus, and every
Markdown file of the tests: text, blocks, occurrences, HTML and hash.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from render_bench import make_corpus, write_lesson  # noqa: E402

from reader_ext.lessons.load import load_lesson  # noqa: E402
from reader_ext.text.document import Document, build_document  # noqa: E402
from reader_ext.text.glossmatch import GlossMatcher  # noqa: E402
from reader_ext.widget.payload import lesson_payload  # noqa: E402
from tests.test_safe_html import MATCHER, SAMPLE  # noqa: E402
from tests.xss import payloads  # noqa: E402


def _doc(document: Document) -> dict[str, Any]:
    return {**document.to_json(), "html": document.html}


def snapshot(words: int = 100_000) -> dict[str, Any]:
    out: dict[str, Any] = {}
    corpus = make_corpus(words=words)
    matcher = GlossMatcher(corpus.matcher_forms())
    out["generated"] = _doc(build_document(corpus.markdown, matcher))
    keys = [g.key for g in corpus.glossary][::3]
    first = {k: ("reading" if i % 2 else "section") for i, k in enumerate(keys)}
    out["generated, once, numbered"] = _doc(
        build_document(corpus.markdown, matcher, first=first, numbered=True)
    )
    curly = corpus.markdown.replace("'", "\u2019").replace(" the ", "  the ")
    out["generated, curly, doubled spaces"] = _doc(build_document(curly, matcher))
    with tempfile.TemporaryDirectory() as tmp:
        lesson = load_lesson(write_lesson(corpus, Path(tmp) / "generated"))
        out["generated lesson"] = _doc(lesson.document)
    for module in sorted((ROOT / "lessons").glob("0*")):
        lesson = load_lesson(module)
        out[module.name] = _doc(lesson.document)
        out[module.name + " lesson"] = repr(lesson).replace(str(ROOT), "ROOT")
        out[module.name + " payload"] = json.dumps(lesson_payload(lesson), default=str)
    out["sample"] = _doc(build_document(SAMPLE, MATCHER, numbered=True))
    out["sample, once"] = _doc(build_document(SAMPLE, MATCHER, first={"eaeu": "section"}))
    for n, payload in enumerate(payloads()):
        out[f"xss {n}"] = _doc(build_document(f"Before {payload} after EAEU.", MATCHER))
        out[f"xss {n}, generated glossary"] = _doc(build_document(payload, matcher))
    for path in sorted((ROOT / "tests").rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:  # the fixtures hold a symlink loop
            continue
        out[str(path.relative_to(ROOT))] = _doc(build_document(text, matcher, numbered=True))
    return out


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    data = json.dumps(snapshot(), sort_keys=True, default=str)
    Path(sys.argv[1]).write_text(data, encoding="utf-8")
    digest = hashlib.sha256(data.encode()).hexdigest()[:16]
    print(f"{sys.argv[1]}: {len(json.loads(data))} documents, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
