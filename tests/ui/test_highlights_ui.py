"""Highlights in a real JupyterLab: overlapping annotations painted as segments, a click on a
shared passage lists every card on it, edits and deletes repaint, and the highlights speak to
screen readers (start and end markers, names) and to the keyboard (one Tab stop, Enter opens the
card).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from reader_ext import AnnotationStore, load_lesson
from reader_ext.widget.session import ReaderSession

from .a11y import describe
from .lab import ARTIFACTS, DARK_THEME, LabServer, PageFactory, change_theme
from .test_annotate_ui import ME, MODULE, card_with, open_lesson, select_span_with_mouse
from .test_reader_ui import serious_violations

# "... promising that all contracts will be fulfilled since the two have always cooperated ..."
# (plain text: no glossed term inside, whose own button would hold the marks)
PHRASE = "all contracts will be fulfilled since the two"
BLOCK_JS = """(phrase) => [...document.querySelectorAll('.ar-article [data-block]')]
  .find((b) => b.textContent.includes(phrase)).dataset.block"""


def annotate(course: Path, user: str, kind: str, phrase: str, body: str = "") -> None:
    """Save an annotation on the first ``phrase`` of the reading as ``user``, as a kernel does."""
    lesson = load_lesson(course / MODULE)
    start = lesson.document.text.index(phrase)
    msg: dict[str, Any] = {"type": "create", "kind": kind, "start": start}
    msg["end"] = start + len(phrase)
    if kind == "note":
        msg["body"] = body
    with AnnotationStore(course / MODULE / "annotations.sqlite") as store:
        answer = ReaderSession(lesson, store, user).handle(msg)
    assert answer["type"] == "saved", answer


def overlapping(course: Path) -> None:
    """ana's note, my highlight and bo's note overlapping on "fulfilled"."""
    annotate(course, "ana", "note", "all contracts will be fulfilled", "Why now?")
    annotate(course, ME, "highlight", "contracts will be fulfilled since")
    annotate(course, "bo", "note", "fulfilled", "The key word")


def block_marks(page: Page) -> Locator:
    block = page.evaluate(BLOCK_JS, PHRASE)
    return page.locator(f'.ar-article [data-block="{block}"] mark.ar-hl')


def shot(page: Page, name: str, show: Locator | None = None) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    if show is not None:
        show.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    page.screenshot(path=ARTIFACTS / f"highlights-{name}.png")


@pytest.mark.browser
def test_overlaps_are_segments_and_a_click_lists_every_card(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    overlapping(fresh_course)
    page = open_lesson(new_page, lab_server, fresh_course)
    marks = block_marks(page)
    # Three annotations, four distinct stretches: one mark each (no per-annotation marks).
    expect(marks).to_have_count(4)
    assert marks.all_text_contents() == ["all ", "contracts will be ", "fulfilled", " since"]
    # Mine differ from others' by more than hue: a single line, others' a double one.
    styles = [m.evaluate("(el) => getComputedStyle(el).borderBottomStyle") for m in marks.all()]
    assert styles == ["double", "solid", "solid", "solid"], styles
    assert "ar-hl-3" in (marks.nth(2).get_attribute("class") or "")
    only_mine = block_marks(page).nth(3)
    assert only_mine.evaluate("(el) => getComputedStyle(el).borderBottomStyle") == "solid"
    assert "ar-hl-other" not in (only_mine.get_attribute("class") or "")

    # Hovering a card lights its passage only.
    card_with(page, "Why now?").locator(".ar-card-meta").hover()
    expect(page.locator("mark.ar-hl-lit")).to_have_count(3)
    assert page.locator("mark.ar-hl-lit").all_text_contents() == [
        "all ",
        "contracts will be ",
        "fulfilled",
    ]
    page.mouse.move(5, 450)

    # A click on "fulfilled", which all three share, lists the three cards and nothing else.
    talks = marks.nth(2)
    talks.scroll_into_view_if_needed()
    talks.click()
    only = page.locator(".ar-side .ar-only")
    expect(only).to_be_visible()
    expect(only).to_contain_text("Showing the 3 annotations")
    cards = page.locator(".ar-side .ar-list > .ar-card")
    expect(cards).to_have_count(3)
    expect(cards.first).to_be_focused()
    for i in range(3):
        expect(cards.nth(i)).to_be_in_viewport(ratio=0.95)
    # (The passage itself scrolls away: the side list is sticky, but JupyterLab's output area
    # scrolls on its own (overflow: auto), so it sticks to nothing and sits above the text.)
    shot(page, "click-shared")
    # A passage of one annotation goes to its card in the whole list.
    only.locator(".ar-only-all").click()
    expect(only).to_be_hidden()
    marks.nth(0).click()
    expect(card_with(page, "Why now?")).to_be_focused()
    expect(only).to_be_hidden()


@pytest.mark.browser
def test_adding_deleting_undoing_and_filtering_repaint(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    annotate(fresh_course, "ana", "note", "all contracts will be fulfilled", "Why now?")
    page = open_lesson(new_page, lab_server, fresh_course)
    marks = block_marks(page)
    expect(marks).to_have_count(1)

    # Highlight "fulfilled since the two" with the mouse: the overlap splits into segments.
    select_span_with_mouse(page, "fulfilled", " since the two")
    page.locator(".ar-selbar .ar-sel-highlight").click()
    # (The page jumps ~1,000 px here, as on main: focus falls to the page body once the
    # toolbar hides, issue 16 item 1, the selection toolbar's work; not asserted here.)
    expect(marks).to_have_count(3)
    assert marks.all_text_contents() == ["all contracts will be ", "fulfilled", " since the two"]
    shot(page, "added", marks.first)

    # Delete it: back to one mark; undo: three again.
    mine = page.locator(".ar-side .ar-list > .ar-card.ar-card-mine")
    mine.locator(".ar-delete").click()
    expect(marks).to_have_count(1)
    assert marks.all_text_contents() == ["all contracts will be fulfilled"]
    page.locator(".ar-toast .ar-undo").click()
    expect(marks).to_have_count(3)

    # The filters show in the text what they show in the list.
    page.locator(".ar-filter-who").select_option("mine")
    expect(marks).to_have_count(1)
    assert marks.all_text_contents() == ["fulfilled since the two"]
    page.locator(".ar-filter-who").select_option("all")
    expect(marks).to_have_count(3)
    shot(page, "filtered-back", marks.first)


def ax_nodes(page: Page) -> list[dict[str, Any]]:
    """Chromium's own accessibility tree (what a screen reader gets)."""
    cdp = page.context.new_cdp_session(page)
    try:
        return list(cdp.send("Accessibility.getFullAXTree")["nodes"])
    finally:
        cdp.detach()


