"""The reader as a person sees it in JupyterLab's default layout (1280×900, file browser open):
the action beside the selection, the editor and the card beside the passage, nothing that
jumps, nothing that hangs. Every test asserts geometry — where things are on the screen and
that no scrolling ancestor moved — since Playwright scrolls to whatever it clicks.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from reader_ext import load_lesson
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.widget.session import ReaderSession

from .a11y import describe
from .lab import (
    ARTIFACTS,
    DARK_THEME,
    DEFAULT_VIEWPORT,
    ConsoleLog,
    LabServer,
    PageFactory,
    change_theme,
    open_notebook,
    wait_for_output,
)
from .test_annotate_ui import LOADED, ME, MODULE, card_with, notebook_path
from .test_highlights_ui import annotate
from .test_reader_ui import serious_violations

NEAR_PX = 100  # the toolbar is "beside" the selection: within this distance of its rectangle

# Every element that scrolls (the notebook, the reader's panes...): a test id and its scrollTop.
SCROLLS_JS = """
() => {
  const out = {};
  let n = 0;
  for (const el of document.querySelectorAll('*')) {
    if (el.scrollHeight <= el.clientHeight + 1 && el.scrollTop === 0) continue;
    const style = getComputedStyle(el);
    if (!/(auto|scroll|hidden)/.test(style.overflowY)) continue;
    el.dataset.testScroll ||= `s${++n}-${Math.random().toString(36).slice(2, 6)}`;
    out[el.dataset.testScroll] = el.scrollTop;
  }
  out.window = window.scrollY;
  return out;
}
"""

RECT_JS = """
(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
          width: r.width, height: r.height};
}
"""

SELECTION_RECT_JS = """
() => {
  const s = document.getSelection();
  if (!s || !s.rangeCount || s.isCollapsed) return null;
  const r = s.getRangeAt(0).getBoundingClientRect();
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
          width: r.width, height: r.height};
}
"""

# Where to press and release to select a phrase, after bringing it to a third of the reading's
# pane: candidate press points on the phrase's first two glyphs (and just before it), each with
# whether it lies in `startSelector`, and the release point on its last glyph.
PHRASE_JS = """
([phrase, startSelector, scope]) => {
  const pane = document.querySelector(`${scope} .ar-main`);
  for (const block of document.querySelectorAll(`${scope} .ar-article [data-block]`)) {
    const at = block.textContent.indexOf(phrase);
    if (at < 0) continue;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    const glyphs = {};
    let pos = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.data.length; i++, pos++) {
        if ([at, at + 1, at + phrase.length - 1].includes(pos)) {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          glyphs[pos - at] = r;
        }
      }
    }
    const first = glyphs[0], last = glyphs[phrase.length - 1];
    const paneBox = pane.getBoundingClientRect();
    pane.scrollTop += first.getBoundingClientRect().top - paneBox.top - pane.clientHeight / 3;
    const a = first.getBoundingClientRect(), s = glyphs[1].getBoundingClientRect();
    const b = last.getBoundingClientRect();
    const y0 = a.top + a.height / 2;
    const xs = [a.left - 2, a.left + a.width * 0.3, s.left + s.width * 0.3, s.left + s.width * 0.7];
    const presses = xs.map((x) => {
      const under = document.elementFromPoint(x, y0);
      return {x, on: startSelector ? Boolean(under?.closest(startSelector)) : true};
    });
    return {presses, y0, x1: b.right - 1, y1: b.top + b.height / 2};
  }
  return null;
}
"""


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"layout-{name}.png"))


def rect(page: Page, selector: str) -> dict[str, float]:
    box = page.evaluate(RECT_JS, selector)
    assert box, f"{selector} is not in the page"
    return box  # type: ignore[no-any-return]


def in_viewport(box: dict[str, float], page: Page) -> bool:
    size = page.viewport_size
    assert size
    return (
        box["left"] >= 0
        and box["top"] >= 0
        and box["right"] <= size["width"]
        and box["bottom"] <= size["height"]
    )


def distance(a: dict[str, float], b: dict[str, float]) -> float:
    """The gap between two rectangles (0 when they touch or overlap)."""
    dx = max(0.0, a["left"] - b["right"], b["left"] - a["right"])
    dy = max(0.0, a["top"] - b["bottom"], b["top"] - a["bottom"])
    return float((dx**2 + dy**2) ** 0.5)


def scrolls(page: Page) -> dict[str, Any]:
    return page.evaluate(SCROLLS_JS)  # type: ignore[no-any-return]


def assert_no_scroll(before: dict[str, Any], after: dict[str, Any], what: str) -> None:
    moved = {k: (before.get(k, 0), v) for k, v in after.items() if abs(before.get(k, 0) - v) > 1}
    assert not moved, f"{what}: scrolling ancestors moved (id: before, after): {moved}"


def open_default_layout(new_page: PageFactory, server: LabServer, course: Path) -> Page:
    """The lesson at 1280×900 with the file browser open, JupyterLab's default layout."""
    page = new_page()
    open_notebook(page, server, notebook_path(server, course))
    wait_for_output(page, LOADED)
    page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
    page.wait_for_function("() => document.querySelector('.jp-FileBrowser')?.checkVisibility()")
    # The reader's top at the top of the notebook's view, as a reader scrolls to it.
    page.evaluate(
        """() => {
          const body = document.querySelector('.ar-body');
          body.scrollIntoView({block: 'start'});
        }"""
    )
    page.wait_for_timeout(300)
    return page


