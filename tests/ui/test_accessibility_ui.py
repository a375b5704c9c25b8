"""WCAG 2.2 AA in a real JupyterLab: the unclipped axe audit of every state in both themes,
contrast measured on computed colours, reduced motion, status messages and the APG patterns.

The audit itself (unclipping, the check that axe saw the widget, contrast) is `tests/ui/a11y.py`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from reader_ext import AnnotationStore, load_lesson
from reader_ext.widget.session import ReaderSession

from .a11y import EVERY_IMPACT, NEXT_FRAME_JS, audit, contrast, describe, unclipped
from .lab import (
    ARTIFACTS,
    DARK_THEME,
    LIGHT_THEME,
    LabServer,
    PageFactory,
    change_theme,
    open_notebook,
    wait_for_output,
)
from .test_annotate_ui import LOADED, MODULE, open_note_editor, select_phrase_with_mouse
from .test_instructor_ui import class_store, instructor_notebook

ME = os.environ.get("JUPYTERHUB_USER") or __import__("getpass").getuser()


def seed_notes(course: Path) -> None:
    """Mine and others' notes, a highlight, a reply and an answer: every kind of card."""
    lesson = load_lesson(course / MODULE)
    text = lesson.document.text
    with AnnotationStore(course / MODULE / "annotations.sqlite") as store:
        mine = ReaderSession(lesson, store, ME)
        theirs = ReaderSession(lesson, store, "someone-else")

        def span(phrase: str) -> dict[str, int]:
            start = text.index(phrase)
            return {"start": start, "end": start + len(phrase)}

        note = mine.handle(
            {"type": "create", "kind": "note", **span("free trade talks"), "body": "Why *now*?",
             "tags": ["trade"]}
        )  # fmt: skip
        assert note["type"] == "saved", note
        mine.handle({"type": "create", "kind": "highlight", **span("Global South")})
        other = theirs.handle(
            {"type": "create", "kind": "note", **span("strategic autonomy"), "body": "Theirs"}
        )
        assert other["type"] == "saved", other
        mine.handle({"type": "create", "kind": "reply", "reply_to": other["annotation"]["id"],
                     "body": "I agree"})  # fmt: skip
        mine.handle({"type": "create", "kind": "answer", "prompt": lesson.prompts[0].id,
                     "body": "Because the ambassador said so."})  # fmt: skip


def open_course(new_page: PageFactory, server: LabServer, notebook: Path) -> Page:
    page = new_page()
    open_notebook(page, server, notebook.relative_to(server.root_dir).as_posix())
    wait_for_output(page, LOADED)
    return page


def gloss_open(page: Page) -> None:
    term = page.locator('.ar-article .ar-gloss[data-gloss="eaeu"]').first
    term.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".ar-gloss-popup")).to_be_visible()


def glossary_open(page: Page) -> None:
    page.locator(".ar-glossary-toggle").click()
    expect(page.locator(".ar-glossary")).to_be_visible()


def editor_open(page: Page) -> None:
    open_note_editor(page, "North-South Transport Corridor")
    editor = page.locator("form.ar-editor").first
    expect(editor).to_be_visible()
    editor.locator("textarea").fill("x" * 20_001)
    editor.locator(".ar-save").click()  # refused: the error is shown too
    expect(editor.locator(".ar-editor-error")).not_to_be_empty()
    # and an answer form, on a prompt not answered yet
    page.locator('.ar-prompt[data-answered="false"] .ar-answer-open').first.click()


def cards_shown(page: Page) -> None:
    expect(page.locator(".ar-side .ar-list > .ar-card")).to_have_count(4)
    select_phrase_with_mouse(page, "North-South Transport Corridor")  # with the selection bar
    expect(page.locator(".ar-selbar")).to_be_visible()


def keyboard_selection(page: Page) -> None:
    caret = page.locator(".ar-caret-toggle")
    caret.focus()
    page.keyboard.press("Enter")
    expect(caret).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Control+Home")
    for _ in range(3):
        page.keyboard.press("Control+Shift+ArrowRight")


def heat_on(page: Page) -> None:
    page.locator(".ar-heat-toggle").click()
    expect(page.locator("mark.ar-heat-5").first).to_be_visible()


STATES: dict[str, Callable[[Page], None]] = {
    "initial": lambda page: None,
    "gloss-open": gloss_open,
    "glossary-open": glossary_open,
    "editor-open": editor_open,
    "cards": cards_shown,
    "keyboard-selection": keyboard_selection,
    "instructor-heat": heat_on,
}


