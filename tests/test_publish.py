"""Publishing the class's annotations back into the student release."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reader_ext.cli.course import publish_command
from reader_ext.course.assign import assign
from reader_ext.course.publish import publish
from reader_ext.errors import PublishError
from reader_ext.interop.w3c_read import read_w3c
from reader_ext.lessons.layout import PUBLISHED_FILE
from reader_ext.store.annotation_store import AnnotationStore


def note(source: str, text: str) -> dict[str, Any]:
    return {
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
        "target": {"source": source, "selector": [{"type": "TextQuoteSelector", "exact": "x"}]},
    }


@pytest.fixture
def release(course: Path, tmp_path: Path) -> Path:
    return assign(course, tmp_path / "release").root


def uri_of(release: Path) -> str:
    text = (release / "m1" / "module.toml").read_text(encoding="utf-8")
    return next(line.split('"')[1] for line in text.splitlines() if line.startswith("uri"))


def test_each_module_gets_its_lessons_annotations(release: Path, tmp_path: Path) -> None:
    uri = uri_of(release)
    path = tmp_path / "class.sqlite"
    with AnnotationStore(path) as store:
        kept = store.add(note(uri, "shared"), user="ana")
        store.add(note("urn:reader-ext:other:lesson", "elsewhere"), user="ana")
        gone = store.add(note(uri, "deleted"), user="ben")
        store.delete(gone["id"], user="ben")
        store.record_event("gloss-open", user="ana", source=uri, key="k")
    assert publish(path, release) == 1
    data = json.loads((release / "m1" / PUBLISHED_FILE).read_text(encoding="utf-8"))
    assert [a["id"] for a in read_w3c(data)] == [kept["id"]]
    assert "gloss-open" not in json.dumps(data)
    before = (release / "m1" / PUBLISHED_FILE).read_bytes()
    assert publish_command(path, release) == 0
    assert (release / "m1" / PUBLISHED_FILE).read_bytes() == before  # same input, same bytes


def test_nbgrader_release_and_single_module(course: Path, tmp_path: Path) -> None:
    assign(course, tmp_path / "nb", nbgrader=True)
    path = tmp_path / "class.sqlite"
    with AnnotationStore(path) as store:
        store.add(note(uri_of(tmp_path / "nb" / "source"), "one"), user="ana")
    assert publish(path, tmp_path / "nb" / "source") == 1
    assert publish(path, tmp_path / "nb" / "source" / "m1") == 1


def test_errors(release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(PublishError, match="collect"):
        publish(tmp_path / "none.sqlite", release)
    path = tmp_path / "class.sqlite"
    AnnotationStore(path).close()
    with pytest.raises(PublishError, match="no released module"):
        publish(path, tmp_path)
    text = (release / "m1" / "module.toml").read_text(encoding="utf-8")
    (release / "m1" / "module.toml").write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("uri")),
        encoding="utf-8",
    )
    assert publish_command(path, release) == 1
    assert "no 'uri'" in capsys.readouterr().err