def drag(page: Page, x0: float, y0: float, x1: float, y1: float) -> None:
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=6)
    page.mouse.move(x1, y1, steps=6)
    page.mouse.up()


def select_phrase(
    page: Page, phrase: str, starts_on: str | None = None, scope: str = ".ar-reader"
) -> dict[str, float]:
    """Drag the real mouse across `phrase` (from inside `starts_on`); the selection's rectangle.

    Headless Chromium starts no selection for a press at some sub-pixel positions on a glyph
    (as tests/ui/test_annotate_ui.py notes too), so the press is tried at a few points of the
    phrase's first glyphs, each a real drag.
    """
    box = page.evaluate(PHRASE_JS, [phrase, starts_on, scope])
    assert box, f"{phrase!r} is not in the reading"
    presses = [p for p in box["presses"] if p["on"]]
    assert presses, f"{phrase!r} does not start on {starts_on}"
    page.wait_for_timeout(100)
    for press in presses:
        drag(page, press["x"], box["y0"], box["x1"], box["y1"])
        if page.evaluate("() => String(document.getSelection()).trim().length > 3"):
            break
        page.mouse.move(5, 5)
        page.wait_for_timeout(600)  # not a double click
    expect(page.locator(f"{scope} .ar-selbar")).to_be_visible()
    sel = page.evaluate(SELECTION_RECT_JS)
    assert sel, "the drag selected nothing"
    return sel  # type: ignore[no-any-return]


def list_at_an_end(page: Page) -> bool:
    """Whether the list is scrolled as far as it goes (a card cannot be put level then)."""
    return bool(
        page.evaluate(
            """() => { const s = document.querySelector('.ar-side');
                       return s.scrollTop === 0
                         || s.scrollTop + s.clientHeight >= s.scrollHeight - 1; }"""
        )
    )


def level_with(page: Page, card: dict[str, float], mark: dict[str, float], what: str) -> None:
    """The card is level with its passage, or the list is scrolled as far as it goes."""
    at_end = list_at_an_end(page)
    assert abs(card["top"] - mark["top"]) < 120 or at_end, f"{what}: card {card}, passage {mark}"


def output_width(page: Page) -> float:
    return rect(page, ".jp-OutputArea-output:has(.ar-reader)")["width"]


