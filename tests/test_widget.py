"""The Reader widget from Python, and the built notebook run headless by a real kernel."""

from __future__ import annotations

import base64
import getpass
import json
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from reader_ext import Reader, load_lesson
from reader_ext.cli.main import main
from reader_ext.course import heatmap
from reader_ext.errors import LessonError
from reader_ext.lessons.layout import NOTEBOOK_FILE
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.text.markup import render_markdown
from reader_ext.widget import protocol, typescript
from reader_ext.widget.reader import BUNDLE
from reader_ext.widget.wire import unpack

ROOT = Path(__file__).parent.parent


def test_reader_from_path_and_from_lesson(course: Path) -> None:
    by_path = Reader(course / "m1")
    by_lesson = Reader(load_lesson(course / "m1"))
    assert by_path.payload == by_lesson.payload
    assert by_path.payload["title"] == "A small module"
    assert by_path.source_lesson.id == "m1"


def test_reader_payload_is_student_safe(course: Path) -> None:
    payload = json.dumps(Reader(course / "m1").payload, ensure_ascii=False)
    assert "SECRET" not in payload
    assert "<script>" not in payload  # the hostile comment is escaped text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in payload


def test_reader_payload_shapes(course: Path) -> None:
    lesson = Reader(course / "m1").payload
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
    path = course / "m1" / NOTEBOOK_FILE
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
    assert model["state"]["_esm"] == BUNDLE.read_text(encoding="utf-8")
    # What is saved is small and impersonal: neither the lesson nor the reader's name is a trait
    # (both come in the snapshot that answers the browser's hello).
    assert "user" not in model["state"]
    assert "lesson" not in model["state"]
    traits = {k: v for k, v in model["state"].items() if k not in ("_esm", "_css")}
    assert len(json.dumps(traits)) < 2_000, traits
    assert getpass.getuser() not in json.dumps(traits)
    # Where the widget cannot run: what the lesson is, and how to open it.
    text = views[0].data["text/plain"]
    assert text.startswith("Annotated Reader: A small module\n")
    assert "Open this notebook in JupyterLab to read and annotate." in text
    assert "object at 0x" not in text


def _executed(course: Path, *, widget_state: bool) -> Path:
    """The fixture module's built notebook, run by nbclient and saved beside itself."""
    import nbclient
    import nbformat

    assert main(["build", str(course)]) == 0
    path = course / "m1" / NOTEBOOK_FILE
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        store_widget_state=widget_state,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    out = path.with_name("executed.ipynb")
    nbformat.write(nb, out)
    return out


@pytest.mark.timeout(240)
def test_nbconvert_shows_the_read_only_view_without_widget_state(course: Path) -> None:
    # What JupyterLab saves by default (no widget state), nbviewer and nbgrader feedback show.
    executed = _executed(course, widget_state=False)
    run = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter")), "nbconvert", "--to", "html",
         str(executed)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    page = executed.with_suffix(".html").read_text(encoding="utf-8")
    assert page.count("Open this notebook in JupyterLab to read and annotate.") == 1
    assert "annotating needs JupyterLab" in page
    lesson = load_lesson(course / "m1")
    assert lesson.glossary and lesson.glossary[0].term in page
    assert 'class="ar-gloss"' in page  # the glosses are marked
    assert 'class="prompt"' in page or not lesson.prompts
    for comment in lesson.comments:
        assert comment.author in page
    assert "<script" not in page.split('class="ar-static"', 1)[1].split("</div>", 1)[0]


def test_the_reader_offers_text_and_html_beside_the_widget(course: Path) -> None:
    reader = Reader(course / "m1", user="zoë-reader", store=course / "s.sqlite")
    bundle = reader._repr_mimebundle_()
    assert bundle is not None
    data = bundle[0]
    assert set(data) == {"application/vnd.jupyter.widget-view+json", "text/plain", "text/html"}
    lesson = reader.source_lesson
    assert f"{len(lesson.glossary)} gloss" in data["text/plain"]
    assert f"{len(lesson.prompts)} prompt" in data["text/plain"]
    assert "0 annotations" in data["text/plain"]
    assert "<script" not in data["text/html"]
    assert "zoë-reader" not in data["text/html"] + data["text/plain"]