def screenshot(page: Page, name: str) -> None:
    with unclipped(page):
        page.locator(".ar-reader").screenshot(path=ARTIFACTS / f"a11y-{name}.png")


@pytest.mark.browser
@pytest.mark.parametrize("state", list(STATES))
def test_axe_finds_nothing_in_any_state_or_theme(
    state: str, new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    if state == "instructor-heat":
        class_store(fresh_course)
        notebook = instructor_notebook(fresh_course)
    else:
        seed_notes(fresh_course)
        notebook = fresh_course / MODULE / "lesson.ipynb"
    page = open_course(new_page, lab_server, notebook)
    STATES[state](page)
    found = []
    for theme in (LIGHT_THEME, DARK_THEME):
        if theme == DARK_THEME:
            change_theme(page, DARK_THEME)
            page.evaluate(NEXT_FRAME_JS)
        violations = audit(page, impacts=EVERY_IMPACT)
        screenshot(page, f"{state}-{'dark' if theme == DARK_THEME else 'light'}")
        if violations:
            found.append(f"{theme}:\n{describe(violations)}")
    assert not found, f"{state}:\n" + "\n".join(found)


# --- contrast measured on computed colours (issue 16, item 3) ------------------------------------

ART = ".ar-article"  # the page behind the reading
TEXT = 4.5  # WCAG 1.4.3
NON_TEXT = 3.0  # WCAG 1.4.11


def theme_name(theme: str) -> str:
    return "dark" if theme == DARK_THEME else "light"


def measure_pairs(page: Page, pairs: list[tuple[str, str, str, float, str | None]]) -> list[str]:
    """Each (label, selector, property, minimum, against) measured; the failures, described."""
    failures = []
    for label, selector, prop, minimum, against in pairs:
        element = page.locator(selector).first
        expect(element, f"{label}: {selector}").to_be_attached()
        back = page.locator(against).first if against else None
        result = contrast(element, prop, back)
        if result["ratio"] < minimum:
            failures.append(f"{label} ({selector} {prop}): {result} < {minimum}")
    return failures


@pytest.mark.browser
def test_named_colour_pairs_meet_wcag_in_both_themes(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    seed_notes(fresh_course)
    page = open_course(new_page, lab_server, fresh_course / MODULE / "lesson.ipynb")
    editor_open(page)  # a refused note: its error text
    answered = '.ar-prompt[data-answered="true"]'
    expect(page.locator(f"{answered} .ar-answer-status")).to_have_text("✓ Answered")
    pairs: list[tuple[str, str, str, float, str | None]] = [
        ("prompt level line", ".ar-prompt-level", "color", TEXT, None),
        ("prompt's quoted passage", ".ar-prompt-quote", "color", TEXT, None),
        ("✓ Answered", f"{answered} .ar-answer-status", "color", TEXT, None),
        ("note error text", ".ar-editor-error:not(:empty)", "color", TEXT, None),
        ("muted card text", ".ar-card-meta", "color", TEXT, None),
        ("highlight in a glossed term", ".ar-gloss .ar-hl, .ar-hl .ar-gloss", "color", TEXT, None),
        ("select border", ".ar-filter select", "border-top-color", NON_TEXT, None),
        ("textarea border", ".ar-editor textarea", "border-top-color", NON_TEXT, None),
        ("prompt-anchor underline", "mark.ar-prompt-anchor", "border-bottom-color", NON_TEXT, None),
        ("anchor underline, page", "mark.ar-prompt-anchor", "border-bottom-color", NON_TEXT, ART),
        ("my highlight's underline", ".ar-hl-mine", "border-bottom-color", NON_TEXT, ART),
        ("others' highlight underline", ".ar-hl-other", "border-bottom-color", NON_TEXT, ART),
    ]
    failures = []
    for theme in (LIGHT_THEME, DARK_THEME):
        if theme == DARK_THEME:
            change_theme(page, DARK_THEME)
            page.evaluate(NEXT_FRAME_JS)
        found = measure_pairs(page, pairs)
        # A highlighted glossed term, open: its text on the gloss's hover background.
        term = page.locator(".ar-gloss:has(.ar-hl), .ar-hl .ar-gloss").first
        term.hover()
        page.evaluate(NEXT_FRAME_JS)
        hovered = ".ar-gloss:hover .ar-hl, .ar-hl .ar-gloss:hover"
        found += measure_pairs(page, [("open glossed highlight", hovered, "color", TEXT, None)])
        page.mouse.move(1, 1)
        page.keyboard.press("Escape")
        # The focus ring on a prompt's button, shown by keyboard focus.
        button = page.locator(".ar-prompt .ar-answer-edit, .ar-prompt .ar-answer-open").first
        button.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        expect(button).to_be_focused()
        ring = ("focus ring on a prompt button", ".ar-prompt button:focus", "outline-color")
        found += measure_pairs(page, [(*ring, NON_TEXT, ".ar-prompt")])
        failures += [f"{theme_name(theme)}: {f}" for f in found]
    assert not failures, "\n".join(failures)


@pytest.mark.browser
def test_heat_levels_are_legible_and_differ_by_more_than_tint(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    class_store(fresh_course)
    page = open_course(new_page, lab_server, instructor_notebook(fresh_course))
    heat_on(page)
    levels = [n for n in range(1, 6) if page.locator(f"mark.ar-heat-{n}").count()]
    assert 5 in levels and len(levels) >= 2, levels
    failures = []
    for theme in (LIGHT_THEME, DARK_THEME):
        if theme == DARK_THEME:
            change_theme(page, DARK_THEME)
            page.evaluate(NEXT_FRAME_JS)
        pairs: list[tuple[str, str, str, float, str | None]] = []
        for n in levels:
            mark = f"mark.ar-heat-{n}"
            pairs.append((f"heat {n} text", mark, "color", TEXT, None))
            pairs.append((f"heat {n} underline", mark, "border-bottom-color", NON_TEXT, ART))
        failures += [f"{theme_name(theme)}: {f}" for f in measure_pairs(page, pairs)]
        with unclipped(page):
            page.locator(".ar-heat-legend").screenshot(
                path=ARTIFACTS / f"a11y-heat-legend-{theme_name(theme)}.png"
            )
            page.locator("[data-block]:has(mark.ar-heat-5)").first.screenshot(
                path=ARTIFACTS / f"a11y-heat-text-{theme_name(theme)}.png"
            )
    assert not failures, "\n".join(failures)
    # Each level drawn differently, not by tint alone (WCAG 1.4.1): in the text and the legend.
    for where in ("mark", ".ar-heat-swatch"):
        styles = page.evaluate(
            """(where) => [1, 2, 3, 4, 5].map((n) => {
              const el = document.querySelector(`${where}.ar-heat-${n}`);
              if (!el) return null;
              const s = getComputedStyle(el);
              return `${s.borderBottomStyle} ${s.borderBottomWidth}`;
            })""",
            where,
        )
        shown = [s for s in styles if s is not None]
        assert len(set(shown)) == len(shown), f"{where}: heat levels share an underline: {styles}"


# --- reduced motion, focus and announcements (items 8, 9) ----------------------------------------

# The scroll positions of every element that scrolls; the same elements each time after the
# first call of a test (an element that starts scrolling later is no movement of the view).
SCROLLERS_JS = """(fresh) => {
  if (fresh || !window.__arScrollers) {
    window.__arScrollers = [...document.querySelectorAll('*')].filter((el) =>
      el.scrollHeight > el.clientHeight + 1 && getComputedStyle(el).overflowY !== 'visible');
  }
  return window.__arScrollers.map((el) => el.scrollTop);
}"""

LIVE = ".ar-reader > .ar-live"

# Whether an element is inside the visible box of the nearest ancestor that scrolls (the
# notebook, or the reader's own pane) and of the window.
IN_ITS_SCROLLER_JS = """(el) => {
  const box = el.getBoundingClientRect();
  let node = el.parentElement;
  while (node && !/auto|scroll/.test(getComputedStyle(node).overflowY)) node = node.parentElement;
  const view = node ? node.getBoundingClientRect() : {top: 0, bottom: innerHeight};
  const top = Math.max(view.top, 0), bottom = Math.min(view.bottom, innerHeight);
  return box.top >= top - 1 && box.bottom <= bottom + 1;
}"""


def scroll_settles_at_once(page: Page, act: Callable[[], None]) -> None:
    """`act` moves the view, and the scroll positions one frame later are already final."""
    before = page.evaluate(SCROLLERS_JS, True)
    act()
    page.evaluate(NEXT_FRAME_JS)
    first = page.evaluate(SCROLLERS_JS)
    page.wait_for_timeout(800)
    last = page.evaluate(SCROLLERS_JS)
    assert first != before, "nothing scrolled: the test shows nothing"
    assert first == last, f"the view was still moving after a frame: {first} then {last}"


@pytest.mark.browser
def test_reduced_motion_show_in_text_and_glossary_jump(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    seed_notes(fresh_course)
    page = open_course(new_page, lab_server, fresh_course / MODULE / "lesson.ipynb")
    page.emulate_media(reduced_motion="reduce")
    card = page.locator(".ar-side .ar-list > .ar-card").filter(has_text="Why now?")
    show = card.locator(":scope > .ar-card-actions .ar-show")
    page.locator(".ar-comments").scroll_into_view_if_needed()  # the passage is off-screen
    scroll_settles_at_once(page, show.click)
    mark = page.locator(".ar-article mark.ar-hl").filter(has_text="free trade").first
    expect(mark, "Show in text moves the focus to the passage").to_be_focused()
    expect(mark).to_have_attribute("tabindex", re.compile(r"^-1|0$"))
    assert mark.evaluate(IN_ITS_SCROLLER_JS), "the passage is not shown where it scrolls"
    expect(page.locator(LIVE)).to_have_text("Shown in the text: free trade talks")
    show.click()  # again, to look at the flash at once
    flash = mark.evaluate(
        """(m) => ({flash: m.classList.contains("ar-flash"), animations: m.getAnimations().length,
                    outline: getComputedStyle(m).outlineStyle})"""
    )
    # No animation: a still outline instead, for a while.
    assert flash == {"flash": True, "animations": 0, "outline": "solid"}, flash
    expect(mark).not_to_have_class(re.compile(r"\bar-flash\b"), timeout=3_000)

    page.locator(".ar-glossary-toggle").click()
    entry = page.locator('button.ar-glossary-entry[data-gloss="eaeu"]')
    scroll_settles_at_once(page, entry.click)
    term = page.locator('.ar-article .ar-gloss[data-gloss="eaeu"]').first
    expect(term).to_be_focused()
    assert term.evaluate(IN_ITS_SCROLLER_JS), "the term is not shown where it scrolls"

    # Without the preference, the flash does animate (so the check above can fail).
    page.emulate_media(reduced_motion="no-preference")
    page.locator(".ar-comments").scroll_into_view_if_needed()
    show.click()
    assert mark.evaluate("(m) => m.getAnimations().length") > 0


@pytest.mark.browser
def test_filtering_and_deleting_are_announced(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    seed_notes(fresh_course)
    page = open_course(new_page, lab_server, fresh_course / MODULE / "lesson.ipynb")
    title = page.locator(".ar-side-title")
    expect(title).to_have_text("Annotations (4, 3 mine)")
    live = page.locator(LIVE)
    expect(live).to_have_attribute("aria-live", "polite")
    region = live.element_handle()
    page.locator(".ar-filter-who").select_option("mine")
    expect(live).to_have_text("Your annotations: 3 of 4 shown.")
    expect(title).to_have_text("Your annotations (3 of 4 shown)")
    page.locator(".ar-filter-tag").select_option("trade")
    expect(live).to_have_text("Your annotations, tagged “trade”: 1 of 4 shown.")
    expect(title).to_have_text("Your annotations, tagged “trade” (1 of 4 shown)")
    page.locator(".ar-filter-tag").select_option("")
    page.locator(".ar-filter-who").select_option("all")
    expect(title).to_have_text("Annotations (4, 3 mine)")

    # Deleting: the words go into the live region that was in the page all along.
    card = page.locator(".ar-side .ar-list > .ar-card").filter(has_text="Why now?")
    card.locator(":scope > .ar-card-actions .ar-delete").click()
    expect(live).to_have_text("Note deleted.")
    assert live.element_handle().evaluate("(el, old) => el === old", region)
    toast = page.locator(".ar-toast")
    expect(toast).to_be_visible()
    assert toast.get_attribute("role") != "status", "a live region revealed with its text"
    undo = toast.locator(".ar-undo")
    expect(undo).to_be_focused()
    expect(undo).to_have_attribute("aria-label", "Undo: your note on “free trade talks”")


# --- patterns (item 10) -------------------------------------------------------------------------


def focused_class(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement?.className ?? ''"))


@pytest.mark.browser
def test_toolbars_move_by_arrow_keys_with_one_tab_stop(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    page = open_course(new_page, lab_server, fresh_course / MODULE / "lesson.ipynb")
    tools = page.locator(".ar-toolbar[role=toolbar] button:not([hidden])")
    names = tools.evaluate_all("bs => bs.map((b) => b.className)")
    assert len(names) >= 2, names
    stops = tools.evaluate_all("bs => bs.filter((b) => b.tabIndex === 0).length")
    assert stops == 1, "a toolbar is one Tab stop"
    tools.first.focus()
    page.keyboard.press("ArrowRight")
    assert focused_class(page) == names[1]
    page.keyboard.press("End")
    assert focused_class(page) == names[-1]
    page.keyboard.press("ArrowRight")  # wraps
    assert focused_class(page) == names[0]
    page.keyboard.press("ArrowLeft")
    assert focused_class(page) == names[-1]
    page.keyboard.press("Home")
    assert focused_class(page) == names[0]
    page.keyboard.press("ArrowRight")
    assert tools.evaluate_all("bs => bs.map((b) => b.tabIndex)")[1] == 0, "the stop follows"
    # Tab leaves the toolbar at once, Shift+Tab comes back to the button last used.
    page.keyboard.press("Tab")
    assert not page.evaluate("() => document.activeElement.closest('.ar-toolbar')")
    page.keyboard.press("Shift+Tab")
    assert focused_class(page) == names[1]

    select_phrase_with_mouse(page, "North-South Transport Corridor")
    bar = page.locator(".ar-selbar[role=toolbar]")
    expect(bar).to_be_visible()
    buttons = bar.locator("button")
    buttons.first.focus()
    page.keyboard.press("End")
    expect(buttons.last).to_be_focused()
    page.keyboard.press("Home")
    expect(buttons.first).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(buttons.nth(1)).to_be_focused()
    assert buttons.evaluate_all("bs => bs.filter((b) => b.tabIndex === 0).length") == 1


@pytest.mark.browser
def test_repeated_buttons_have_names_of_their_own(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    seed_notes(fresh_course)
    page = open_course(new_page, lab_server, fresh_course / MODULE / "lesson.ipynb")
    for selector, visible in [
        (".ar-prompt .ar-answer-open, .ar-prompt .ar-answer-edit", None),
        (".ar-comment-reply", "Reply"),
        (".ar-card-actions .ar-reply", "Reply"),
        (".ar-card-actions .ar-show", "Show in text"),
    ]:
        buttons = page.locator(selector)
        assert buttons.count() >= 2, selector
        found = buttons.evaluate_all(
            "bs => bs.map((b) => [b.textContent.trim(), b.getAttribute('aria-label') || ''])"
        )
        labels = [label for _, label in found]
        assert len(set(labels)) == len(labels), f"{selector}: names repeat: {labels}"
        for text, label in found:
            assert label.startswith(f"{text}: "), f"the name {label!r} must start with {text!r}"
            if visible:
                assert text == visible
        # The name is what assistive technology gets: one button answers to each.
        for label in labels:
            expect(page.get_by_role("button", name=label, exact=True)).to_have_count(1)


@pytest.mark.browser
def test_mine_and_others_highlights_differ_by_more_than_hue(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    seed_notes(fresh_course)
    page = open_course(new_page, lab_server, fresh_course / MODULE / "lesson.ipynb")
    style = (
        "(el) => { const s = getComputedStyle(el); "
        "return `${s.borderBottomStyle} ${s.borderBottomWidth}`; }"
    )
    mine = page.locator("mark.ar-hl-mine:not(.ar-hl-note)").first.evaluate(style)
    mine_note = page.locator("mark.ar-hl-mine.ar-hl-note").first.evaluate(style)
    theirs_note = page.locator("mark.ar-hl-other.ar-hl-note").first.evaluate(style)
    assert len({mine, mine_note, theirs_note}) == 3, (mine, mine_note, theirs_note)
    card_style = "(el) => getComputedStyle(el).borderLeftStyle"
    mine_card = page.locator(".ar-list > .ar-card-mine").first.evaluate(card_style)
    their_card = page.locator(".ar-list > .ar-card:not(.ar-card-mine)").first.evaluate(card_style)
    assert mine_card != their_card, (mine_card, their_card)
    for theme in (LIGHT_THEME, DARK_THEME):
        if theme == DARK_THEME:
            change_theme(page, DARK_THEME)
            page.evaluate(NEXT_FRAME_JS)
        with unclipped(page):
            for who in ("mine", "other"):
                page.locator(f"[data-block]:has(mark.ar-hl-{who})").first.screenshot(
                    path=ARTIFACTS / f"a11y-highlights-{who}-{theme_name(theme)}.png"
                )