def ax_name(node: dict[str, Any]) -> str:
    return str(node.get("name", {}).get("value", ""))


def ax_role(node: dict[str, Any]) -> str:
    return str(node.get("role", {}).get("value", ""))


@pytest.mark.browser
def test_screen_readers_hear_where_highlights_start_and_end(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    overlapping(fresh_course)
    page = open_lesson(new_page, lab_server, fresh_course)
    expect(block_marks(page)).to_have_count(4)
    nodes = ax_nodes(page)
    texts = [ax_name(n).strip() for n in nodes if ax_role(n) in ("StaticText", "text")]
    assert "note by ana start" in texts, [t for t in texts if "start" in t or "end" in t]
    assert "highlight by you start" in texts
    assert "note by bo start" in texts
    assert "2 annotations end: note by ana, note by bo" in texts
    assert "highlight by you end" in texts
    buttons = [ax_name(n) for n in nodes if ax_role(n) == "button"]
    assert any("note by ana start" in b and "all" in b for b in buttons), buttons[-20:]
    assert any("highlight by you start" in b for b in buttons)

    # Copying the passage, and finding text in the page, see only the reading's words.
    copied = page.evaluate(
        """(phrase) => {
          const block = [...document.querySelectorAll('.ar-article [data-block]')]
            .find((b) => b.textContent.includes(phrase));
          const range = document.createRange();
          range.selectNodeContents(block);
          const sel = document.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          const text = sel.toString();
          sel.removeAllRanges();
          return text;
        }""",
        PHRASE,
    )
    assert PHRASE in copied and " start" not in copied and "by ana" not in copied
    assert not page.evaluate("() => window.find('note by ana start')")

    # axe finds nothing serious in the highlighted paragraph, light or dark.
    block = page.evaluate(BLOCK_JS, PHRASE)
    scope = f'.ar-article [data-block="{block}"]'
    violations = serious_violations(page, scope)
    assert not violations, describe(violations)
    shot(page, "light", block_marks(page).first)
    change_theme(page, DARK_THEME)
    violations = serious_violations(page, scope)
    assert not violations, "dark:\n" + describe(violations)
    shot(page, "dark", block_marks(page).first)


@pytest.mark.browser
def test_one_tab_stop_arrows_and_enter_opens_the_card(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    overlapping(fresh_course)
    annotate(fresh_course, "cy", "note", "successful foreign policy model", "A model?")
    page = open_lesson(new_page, lab_server, fresh_course)
    stops = page.locator(".ar-article mark.ar-hl[tabindex]")
    expect(stops).to_have_count(4)  # one per place where annotations start
    expect(page.locator('.ar-article mark.ar-hl[tabindex="0"]')).to_have_count(1)

    # Tab from the element before the first highlight lands on it (one stop, not four).
    first = stops.first
    first.evaluate(
        """(mark) => {
          const all = [...document.querySelectorAll('[tabindex="0"], a[href], button')]
            .filter((el) => el.compareDocumentPosition(mark) & Node.DOCUMENT_POSITION_FOLLOWING
              && el.closest('.ar-reader'));
          all.at(-1).focus();
        }"""
    )
    page.keyboard.press("Tab")
    expect(first).to_be_focused()
    shot(page, "focused")
    page.keyboard.press("ArrowRight")
    expect(stops.nth(1)).to_be_focused()
    assert stops.nth(1).get_attribute("tabindex") == "0"
    assert first.get_attribute("tabindex") == "-1"
    page.keyboard.press("End")
    expect(stops.nth(3)).to_be_focused()
    page.keyboard.press("Home")
    expect(first).to_be_focused()

    # Enter on ana's start opens ana's card; on "successful foreign policy model", cy's.
    page.keyboard.press("Enter")
    card = card_with(page, "Why now?")
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport(ratio=0.95)
    shot(page, "enter-card")
    stops.nth(3).focus()
    page.keyboard.press("Enter")
    expect(card_with(page, "A model?")).to_be_focused()
    # Tab again comes back to the highlight last used, not to the first.
    assert stops.nth(3).get_attribute("tabindex") == "0"
