"""Two students in two browsers on a real JupyterHub: live social reading as people see it."""

from __future__ import annotations

import contextlib
import os
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, WebSocket, expect

from reader_ext.hub.demo import DemoHub, demo_class
from tests.conftest import LESSONS
from tests.hub.conftest import LESSON, Client
from tests.ui.a11y import contrast
from tests.ui.lab import (
    ARTIFACTS,
    DARK_THEME,
    DEFAULT_VIEWPORT,
    ConsoleLog,
    change_theme,
    chromium,
    open_notebook,
    wait_for_output,
)
from tests.ui.test_annotate_ui import card_with, open_note_editor
from tests.ui.test_reader_ui import MIN_CONTRAST

pytestmark = [pytest.mark.hub, pytest.mark.browser]
LOADED = ".ar-reader[data-annotations-loaded]"
NOTEBOOK = "course/01-reading-the-argument/lesson.ipynb"


@dataclass
class UserLab:
    """Where a Hub user's JupyterLab is, in the shape ``open_notebook`` expects."""

    hub: DemoHub
    name: str

    def lab_url(self, path: str) -> str:
        return f"{self.hub.url}/user/{self.name}/lab/tree/{path}?reset"


@pytest.fixture(scope="module")
def class_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoHub]:
    folder = tmp_path_factory.mktemp("class-hub")
    if os.geteuid() == 0:
        folder.chmod(0o755)
    with demo_class(
        Path(folder),
        postgres=False,
        lessons=LESSONS,
        lab_args=["--LabApp.expose_app_in_browser=True"],
    ) as hub:
        yield hub


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:  # this module's own (see tests/ui/lab.chromium)
        yield launched


def received(frames: list[str | bytes]) -> str:
    """Everything the page received, as text: text frames, binary frames (the kernel's, with
    their JSON parts), and every deflated buffer in them inflated (a packed snapshot's notes)."""
    out: list[str] = []
    for frame in frames:
        if isinstance(frame, str):
            out.append(frame)
            continue
        out.append(frame.decode("utf-8", "replace"))
        start = frame.find(b"\x78\x01")
        while start >= 0:
            with contextlib.suppress(zlib.error):
                out.append(
                    zlib.decompressobj().decompress(frame[start:]).decode("utf-8", "replace")
                )
            start = frame.find(b"\x78\x01", start + 1)
    return "\n".join(out)


def login(browser: Browser, hub: DemoHub, name: str) -> tuple[Page, ConsoleLog, list[str | bytes]]:
    """Log in as ``name``, open the lesson, and record every frame the page receives."""
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    page = context.new_page()
    log = ConsoleLog()
    log.attach(page)
    frames: list[str | bytes] = []

    def on_socket(ws: WebSocket) -> None:
        ws.on("framereceived", lambda payload: frames.append(payload))

    page.on("websocket", on_socket)
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", "any")
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{name}/lab**", timeout=90_000)
    open_notebook(page, UserLab(hub, name), NOTEBOOK, timeout=90_000)  # type: ignore[arg-type]
    wait_for_output(page, LOADED, timeout=60_000)
    return page, log, frames


def test_two_students_read_together_live(class_hub: DemoHub, browser: Browser) -> None:
    ana, ana_log, _ = login(browser, class_hub, "ana")
    ben, ben_log, ben_frames = login(browser, class_hub, "ben")
    expect(ana.locator(".ar-notice")).to_contain_text("Class mode")

    editor = open_note_editor(ana, "free trade talks")
    editor.locator("textarea").fill("Seen live by my class")
    editor.locator(".ar-save").click()
    expect(card_with(ana, "Seen live by my class")).to_have_count(1)
    saved_at = time.monotonic()
    # ben sees it without reloading, within a second of ana's "saved"
    expect(card_with(ben, "Seen live by my class")).to_have_count(1, timeout=5_000)
    assert time.monotonic() - saved_at < 1.0 + 0.5  # the expect loop polls every 100-500 ms
    card = card_with(ben, "Seen live by my class")
    expect(card).to_contain_text("ana")
    expect(card.locator(".ar-edit")).to_have_count(0)  # not his to change
    ben.screenshot(path=str(ARTIFACTS / "class-mode-ben-sees-ana.png"))

    # ana's private note never reaches ben's browser, not even in the traffic
    Client(class_hub, "ana", class_hub.token_for("ana")).note(
        "PRIVATE-ana-xyzzy", visibility="private"
    )
    Client(class_hub, "ana", class_hub.token_for("ana")).note("after the private one")
    expect(card_with(ben, "after the private one")).to_have_count(1, timeout=5_000)
    assert "PRIVATE-ana-xyzzy" not in received(ben_frames)
    assert "after the private one" in received(ben_frames)  # the decoding finds what came
    expect(card_with(ana, "PRIVATE-ana-xyzzy")).to_have_count(1, timeout=5_000)
    assert not ana_log.ours() and not ben_log.ours(), (ana_log.ours(), ben_log.ours())
    assert LESSON.endswith("reading-the-argument")


