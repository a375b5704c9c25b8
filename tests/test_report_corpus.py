"""The report against its hostile corpus (tests/hostile/report): each case's expected outcome.

Each ``CASE.json`` is loaded into a class store (annotations as collect stores them, events with
their times), then ``reader-ext report`` runs on it with the fixture course's lessons; the lines
of ``CASE.expected`` say what the report must show (their grammar: ``make.py`` there).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from reader_ext import load_lesson
from reader_ext.cli.main import main
from reader_ext.course.report import build_report
from reader_ext.store.annotation_store import AnnotationStore

CORPUS = Path(__file__).parent / "hostile" / "report"
CASES = sorted(p.stem for p in CORPUS.glob("*.expected"))
SECONDS = 60  # far above any case's time: only a report that hangs (quadratic) exceeds it


def load_case(case: str, path: Path, lesson_uri: str) -> None:
    text = (CORPUS / f"{case}.json").read_text(encoding="utf-8").replace("{LESSON}", lesson_uri)
    data = json.loads(text)
    with AnnotationStore(path) as store:
        assert store.import_annotations(data["annotations"]).skipped == []
        users = sorted({e["user"] for e in data["events"]})
        with store.transaction() as tx:
            for user in users:
                mine = [e for e in data["events"] if e["user"] == user]
                added, problems = tx.import_events(mine, user=user, author=user)
                assert (added, problems) == (len(mine), [])


@pytest.mark.parametrize("case", CASES)
def test_each_hostile_report_input_gets_its_outcome(
    case: str, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, out = tmp_path / "class.sqlite", tmp_path / "report"
    load_case(case, store, load_lesson(course / "m1").uri)
    status, *expected = (CORPUS / f"{case}.expected").read_text(encoding="utf-8").splitlines()
    start = time.monotonic()
    code = main(["report", str(store), "--out", str(out), "--lessons", str(course)])
    assert time.monotonic() - start < SECONDS
    output = capsys.readouterr()
    assert f"exit {code}" == status, output.err
    assert "Traceback" not in output.out + output.err
    data = build_report(store, course)
    page = (out / "report.html").read_text(encoding="utf-8")
    for line in expected:
        what, _, rest = line.partition(" ")
        args = rest.split(" ")
        if what == "modules":
            assert len(data.modules) == page.count("<section aria-labelledby=") == int(args[0])
        elif what == "unknown":
            assert data.unknown == (int(args[0]), int(args[1]))
        elif what == "gloss":
            (module,) = data.modules
            use = next(g for g in module.glosses if g.key == args[0])
            assert (use.students, use.opens) == (int(args[1]), int(args[2]))
        elif what == "answers":
            (module,) = data.modules
            assert len(module.answers.get(args[0], [])) == int(args[1])
        elif what == "max-bytes":
            assert (out / args[0]).stat().st_size <= int(args[1])
        elif what == "max-rows":
            lines = (out / args[0]).read_text(encoding="utf-8-sig").splitlines()
            assert len(lines) <= int(args[1]), lines
        elif what == "contains":
            assert rest in page
        elif what == "lacks":
            assert rest not in page
        else:
            pytest.fail(f"{case}.expected: unknown outcome {line!r}")


def test_the_corpus_covers_each_kind() -> None:
    kinds = {"made-up-lessons", "deep-reply-chain", "reply-loop", "inflated-gloss-opens",
             "script-in-answers", "made-up-prompts"}  # fmt: skip
    assert kinds <= set(CASES)