def test_the_text_view_counts_the_lessons_live_annotations(course: Path) -> None:
    """Counted by the store (a COUNT, not every annotation read): this lesson's, replies
    included, deleted ones and other lessons' not."""
    reader = Reader(course / "m1", user="ana", store=course / "s.sqlite")
    text = reader.source_lesson.document.text
    start = text.index("Iran")
    made = [
        reader._session.handle(
            {"type": "create", "kind": "note", "start": start, "end": start + 4, "body": "n"}
        )
        for _ in range(3)
    ]
    ids = [m["annotation"]["id"] for m in made]  # type: ignore[typeddict-item]
    reader._session.handle({"type": "create", "kind": "reply", "reply_to": ids[0], "body": "r"})
    reader._session.handle({"type": "delete", "id": ids[1]})
    other = {"source": "urn:other", "selector": [{"type": "TextQuoteSelector", "exact": "x"}]}
    assert isinstance(reader.store, AnnotationStore)
    reader.store.add({"motivation": "highlighting", "target": other}, user="ana")
    bundle = reader._repr_mimebundle_()
    assert bundle is not None
    assert ", 3 annotations\n" in bundle[0]["text/plain"]
    assert len(reader.store.list(source=reader.source_lesson.uri)) == 3


def test_reader_saves_to_the_lesson_folder_by_default(course: Path) -> None:
    reader = Reader(course / "m1", user="ana")
    assert reader.store.path == course / "m1" / "annotations.sqlite"
    assert reader.user == "ana"
    assert reader.mode == "student"