def test_a_student_chooses_who_sees_a_note(class_hub: DemoHub, browser: Browser) -> None:
    """cem (section-b) picks an audience in the note editor; the service stores and enforces it."""
    cem, cem_log, _ = login(browser, class_hub, "cem")
    ben = Client(class_hub, "ben", class_hub.token_for("ben"))  # section-a
    prof = Client(class_hub, "prof", class_hub.token_for("prof"))
    expect(cem.locator(".ar-notice")).to_contain_text("unless you choose otherwise")

    for text, choice in (
        ("CEM-private-note", "Only me and the instructors"),
        ("CEM-group-note", "My group"),
        ("CEM-class-note", "The class"),
    ):
        editor = open_note_editor(cem, "free trade talks")
        chooser = editor.get_by_label("Who sees this note")
        expect(chooser).to_be_visible()
        options = chooser.locator("option").all_text_contents()
        assert options == [
            "Only me and the instructors",
            "My group",
            "The class",
            "Private to the instructors (1:1)",
        ]
        # The course's default (the class) is preselected.
        assert chooser.evaluate("s => s.options[s.selectedIndex].text") == "The class"
        # In the editor, under the text box, on screen with it: found where one writes. (Where
        # the editor itself opens is issue 9's: it is brought into view first.)
        editor.locator("textarea").scroll_into_view_if_needed()
        box, form = chooser.bounding_box(), editor.bounding_box()
        area = editor.locator("textarea").bounding_box()
        assert box and form and area
        assert form["y"] <= box["y"] and box["y"] + box["height"] <= form["y"] + form["height"]
        assert box["y"] >= area["y"] + area["height"]
        assert box["y"] >= 0 and box["y"] + box["height"] <= DEFAULT_VIEWPORT["height"]
        editor.locator("textarea").fill(text)
        # By keyboard, as a screen-reader user would.
        chooser.focus()
        chooser.select_option(label=choice)
        if choice == "My group":
            cem.screenshot(path=str(ARTIFACTS / "class-mode-visibility-choice.png"))
        editor.locator("textarea").press("Control+Enter")
        expect(card_with(cem, text)).to_have_count(1, timeout=10_000)

    status, data = prof.call("GET", f"api/annotations?source={LESSON}&since=0")
    assert status == 200
    stored = {
        a["annotation"]["body"][0]["value"]: a["audience"]
        for a in data["annotations"]
        if a["annotation"].get("body")
    }
    assert stored["CEM-private-note"]["visibility"] == "private"
    assert (stored["CEM-group-note"]["visibility"], stored["CEM-group-note"]["group"]) == (
        "group",
        "section-b",
    )
    assert stored["CEM-class-note"]["visibility"] == "class"
    seen_by_ben = ben.texts()
    assert "CEM-class-note" in seen_by_ben
    assert "CEM-private-note" not in seen_by_ben and "CEM-group-note" not in seen_by_ben

    # Legible in the dark theme too (the menu's own colours; its open list is the system's).
    change_theme(cem, DARK_THEME)
    editor = open_note_editor(cem, "free trade talks")
    chooser = editor.get_by_label("Who sees this note")
    editor.locator("textarea").scroll_into_view_if_needed()
    for part in (chooser, editor.locator(".ar-editor-visibility .ar-editor-label")):
        result = contrast(part)
        assert result["ratio"] >= MIN_CONTRAST, result
    cem.screenshot(path=str(ARTIFACTS / "class-mode-visibility-choice-dark.png"))
    editor.locator(".ar-cancel").click()
    assert not cem_log.ours(), cem_log.ours()