@pytest.mark.browser
def test_toolbar_editor_and_card_beside_the_passage(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    page = open_default_layout(new_page, lab_server, fresh_course)
    width = output_width(page)
    assert 700 <= width <= 900, (
        f"not JupyterLab's default layout: the output is {width:.0f} px wide"
    )
    # Reading and annotations side by side, each in view.
    main, side = rect(page, ".ar-main"), rect(page, ".ar-side")
    assert side["left"] >= main["right"] - 1, (
        f"the annotations are not beside the reading: {main} {side}"
    )
    assert side["top"] < 900 and main["top"] < 900
    shoot(page, "1-default-layout")

    sel = select_phrase(page, "free trade talks")
    before = scrolls(page)
    bar = rect(page, ".ar-selbar")
    shoot(page, "2-toolbar")
    assert in_viewport(bar, page), f"the toolbar is off screen: {bar}"
    assert distance(bar, sel) <= NEAR_PX, f"the toolbar is not beside the selection: {bar} {sel}"
    # A person clicks where the button is: no scrolling first (Playwright would scroll).
    note = rect(page, ".ar-selbar .ar-sel-note")
    page.mouse.click(note["left"] + note["width"] / 2, note["top"] + note["height"] / 2)
    editor = page.locator(".ar-note-pop form")
    expect(editor).to_be_visible()
    expect(editor.locator("textarea")).to_be_focused()
    assert_no_scroll(before, scrolls(page), "opening the note editor")
    pop = rect(page, ".ar-note-pop")
    passage = rect(page, "mark.ar-pending")
    assert in_viewport(pop, page), f"the note editor is off screen: {pop}"
    assert in_viewport(passage, page), f"the passage left the screen: {passage}"
    assert distance(pop, passage) <= NEAR_PX, f"the editor is not beside the passage: {pop}"
    page.keyboard.type("Why **now**?")
    shoot(page, "3-note-editor")

    page.keyboard.press("Control+Enter")
    card = page.locator(".ar-side .ar-list > .ar-card").filter(has_text="Why now?")
    expect(card).to_have_count(1)
    expect(card).to_be_focused()
    expect(page.locator(".ar-note-pop")).to_have_count(0)
    after = scrolls(page)
    # Only the annotations' pane may have moved (to show the card); the notebook did not.
    side_id = page.evaluate("() => document.querySelector('.ar-side').dataset.testScroll || ''")
    assert_no_scroll(
        {k: v for k, v in before.items() if k != side_id},
        {k: v for k, v in after.items() if k != side_id},
        "saving the note",
    )
    card_box = rect(page, ".ar-side .ar-list > .ar-card:focus")
    mark = page.evaluate(RECT_JS, "mark.ar-hl-note")
    assert mark and in_viewport(mark, page), f"the passage left the screen: {mark}"
    assert in_viewport(card_box, page), f"the saved card is off screen: {card_box}"
    level_with(page, card_box, mark, "the saved note")
    shoot(page, "4-saved-card")


@pytest.mark.browser
def test_a_drag_that_starts_on_a_glossed_term_selects(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    page = open_default_layout(new_page, lab_server, fresh_course)
    term = page.evaluate(
        """() => {
          // A glossed term followed by at least a few words of the same block.
          for (const g of document.querySelectorAll('.ar-article .ar-gloss')) {
            const block = g.closest('[data-block]');
            const text = block.textContent;
            const at = text.indexOf(g.textContent);
            const rest = text.slice(at, at + g.textContent.length + 25);
            if (rest.length > g.textContent.length + 20 && !rest.includes('\\n')) return rest;
          }
          return null;
        }"""
    )
    assert term
    sel = select_phrase(page, term, starts_on=".ar-gloss")
    bar = rect(page, ".ar-selbar")
    assert in_viewport(bar, page) and distance(bar, sel) <= NEAR_PX
    expect(page.locator(".ar-gloss-popup")).to_be_hidden()
    shoot(page, "5-drag-from-gloss")


@pytest.mark.browser
def test_clicking_a_highlight_shows_its_card_without_a_jump(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    page = open_default_layout(new_page, lab_server, fresh_course)
    # Two highlights far apart, so that the second's card is below the list's first screen.
    for phrase in ("free trade talks", "prompted speculation among"):
        select_phrase(page, phrase)
        hl = rect(page, ".ar-selbar .ar-sel-highlight")
        page.mouse.click(hl["left"] + 5, hl["top"] + 5)
        expect(page.locator(".ar-article")).to_be_focused()
        expect(page.locator(".ar-live")).to_have_text("Highlight saved.")
    expect(page.locator(".ar-side .ar-list > .ar-card")).to_have_count(2)
    mark = page.locator("mark.ar-hl").filter(has_text="speculation").first
    # Which annotation the mark shows is kept in the reader's script, not on the mark: its card.
    anno = (
        page.locator(".ar-side .ar-list > .ar-card")
        .filter(has_text="speculation")
        .get_attribute("data-anno")
    )
    box = mark.evaluate(
        """(m) => {
          const pane = document.querySelector('.ar-main');
          pane.scrollTop += m.getBoundingClientRect().top - pane.getBoundingClientRect().top - 200;
          const r = m.getBoundingClientRect();
          return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
        }"""
    )
    page.wait_for_timeout(200)
    before = scrolls(page)
    page.mouse.click(box["left"] + 3, (box["top"] + box["bottom"]) / 2)
    card = page.locator(f'.ar-side .ar-card[data-anno="{anno}"]')
    expect(card).to_be_focused()
    after = scrolls(page)
    side_id = page.evaluate("() => document.querySelector('.ar-side').dataset.testScroll || ''")
    assert_no_scroll(
        {k: v for k, v in before.items() if k != side_id},
        {k: v for k, v in after.items() if k != side_id},
        "clicking a highlight",
    )
    card_box = rect(page, f'.ar-side .ar-card[data-anno="{anno}"]')
    assert in_viewport(card_box, page)
    level_with(page, card_box, box, "the clicked highlight")
    shoot(page, "6-highlight-card")


# Where each passage is now: [top, bottom] of its first glyph (null when not found), and the
# reading pane's top and bottom.
PASSAGES_JS = """
(phrases) => {
  const pane = document.querySelector('.ar-main');
  const at = (phrase) => {
    for (const block of document.querySelectorAll('.ar-article [data-block]')) {
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      let text = '';
      const nodes = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push([n, text.length]);
        text += n.data;
      }
      const i = text.indexOf(phrase);
      if (i < 0) continue;
      const [node, offset] = nodes.filter(([, o]) => o <= i).pop();
      const range = document.createRange();
      range.setStart(node, i - offset);
      range.setEnd(node, Math.min(node.data.length, i - offset + 1));
      const r = range.getBoundingClientRect();
      return [r.top, r.bottom];
    }
    return null;
  };
  const box = pane.getBoundingClientRect();
  return {paneTop: box.top, paneBottom: box.bottom, passages: phrases.map(at)};
}
"""


def spread_notes(course: Path, count: int) -> list[tuple[str, str]]:
    """``count`` notes by me, spread evenly over the reading: (passage, note text) each."""
    text = load_lesson(course / MODULE).document.text
    notes, step = [], len(text) // (count + 1)
    for i in range(1, count + 1):
        start = text.index(" ", i * step) + 1
        phrase = text[start : text.index(" ", start + 12)]
        if "\n" in phrase or text.count(phrase) != 1:
            continue
        body = f"Margin note {i:02d}"
        annotate(course, ME, "note", phrase, body)
        notes.append((phrase, body))
    assert len(notes) >= count * 2 // 3, "the reading did not give enough unique passages"
    return notes


@pytest.mark.browser
def test_the_list_follows_the_reading(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    notes = spread_notes(fresh_course, 24)
    page = open_default_layout(new_page, lab_server, fresh_course)
    expect(page.locator(".ar-side .ar-list > .ar-card")).to_have_count(len(notes))
    side = page.locator(".ar-side")
    assert side.evaluate("(s) => s.scrollHeight > s.clientHeight * 2"), "the list must scroll"
    page.evaluate("() => document.activeElement?.blur()")  # the reader is not in the list
    main = rect(page, ".ar-main")
    page.mouse.move(main["left"] + main["width"] / 2, main["top"] + main["height"] / 2)
    before = scrolls(page)
    phrases = [phrase for phrase, _ in notes]
    followed = 0
    # A person scrolls the reading with the wheel, a screen at a time, to about its middle.
    # A person scrolls the reading with the wheel, most of a screen at a time, to its end.
    for _ in range(8):
        page.mouse.wheel(0, main["height"] * 0.7)
        page.wait_for_timeout(400)
        found = page.evaluate(PASSAGES_JS, phrases)
        in_view = [
            i
            for i, box in enumerate(found["passages"])
            if box and box[1] >= found["paneTop"] + 4 and box[0] <= found["paneBottom"] - 24
        ]
        if not in_view:
            continue  # a screen of prompts and no annotated passage: nothing to be level with
        first = in_view[0]
        box = card_with(page, notes[first][1]).bounding_box()
        assert box, f"no card for {notes[first][1]}"
        card = {"left": box["x"], "top": box["y"], "right": box["x"] + box["width"]}
        card["bottom"] = box["y"] + box["height"]
        passage = found["passages"][first][0]
        assert in_viewport(card, page), f"the card of the passage in view is off screen: {card}"
        if not list_at_an_end(page):
            assert abs(card["top"] - passage) < 120, (
                f"the list did not follow: {notes[first][1]}'s card at {card['top']:.0f} px, "
                f"its passage at {passage:.0f} px"
            )
            followed += 1
    after = scrolls(page)
    side_id = side.evaluate("(s) => s.dataset.testScroll || ''")
    assert after.get(side_id, 0) > before.get(side_id, 0) + 100, "the list never scrolled"
    assert after["window"] == before["window"], "the page itself moved"
    assert followed >= 3, f"only {followed} screens had a passage to follow"
    shoot(page, "7-list-follows")


@pytest.mark.browser
def test_cancel_drops_the_draft_and_gives_the_focus_back(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    page = open_default_layout(new_page, lab_server, fresh_course)
    select_phrase(page, "free trade talks")
    page.locator(".ar-selbar .ar-sel-note").click()
    page.keyboard.type("a thought I will drop")
    page.keyboard.press("Escape")
    expect(page.locator(".ar-note-pop")).to_have_count(0)
    expect(page.locator(".ar-article")).to_be_focused()
    expect(page.locator("mark.ar-pending")).to_have_count(0)
    select_phrase(page, "free trade talks")
    page.locator(".ar-selbar .ar-sel-note").click()
    expect(page.locator(".ar-note-pop textarea")).to_have_value("")
    page.locator(".ar-note-pop .ar-cancel").click()
    expect(page.locator(".ar-article")).to_be_focused()


@pytest.mark.browser
def test_a_save_after_a_kernel_restart_says_so_and_keeps_the_text(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    page = open_default_layout(new_page, lab_server, fresh_course)
    select_phrase(page, "free trade talks")
    page.locator(".ar-selbar .ar-sel-note").click()
    page.keyboard.type("Written before the restart")
    page.evaluate("() => { void window.jupyterapp.commands.execute('kernelmenu:restart'); }")
    # JupyterLab asks first.
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.get_by_text("Python 3 (ipykernel) | Idle", exact=True).wait_for(timeout=60_000)
    page.locator(".ar-note-pop .ar-save").click()
    error = page.locator(".ar-note-pop .ar-editor-error")
    expect(error).to_contain_text("kernel restarted", timeout=10_000)
    expect(error).to_contain_text("your text is kept")
    expect(page.locator(".ar-note-pop textarea")).to_have_value("Written before the restart")
    expect(page.locator(".ar-connection")).to_be_visible()
    shoot(page, "7-kernel-restarted")


@pytest.mark.browser
def test_narrow_output_has_markers_and_a_drawer(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    page = new_page({"width": 900, "height": 900})
    open_notebook(page, lab_server, notebook_path(lab_server, fresh_course))
    wait_for_output(page, LOADED)
    page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
    page.wait_for_timeout(300)
    page.evaluate("() => document.querySelector('.ar-body').scrollIntoView({block: 'start'})")
    assert output_width(page) < 680
    expect(page.locator(".ar-reader")).to_have_attribute("data-layout", "narrow")
    expect(page.locator(".ar-side")).to_be_hidden()
    select_phrase(page, "free trade talks")
    hl = rect(page, ".ar-selbar .ar-sel-highlight")
    page.mouse.click(hl["left"] + 5, hl["top"] + 5)
    marker = page.locator(".ar-bucket")
    expect(marker).to_have_count(1)
    expect(marker).to_have_text("1")
    mark, dot = rect(page, "mark.ar-hl"), rect(page, ".ar-bucket")
    assert abs(mark["top"] - dot["top"]) < 20, "the marker is not beside its line"
    expect(page.locator(".ar-drawer-toggle")).to_have_text("Annotations (1)")
    shoot(page, "8-narrow-marker")
    before = scrolls(page)
    page.mouse.click(dot["left"] + 4, dot["top"] + 4)
    expect(page.locator(".ar-side")).to_be_visible()
    expect(page.locator(".ar-side .ar-card")).to_be_focused()
    assert in_viewport(rect(page, ".ar-side .ar-card"), page)
    assert_no_scroll(before, scrolls(page), "opening the drawer")
    shoot(page, "9-narrow-drawer")
    page.keyboard.press("Escape")
    expect(page.locator(".ar-side")).to_be_hidden()
    expect(page.locator(".ar-drawer-toggle")).to_be_focused()


MARKERS_JS = """() => [...document.querySelectorAll('.ar-reader .ar-bucket')].map((m) => {
  const r = m.getBoundingClientRect();
  return {text: m.textContent, title: m.title, top: r.top, bottom: r.bottom, height: r.height,
          lines: m.getClientRects().length};
})"""


@pytest.mark.browser
def test_a_busy_line_has_one_marker_that_fits_beside_it(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    # A line a whole class highlighted (120 annotations start there) beside lines with a few:
    # each marker one line high, none over another, the busy one saying "99+" (its title says
    # how many) level with its line. At 10,000 annotations counts of 100 and more wrapped onto
    # two lines and ran over the next marker.
    phrase = "all contracts will be fulfilled since the two"
    lesson = load_lesson(fresh_course / MODULE)
    start = lesson.document.text.index(phrase)
    with AnnotationStore(fresh_course / MODULE / "annotations.sqlite") as store:
        for n in range(120):
            session = ReaderSession(lesson, store, f"s{n:03d}")
            msg = {
                "type": "create",
                "kind": "highlight",
                "start": start,
                "end": start + len(phrase),
            }
            assert session.handle(msg)["type"] == "saved"
    spread_notes(fresh_course, 12)
    page = open_default_layout(new_page, lab_server, fresh_course)
    page.get_by_text(phrase, exact=False).first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    markers = page.evaluate(MARKERS_JS)
    assert len(markers) >= 8, markers
    busy = [m for m in markers if m["text"] == "99+"]
    assert len(busy) == 1, markers
    assert int(busy[0]["title"].split()[0]) >= 120, busy[0]["title"]
    assert busy[0]["title"].endswith("annotations here: show")
    one_line = min(m["height"] for m in markers)
    for above, below in itertools.pairwise(markers):
        assert below["top"] >= above["bottom"] - 0.5, f"markers overlap: {above} {below}"
    for marker in markers:
        assert marker["lines"] == 1 and marker["height"] <= one_line + 0.5, marker
    mark = page.evaluate(
        """(phrase) => {
          const block = [...document.querySelectorAll('.ar-article [data-block]')]
            .find((b) => b.textContent.includes(phrase));
          return block.querySelector('mark.ar-hl').getBoundingClientRect().top;
        }""",
        phrase,
    )
    assert abs(busy[0]["top"] - mark) < 20, "the busy line's marker is not beside it"
    shoot(page, "10-busy-line-markers")


def check_beside(page: Page, where: str, scope: str = ".ar-reader") -> None:
    """Reading and annotations side by side; a mouse selection gets its toolbar beside it."""
    expect(page.locator(scope).last).to_have_attribute("data-layout", "wide")
    main, side = rect(page, f"{scope} .ar-main"), rect(page, f"{scope} .ar-side")
    assert side["left"] >= main["right"] - 1, f"{where}: annotations not beside: {main} {side}"
    sel = select_phrase(page, "free trade talks", scope=scope)
    bar = rect(page, f"{scope} .ar-selbar")
    assert in_viewport(bar, page), f"{where}: the toolbar is off screen: {bar}"
    assert distance(bar, sel) <= NEAR_PX, f"{where}: the toolbar is not beside: {bar} {sel}"


@pytest.mark.browser
def test_notebook_7(lab_browser: Browser, lab_server: LabServer, fresh_course: Path) -> None:
    # Its own page and console log: Notebook 7's core throws one TypeError of its own on load
    # ("reading 'schema'", from /static/notebook/notebook_core.*.js), which is not ours.
    context = lab_browser.new_context(viewport=DEFAULT_VIEWPORT)
    page = context.new_page()
    log = ConsoleLog()
    log.attach(page)
    try:
        notebook_7(page, lab_server, fresh_course)
    finally:
        context.close()
    ours = [str(e) for e in log.ours() if "/static/notebook/notebook_core." not in e.text]
    assert not ours, "The browser console reported errors from our code:\n" + "\n".join(ours)


def notebook_7(page: Page, lab_server: LabServer, fresh_course: Path) -> None:
    path = notebook_path(lab_server, fresh_course)
    page.goto(f"{lab_server.url}/notebooks/{path}?token={lab_server.token}")
    # Notebook 7 does not expose its app here: through its menus, as a person would, once the
    # kernel is idle (the status circle's title says so).
    page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=60_000)
    page.wait_for_timeout(2000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.locator(LOADED).wait_for(timeout=60_000)
    page.evaluate("() => document.querySelector('.ar-body').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    check_beside(page, "Notebook 7")
    shoot(page, "10-notebook7")


@pytest.mark.browser
def test_output_in_its_own_tab(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    page = open_default_layout(new_page, lab_server, fresh_course)
    # "Create New View for Output" on the reader's cell (the last one).
    page.evaluate(
        """async () => {
          const panel = window.jupyterapp.shell.currentWidget;
          panel.content.activeCellIndex = panel.content.widgets.length - 1;
          await window.jupyterapp.commands.execute('notebook:create-output-view');
        }"""
    )
    view = page.locator(".jp-LinkedOutputView .ar-reader")
    expect(view).to_be_visible(timeout=20_000)
    page.evaluate("() => document.querySelector('.jp-LinkedOutputView .ar-body').scrollIntoView()")
    page.wait_for_timeout(500)
    check_beside(page, "an output in its own tab", ".jp-LinkedOutputView .ar-reader")
    shoot(page, "11-output-view")


@pytest.mark.browser
def test_dark_theme_editor_markers_and_keyboard_mode(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    """The new parts in the dark theme: the editor beside the passage, a marker, the keyboard
    selection's focus ring; axe finds nothing serious in them (the scan of the other helper's
    unclipped harness covers contrast)."""
    page = open_default_layout(new_page, lab_server, fresh_course)
    change_theme(page, DARK_THEME)
    page.wait_for_timeout(800)  # the theme's fonts and colours settle
    select_phrase(page, "free trade talks")
    hl = rect(page, ".ar-selbar .ar-sel-highlight")
    page.mouse.click(hl["left"] + 5, hl["top"] + 5)
    expect(page.locator(".ar-live")).to_have_text("Highlight saved.")
    expect(page.locator(".ar-bucket")).to_have_count(1)
    select_phrase(page, "prompted speculation among")
    page.locator(".ar-selbar .ar-sel-note").click()
    expect(page.locator(".ar-note-pop textarea")).to_be_focused()
    shoot(page, "12-dark-editor")
    violations = serious_violations(page)
    assert not violations, describe(violations)
    page.keyboard.press("Escape")
    page.locator(".ar-caret-toggle").click()
    expect(page.locator(".ar-article")).to_be_focused()
    for _ in range(3):
        page.keyboard.press("Control+Shift+ArrowRight")
    expect(page.locator(".ar-selbar")).to_be_visible()
    page.evaluate("() => document.querySelector('.ar-body').scrollIntoView({block: 'start'})")
    ring = page.locator(".ar-article").evaluate("(el) => getComputedStyle(el).outlineWidth")
    assert ring == "3px"
    shoot(page, "13-dark-keyboard-mode")
    violations = serious_violations(page)
    assert not violations, describe(violations)