def test_reader_user_defaults_to_hub_user(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-student")
    assert Reader(course / "m1", store=course / "s.sqlite").user == "hub-student"


def test_bad_mode_is_refused(course: Path) -> None:
    with pytest.raises(ValueError, match="mode must be"):
        Reader(course / "m1", mode="teacher")  # type: ignore[arg-type]


def test_messages_round_trip_through_the_widget(course: Path) -> None:
    reader = Reader(course / "m1", user="ana", store=course / "s.sqlite")
    sent: list[dict[str, Any]] = []
    reader.send = lambda content, buffers=None: sent.append(unpack(content, buffers or []))
    reader._handle(reader, {"type": "hello"}, [])
    assert sent[-1] == {
        "type": "snapshot",
        "req": None,
        "user": "ana",
        "lesson": reader.payload,
        "annotations": [],
        "audiences": [],
        "roster": None,
        "hidden": None,
    }
    start = reader.source_lesson.document.text.index("Iran")
    reader._handle(
        reader,
        {"type": "create", "req": 3, "kind": "highlight", "start": start, "end": start + 4},
        [],
    )
    assert sent[-1]["type"] == "saved"
    assert sent[-1]["req"] == 3
    reader._handle(reader, {"type": "create", "req": 4, "kind": "nonsense"}, [])
    assert sent[-1]["type"] == "error"


def test_hello_is_answered_with_the_lesson_and_the_annotations_packed(course: Path) -> None:
    """The answer to hello is the one way the browser learns the lesson (it is no trait): a
    ``packed`` message whose buffer holds the snapshot as a deflated table."""
    reader = Reader(course / "m1", user="ana", store=course / "s.sqlite")
    assert "lesson" not in reader.get_state()
    start = reader.source_lesson.document.text.index("Iran")
    note = {"type": "create", "kind": "note", "start": start, "end": start + 4, "body": "*Hm*"}
    created = reader._session.handle(note)
    wire: list[tuple[dict[str, Any], list[bytes] | None]] = []
    reader.send = lambda content, buffers=None: wire.append((content, buffers))
    reader._handle(reader, {"type": "hello", "req": 7}, [])
    ((content, buffers),) = wire
    assert content == {"type": "packed", "req": 7}
    assert buffers is not None and len(buffers) == 1
    table = json.loads(zlib.decompress(buffers[0]))
    # Every field once, in the order the kernel packs them (the browser reads the names).
    assert sorted(table["columns"]) == sorted(protocol.AnnotationView.__annotations__)
    assert table["lesson"] == json.loads(json.dumps(reader.payload))
    assert table["lesson"]["title"] == "A small module"
    snapshot = unpack(content, buffers)
    assert snapshot["annotations"] == [created["annotation"]]  # type: ignore[typeddict-item]
    assert snapshot["annotations"][0]["body_html"] == "<p><em>Hm</em></p>\n"
    # A live update (a classmate wrote) does not send the lesson again.
    wire.clear()
    reader._push_snapshot({})
    assert unpack(*wire[0])["lesson"] is None  # type: ignore[arg-type]
    # Replies are not packed.
    wire.clear()
    reader._handle(reader, {"type": "create", "req": 8, "kind": "nonsense"}, [])
    assert wire[0][0]["type"] == "error" and not wire[0][1]


def test_published_class_annotations_are_imported_read_only(course: Path, tmp_path: Path) -> None:
    from reader_ext.interop.w3c import to_collection
    from reader_ext.store.annotation_store import AnnotationStore
    from reader_ext.widget.session import ReaderSession

    lesson = load_lesson(course / "m1")
    with AnnotationStore(tmp_path / "class.sqlite") as klass:
        start = lesson.document.text.index("Iran")
        ReaderSession(lesson, klass, "ben").handle(
            {"type": "create", "kind": "note", "start": start, "end": start + 4, "body": "Ben's"}
        )
        published = to_collection(klass.list(), collection_id="urn:x:class", label="Class")
    (course / "m1" / "published-annotations.jsonld").write_text(json.dumps(published))
    reader = Reader(course / "m1", user="ana")
    assert reader.notice == "1 annotations from your class are now shown (read-only)."
    assert isinstance(reader.store, AnnotationStore)
    views = ReaderSession(lesson, reader.store, "ana").snapshot()
    assert [(v["author"], v["mine"]) for v in views] == [("ben", False)]
    assert Reader(course / "m1", user="ana").notice == ""  # idempotent: nothing new the 2nd time
    reply = ReaderSession(lesson, reader.store, "ana").handle(
        {"type": "delete", "id": views[0]["id"]}
    )
    assert reply["type"] == "error"


def test_broken_published_file_is_reported_not_fatal(course: Path) -> None:
    (course / "m1" / "published-annotations.jsonld").write_text("{broken")
    reader = Reader(course / "m1", user="ana")
    assert "could not be read" in reader.notice


def test_corrupt_store_names_the_file_and_is_not_overwritten(course: Path) -> None:
    from reader_ext.store.annotation_store import StoreError

    path = course / "m1" / "annotations.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=str(path)):
        Reader(course / "m1", user="ana")
    assert path.read_bytes() == before


def test_closing_the_reader_closes_the_store_it_opened(course: Path) -> None:
    from reader_ext.store.annotation_store import AnnotationStore, StoreError

    reader = Reader(course / "m1", user="ana")
    reader.close()
    assert isinstance(reader.store, AnnotationStore)
    with pytest.raises(StoreError, match="closed"):
        reader.store.count()
    with AnnotationStore(course / "given.sqlite") as given:
        Reader(course / "m1", user="ana", store=given).close()
        assert given.count() == 0  # a store passed in stays open for its owner


def test_the_browser_declarations_are_generated_from_the_protocol() -> None:
    # To regenerate it: make protocol
    assert typescript.DECLARATIONS.read_text(encoding="utf-8") == typescript.typescript()
    assert typescript.main(["--check"]) == 0


def test_the_declarations_name_every_kind_and_message() -> None:
    declarations = typescript.typescript()
    kinds = " | ".join(f'"{kind}"' for kind in protocol.ANNOTATION_KINDS)
    assert f"export type AnnotationKind = {kinds};" in declarations
    for tag in ("hello", "create", "edit", "delete", "restore", "gloss-open"):
        assert f'type: "{tag}";' in declarations
    for tag in ("snapshot", "saved", "deleted", "recorded", "error"):
        assert f'type: "{tag}";' in declarations
    assert "  req?: number;" in declarations  # optional fields stay optional
    assert "  start: number | null;" in declarations


def test_a_type_the_generator_does_not_know_is_an_error() -> None:
    with pytest.raises(TypeError, match="no TypeScript for"):
        typescript.ts_type(dict[str, int])


def test_reader_state_lists_the_synced_traits(course: Path) -> None:
    reader = Reader(course / "m1", user="ana", store=course / "s.sqlite")
    synced = set(reader.get_state()) - {
        name for name in reader.get_state() if name.startswith("_") or name in _WIDGET_TRAITS
    }
    assert synced == set(protocol.ReaderState.__annotations__)


_WIDGET_TRAITS = {"comm", "keys", "layout", "tabbable", "tooltip"}


def test_the_widget_loads_the_bundle_from_its_path(course: Path) -> None:
    # A path (not its text) is what gives anywidget's reload-on-change in development.
    reader = Reader(course / "m1", user="ana", store=course / "s.sqlite")
    assert reader.get_state()["_esm"] == BUNDLE.read_text(encoding="utf-8")
    assert type(Reader._esm).__name__ == "FileContents"  # anywidget's watched file


def test_the_widget_heat_scale_is_the_reports() -> None:
    """The heat layer (static/heat.js) and the report (course/heatmap.py) shade alike."""
    node = shutil.which("node")
    assert node, "node is needed for the widget's checks (make test installs it)"
    sizes = list(range(1, 41))
    script = (
        "import { legend, level } from './reader_ext/widget/static/heat.js';"
        f"const sizes = {json.dumps(sizes)};"
        "console.log(JSON.stringify(sizes.map((n) => ({ legend: legend(n),"
        " levels: Array.from({ length: n + 1 }, (_, c) => level(c, n)) }))));"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for n, js in zip(sizes, json.loads(out), strict=True):
        assert [tuple(item) for item in js["legend"]] == heatmap.legend(n), n
        heat = heatmap.Heat("x" * (n + 1), n, counts=list(range(n + 1)))
        assert js["levels"] == [heat.level(c) for c in range(n + 1)], n


_CSS = ROOT / "reader_ext" / "widget" / "static" / "reader.css"
_VAR = re.compile(r"var\((--[a-z0-9-]+)(?:,\s*([^()]*(?:\([^()]*\)[^()]*)*))?\)")


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _fallback(value: str, own: dict[str, str]) -> str:
    """The colour a declaration has with no --jp-* variable defined (as in nbclassic)."""
    found = _VAR.fullmatch(value.strip())
    if not found:
        return value.strip()
    name, default = found.groups()
    if name.startswith("--ar-"):
        return _fallback(own[name], own)
    assert default, f"{name} has no fallback"
    return _fallback(default, own)


def test_every_jupyterlab_variable_has_a_fallback() -> None:
    css = _CSS.read_text(encoding="utf-8")
    missing = [m.group(0) for m in _VAR.finditer(css) if m.group(1).startswith("--jp-")
               and not m.group(2)]  # fmt: skip
    assert not missing
    assert "Georgia" not in css  # the light theme's own font stack, as in JupyterLab


def test_text_fallbacks_have_a_contrast_of_at_least_4_5() -> None:
    css = _CSS.read_text(encoding="utf-8")
    own: dict[str, str] = {}  # the first (light-theme) value of each; dark ones come later
    for name, value in re.findall(r"^\s*(--ar-[a-z0-9-]+):\s*([^;]+);", css, re.M):
        own.setdefault(name, value)
    backgrounds = [_fallback(own["--ar-bg"], own), _fallback(own["--ar-bg-soft"], own)]
    colours = {
        value.strip(): _fallback(value, own)
        for value in re.findall(r"(?<![-\w])color:\s*([^;]+);", css)
        if "var(" in value and "color-mix" not in value
    }
    colours["--ar-fg"] = _fallback(own["--ar-fg"], own)
    checked = 0
    for value, colour in colours.items():
        if "inverse" in value:  # white on the accent colour
            assert _contrast(colour, _fallback(own["--ar-accent"], own)) >= 4.5
            continue
        assert re.fullmatch(r"#[0-9a-f]{6}", colour), (value, colour)
        for background in backgrounds:
            assert _contrast(colour, background) >= 4.5, (value, colour, background)
        checked += 1
    assert checked >= 5


def test_images_in_intro_definitions_and_questions_are_embedded(course: Path) -> None:
    from tests.test_assign import _with_images

    data = _with_images(course / "m1")
    payload = Reader(course / "m1", user="ana", store=course / "s.sqlite").payload
    uri = f"data:image/png;base64,{base64.b64encode(data).decode()}"
    assert uri in (payload["intro_html"] or "")
    assert any(uri in g["definition_html"] for g in payload["glossary"])
    assert any(uri in p["question_html"] for p in payload["prompts"])
    assert "images/" not in json.dumps(payload)  # no address left for a browser to fetch


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        ("intro.md", None, "Look:\n\n![x](https://tracker.example/p.png)\n", "intro.md:3"),
        ("glossary.toml", "since **2015**.", "![x](//tracker.example/p.png)", "glossary.toml:1"),
        (
            "prompts.toml",
            "matter to India?",
            "![x](http://tracker.example/p.png)",
            "prompts.toml:4",
        ),
    ],
)
def test_a_web_image_outside_the_reading_is_refused(
    course: Path, file: str, old: str | None, new: str, where: str
) -> None:
    path = course / "m1" / file
    if old is None:
        path.write_text(new, encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_lesson(course / "m1")
    message = str(caught.value)
    assert where in message and "on the web" in message
    assert "save it into the module folder" in message


def test_render_markdown_never_shows_a_web_image() -> None:
    html_out = render_markdown("a ![x](https://tracker.example/p.png) b")
    assert "tracker" not in html_out and "<img" not in html_out


def test_an_unexpected_failure_still_answers_the_request(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request is always answered: the form says what failed and keeps the text."""
    reader = Reader(course / "m1", user="ana", store=course / "s.sqlite")
    sent: list[dict[str, Any]] = []
    reader.send = lambda content, buffers=None: sent.append(content)

    def broken(_msg: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reader._session, "handle", broken)
    reader._handle(reader, {"type": "create", "req": 7, "kind": "note", "body": "x"}, [])
    assert sent[-1]["type"] == "error"
    assert sent[-1]["req"] == 7
    assert "No space left on device" in sent[-1]["message"]
    assert "your text is kept" in sent[-1]["message"]
