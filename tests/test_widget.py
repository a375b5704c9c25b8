"""The Reader widget from Python, and the built notebook run headless by a real kernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader_ext import Reader, load_lesson
from reader_ext.cli import main
from reader_ext.notebook import NOTEBOOK_NAME


def test_reader_from_path_and_from_lesson(course: Path) -> None:
    by_path = Reader(course / "m1")
    by_lesson = Reader(load_lesson(course / "m1"))
    assert by_path.lesson == by_lesson.lesson
    assert by_path.lesson["title"] == "A small module"
    assert by_path.source_lesson.id == "m1"


def test_reader_payload_is_student_safe(course: Path) -> None:
    payload = json.dumps(Reader(course / "m1").lesson, ensure_ascii=False)
    assert "SECRET" not in payload
    assert "<script>" not in payload  # the hostile comment is escaped text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in payload


def test_reader_payload_shapes(course: Path) -> None:
    lesson = Reader(course / "m1").lesson
    text = load_lesson(course / "m1").document.text
    for block in lesson["blocks"]:
        assert f'data-block="{block["id"]}"' in lesson["html"]
    for prompt in lesson["prompts"]:
        assert text[prompt["start"] : prompt["end"]] == prompt["quote"]
    gloss = {g["key"]: g for g in lesson["glossary"]}
    assert gloss["eaeu"]["count"] == 3
    assert gloss["vasudhaiva-kutumbakam"]["original"] == "वसुधैव कुटुम्बकम्"
    assert "<strong>2015</strong>" in gloss["eaeu"]["definition_html"]


def test_unknown_keyword_suggests(course: Path) -> None:
    with pytest.raises(TypeError, match="did you mean"):
        Reader(course / "m1", layuot=None)
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Reader(course / "m1", colour="red")


@pytest.mark.timeout(180)
def test_built_notebook_runs_headless(course: Path) -> None:
    import nbclient
    import nbformat

    assert main(["build", str(course)]) == 0
    path = course / "m1" / NOTEBOOK_NAME
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    outputs = nb.cells[1].outputs
    assert not [o for o in outputs if o.output_type == "error"], outputs
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    model = state[views[0].data["application/vnd.jupyter.widget-view+json"]["model_id"]]
    assert model["state"]["lesson"]["title"] == "A small module"
    assert "export default" in model["state"]["_esm"]
