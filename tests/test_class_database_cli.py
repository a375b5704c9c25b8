"""The instructor's commands on a class database: a URL wherever a class store is named.

Through the CLI's ``main()`` on the real PostgreSQL of tests/pg.py: ``collect`` into it,
``report``, ``export`` and ``publish`` read it directly, and no error or output shows the
password of the URL.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from reader_ext import load_lesson
from reader_ext.cli.main import main
from reader_ext.course.assign import assign
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.engine import masked

SECRET = "s3cr3t-pw"


def with_password(url: str) -> str:
    """The URL with a password (the test server trusts local users, so any password works)."""
    user, rest = url.split("://", 1)[1].split("@", 1)
    return f"postgresql+psycopg://{user}:{SECRET}@{rest}"


def submissions(root: Path, uri: str) -> Path:
    for student, text in (("ana", "ana's note"), ("ben", "ben's note")):
        path = root / student / "m1" / "annotations.sqlite"
        path.parent.mkdir(parents=True)
        with AnnotationStore(path) as store:
            store.add(
                {
                    "motivation": "commenting",
                    "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
                    "target": {
                        "source": uri,
                        "selector": [{"type": "TextQuoteSelector", "exact": "the"}],
                    },
                },
                user="jovyan",
            )
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    text = out.out + out.err
    assert SECRET not in text, text
    return code, text


def test_report_export_and_publish_read_the_class_database(
    course: Path, tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = with_password(postgres_url)
    uri = load_lesson(course / "m1").uri
    subs = submissions(tmp_path / "subs", uri)
    code, text = run(capsys, "collect", str(subs), "--into", url)
    assert code == 0 and "collected 2 of 2" in text and "***" in text

    code, text = run(capsys, "report", url, "--out", str(tmp_path / "report"),
                     "--lessons", str(course))  # fmt: skip
    assert code == 0, text
    table = (tmp_path / "report" / "students.csv").read_text("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(table)) if r["module"] == "m1"]
    assert sorted((r["student"], r["notes"]) for r in rows) == [("ana", "1"), ("ben", "1")]
    page = (tmp_path / "report" / "report.html").read_text("utf-8")
    assert postgres_url.rsplit("/", 1)[1] in page and SECRET not in page

    out = tmp_path / "class.jsonld"
    code, text = run(capsys, "export", "--store", url, "--format", "w3c", "--out", str(out))
    assert code == 0 and "exported 2 annotations" in text, text
    items = json.loads(out.read_text("utf-8"))["first"]["items"]
    assert sorted(i["creator"]["nickname"] for i in items) == ["ana", "ben"]

    code, text = run(capsys, "export", "--store", url, "--format", "csv")
    assert code == 0 and text.count("'s note") == 2

    release = assign(course, tmp_path / "release").root
    code, text = run(capsys, "publish", url, "--to", str(release))
    assert code == 0 and "published 2 annotations" in text, text
    published = json.loads((release / "m1" / "published-annotations.jsonld").read_text("utf-8"))
    assert published["total"] == 2


def test_an_empty_or_unreachable_database_is_named_without_its_password(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = with_password(postgres_url)
    for argv in (
        ["report", url, "--out", str(tmp_path / "r")],
        ["export", "--store", url],
        ["publish", url, "--to", str(tmp_path)],
    ):
        code, text = run(capsys, *argv)
        assert code == 1 and ("no class store here" in text or "no annotation store" in text)
        assert masked(url) in text
    # Nothing was created in the empty database by looking.
    code, text = run(capsys, "export", "--store", url)
    assert code == 1 and "no annotation store here" in text

    down = url.rsplit(":", 1)[0].rsplit("@", 1)[0] + "@127.0.0.1:1/nowhere"
    for argv in (["report", down, "--out", str(tmp_path / "r")], ["export", "--store", down]):
        code, text = run(capsys, *argv)
        assert code == 1 and "cannot reach the database" in text, text
        assert "***" in text and "Traceback" not in text
    code, text = run(capsys, "collect", str(tmp_path), "--into", down)
    assert code == 1 and "***" in text
    code, text = run(capsys, "export", "--store", f"mysql://u:{SECRET}@h/db")
    assert code == 1 and "SQLite or PostgreSQL" in text


def test_a_sqlite_url_works_as_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "class.sqlite"
    with AnnotationStore(path) as store:
        store.record_event("gloss-open", user="ana", source="urn:x:l", key="k")
    code, text = run(capsys, "export", "--store", f"sqlite:///{path}", "--format", "csv")
    assert code == 0 and "exported 0 annotations" in text
    code, text = run(capsys, "export", "--store", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    assert code == 1 and "no annotation store here" in text
    assert not (tmp_path / "missing.sqlite").exists()


def test_masked_hides_only_the_password() -> None:
    assert masked("postgresql+psycopg://u:pw@h:5/db") == "postgresql+psycopg://u:***@h:5/db"
    assert masked("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert masked(Path("class.sqlite")) == "class.sqlite"
    assert "pw" not in masked("postgresql+psycopg://u:pw@h:notaport/db")
