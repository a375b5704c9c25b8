"""End-to-end tests of the Annotated Reader widget in a real JupyterLab and Chromium.

Every test that uses the `new_page` fixture (directly or through `reader`) also fails if the
browser console reported an error or warning from our code; see `conftest.new_page`.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from playwright.sync_api import Browser, Locator, Page, expect

from .a11y import audit, contrast, describe
from .lab import (
    ARTIFACTS,
    DARK_THEME,
    LESSON_MODULE,
    LIGHT_THEME,
    ConsoleEntry,
    ConsoleLog,
    LabServer,
    PageFactory,
    change_theme,
    open_notebook,
    wait_for_output,
)

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

EAEU = "Eurasian Economic Union"
MIN_CONTRAST = 4.5  # WCAG 2 AA for body text


# --- what the lesson's own files say the widget must show ------------------------------------


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        data: dict[str, Any] = tomllib.load(f)
    return data


def module_toml() -> dict[str, Any]:
    return read_toml(LESSON_MODULE / "module.toml")


def glossary_entries() -> dict[str, dict[str, Any]]:
    names = module_toml().get("glossaries")
    if names is None:
        names = ["glossary.toml"] if (LESSON_MODULE / "glossary.toml").exists() else []
    return {g["key"]: g for name in names for g in read_toml(LESSON_MODULE / name)["gloss"]}


def prompts() -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in read_toml(LESSON_MODULE / "prompts.toml")["prompt"]}


def reading_paragraphs() -> list[str]:
    reading = LESSON_MODULE / module_toml().get("reading", "reading.md")
    text = reading.read_text(encoding="utf-8")
    return [markdown_text(p) for p in re.split(r"\n\s*\n", text) if p.strip()]


def markdown_text(source: str) -> str:
    """The text a reader sees of some Markdown (tags dropped, entities decoded)."""
    rendered = MarkdownIt("commonmark").render(source)
    spaced = re.sub(r"</?(?:p|li|ul|ol|h[1-6]|blockquote|pre|br)\b[^>]*>", " ", rendered)
    return squash(html.unescape(re.sub(r"<[^>]+>", "", spaced)))


def squash(text: str) -> str:
    return " ".join(text.split())


# --- browser-side measurements ------------------------------------------------------------------


NEXT_FRAME_JS = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


def eaeu_term(page: Page) -> Locator:
    return page.locator(f'.ar-article .ar-gloss[data-gloss="eaeu"]:has-text("{EAEU}")').first


def move_mouse_away(page: Page) -> None:
    page.mouse.move(1, 1)


# --- the harness itself -------------------------------------------------------------------------

PROBE_CELL = '''\
import anywidget

class Probe(anywidget.AnyWidget):
    _esm = """{esm}"""

Probe()
'''
GOOD_ESM = 'export default { render({ el }) { el.innerHTML = "<p class=probe>probe ok</p>"; } };'
# A broken widget's ES module, and what its error says.
BROKEN_ESMS = {
    "render-throws": (
        'export default { render() { throw new Error("probe render failed"); } };',
        "probe render failed",
    ),
    "syntax-error": ("export default { render({ el }) { el.innerHTML = ; } };", "SyntaxError"),
}


def write_probe_notebook(path: Path, esm: str) -> None:
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        },
        "cells": [
            {
                "cell_type": "code",
                "id": "probe",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": PROBE_CELL.format(esm=esm),
            }
        ],
    }
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


OURS = [
    ConsoleEntry("pageerror", "TypeError: x is undefined", ""),
    ConsoleEntry("error", "boom", "blob:http://127.0.0.1:8888/1f2e:3"),
    ConsoleEntry("warning", "no .ar-gloss-popup found", ""),
    ConsoleEntry("error", "Failed to load model class 'AnyModel' from module 'anywidget'", ""),
    ConsoleEntry("error", "Reader: bad lesson payload", ""),
]
NOT_OURS = [
    ConsoleEntry("error", "Failed to load resource: 404", "http://h/api/contents/x:0"),
    ConsoleEntry("warning", "jp-sidebar-toolbar-button missing", "http://h/lab/x.js:9"),
    ConsoleEntry("warning", "FileReader aborted", "http://h/lab/x.js:9"),
    ConsoleEntry(
        "warning",
        "Plugin anywidget:plugin (with 0 dependants) took 5593.70ms to activate.",
        "http://h/static/lab/jlab_core.8811dd.js?v=8811dd:13198",
    ),
]


@pytest.mark.parametrize("entry", OURS, ids=str)
def test_console_entries_from_our_code_are_ours(entry: ConsoleEntry) -> None:
    assert entry.is_ours()


@pytest.mark.parametrize("entry", NOT_OURS, ids=str)
def test_jupyterlab_console_noise_is_not_ours(entry: ConsoleEntry) -> None:
    assert not entry.is_ours()


@pytest.mark.browser
def test_harness_passes_a_working_widget(new_page: PageFactory, lab_server: LabServer) -> None:
    write_probe_notebook(lab_server.root_dir / "probe-good.ipynb", GOOD_ESM)
    page = new_page()
    open_notebook(page, lab_server, "probe-good.ipynb")
    wait_for_output(page, "p.probe")
    expect(page.locator("p.probe")).to_have_text("probe ok")


@pytest.mark.browser
@pytest.mark.parametrize("kind", sorted(BROKEN_ESMS))
def test_harness_catches_a_broken_widget(
    kind: str, lab_browser: Browser, lab_server: LabServer
) -> None:
    # A broken widget shows an empty output and no error on the page: only the console knows.
    name = f"probe-{kind}.ipynb"
    esm, message = BROKEN_ESMS[kind]
    write_probe_notebook(lab_server.root_dir / name, esm)
    context = lab_browser.new_context()
    try:
        page = context.new_page()
        log = ConsoleLog()
        log.attach(page)
        open_notebook(page, lab_server, name)
        page.locator(".jp-OutputArea-output").first.wait_for(state="attached", timeout=60_000)
        for _ in range(100):
            if any(message in entry.text for entry in log.ours()):
                break
            page.wait_for_timeout(100)
        else:
            pytest.fail(f"the collector missed {message!r}; it saw {log.entries}")
    finally:
        context.close()


# --- the reader ---------------------------------------------------------------------------------


@pytest.mark.browser
def test_article_title_and_source_are_shown(reader: Page) -> None:
    root = reader.locator(".ar-reader")
    expect(root).to_have_attribute("role", "region")
    expect(root).to_have_attribute("aria-label", re.compile(r"^Annotated reader"))

    meta = module_toml()
    expect(root.locator(".ar-header .ar-title")).to_have_text(meta["title"])
    source = root.locator(".ar-header .ar-source")
    expect(source).to_be_visible()
    attribution = squash(source.inner_text())
    named = [meta["source"].get(k) for k in ("title", "author", "venue") if meta["source"].get(k)]
    assert any(squash(n) in attribution for n in named), (attribution, named)

    article = root.locator("article.ar-article")
    expect(article).to_be_visible()
    text = squash(article.inner_text())
    assert reading_paragraphs()[0] in text, (
        f"first paragraph missing; article starts {text[:300]!r}"
    )
    assert "haven\u2019t notice" in text  # the source's typo, kept verbatim

    paragraphs = reading_paragraphs()
    blocks = article.locator(".ar-block")
    ids = blocks.evaluate_all("els => els.map((e) => e.dataset.block)")
    assert len(ids) == len(paragraphs), (
        f"{len(ids)} .ar-block elements in the article for {len(paragraphs)} paragraphs"
    )
    assert all(ids) and len(set(ids)) == len(ids), f"data-block ids missing or repeated: {ids}"
    assert [squash(t) for t in blocks.all_inner_texts()] == paragraphs


@pytest.mark.browser
def test_gloss_opens_by_hover_click_and_keyboard(reader: Page) -> None:
    page = reader
    term = eaeu_term(page)
    popup = page.locator(".ar-gloss-popup")
    expect(popup).to_have_count(1)
    expect(popup).to_have_attribute("role", "dialog")
    expect(popup).to_be_hidden()
    assert popup.get_attribute("hidden") is not None, "a closed popup carries `hidden`"
    expect(term).to_have_attribute("role", "button")
    # One Tab stop per paragraph (a roving tabindex): the term is a stop or reached by arrows.
    expect(term).to_have_attribute("tabindex", re.compile(r"^(0|-1)$"))
    expect(term).to_have_attribute("aria-expanded", "false")
    assert term.get_attribute("aria-controls") == popup.get_attribute("id"), (
        term.get_attribute("aria-controls"),
        popup.get_attribute("id"),
    )

    entry = glossary_entries()["eaeu"]
    definition = markdown_text(entry["definition"])

    def expect_open(how: str) -> None:
        expect(popup, f"the gloss opens by {how}").to_be_visible(timeout=1_000)
        expect(term, f"aria-expanded after {how}").to_have_attribute("aria-expanded", "true")
        expect(popup.locator(".ar-gloss-term")).to_contain_text(EAEU)
        shown = squash(popup.locator(".ar-gloss-definition").inner_text())
        assert definition[:60] in shown, f"definition {definition[:60]!r} not in {shown!r}"
        hrefs = popup.locator(".ar-gloss-sources a").evaluate_all("as => as.map((a) => a.href)")
        assert [s["url"] for s in entry.get("sources", [])] == hrefs

    def expect_closed(how: str) -> None:
        expect(popup, f"Escape closes the gloss opened by {how}").to_be_hidden()
        expect(term, f"aria-expanded after {how} + Escape").to_have_attribute(
            "aria-expanded", "false"
        )

    term.scroll_into_view_if_needed()
    term.hover()
    expect_open("hover")
    page.keyboard.press("Escape")
    expect_closed("hover")
    move_mouse_away(page)

    term.click()
    expect_open("click")
    page.keyboard.press("Escape")
    expect_closed("click")
    move_mouse_away(page)

    term.focus()
    page.keyboard.press("Enter")
    expect_open("focus + Enter")
    page.keyboard.press("Escape")
    expect_closed("focus + Enter")
    expect(term, "focus returns to the term after Escape").to_be_focused()


@pytest.mark.browser
def test_prompts_follow_their_anchors_and_comments_follow_the_article(reader: Page) -> None:
    expected = prompts()
    assert len(expected) >= 3
    cards = reader.locator(".ar-prompt")
    shown = cards.evaluate_all("els => els.map((e) => e.dataset.prompt)")
    assert sorted(shown) == sorted(expected)
    for card in cards.all():
        prompt = expected[str(card.get_attribute("data-prompt"))]
        question = markdown_text(prompt["question"])[:60]
        assert question in squash(card.inner_text()), f"{prompt['id']}: no {question!r}"

    # Each card follows the block that holds its anchor: the quote, wrapped in marks (more than
    # one where the quote crosses a gloss).
    anchored = reader.evaluate(
        """() => {
          const found = {};
          let block = null;
          for (const el of document.querySelectorAll(".ar-article [data-block], .ar-prompt")) {
            if (el.parentElement.closest(".ar-prompt")) continue;
            if (el.matches("[data-block]")) { block = el; continue; }
            const id = el.dataset.prompt;
            const marks = block ? block.querySelectorAll(
              `mark.ar-prompt-anchor[data-prompt="${CSS.escape(id)}"]`) : [];
            found[id] = [...marks].map((m) => m.textContent).join("");
          }
          return found;
        }"""
    )
    quotes = {key: squash(p["quote"]) for key, p in expected.items()}
    assert {key: squash(text) for key, text in anchored.items()} == quotes

    comments = reader.locator("section.ar-comments")
    expect(comments).to_be_visible()
    expect(comments.get_by_role("heading").filter(has_text="Reader comments").first).to_be_visible()
    items = comments.locator(".ar-comment")
    expect(items).to_have_count(4)
    expect(items.first).to_contain_text("Yeah, you're right.")
    assert comments.evaluate("(s) => !s.closest('.ar-article')"), "comments inside the article"
    assert reader.locator("article.ar-article").evaluate(
        "(a) => Boolean(a.compareDocumentPosition(document.querySelector('section.ar-comments'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    ), "comments are not below the article"


@pytest.mark.browser
def test_glossary_panel_lists_terms_and_jumps_to_them(reader: Page) -> None:
    toggle = reader.locator(".ar-glossary-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    panel = reader.locator(".ar-glossary")
    expect(panel).to_be_visible()

    entries = panel.locator("button.ar-glossary-entry")
    keys = entries.evaluate_all("els => els.map((e) => e.dataset.gloss)")
    assert sorted(keys) == sorted(glossary_entries()), "the panel must list every entry once"

    panel.locator('button.ar-glossary-entry[data-gloss="eaeu"]').click()
    first = reader.locator('.ar-article .ar-gloss[data-gloss="eaeu"]').first
    expect(first).to_be_focused()
    expect(first).to_be_in_viewport()


def assert_legible(page: Page, theme: str) -> None:
    selectors = [
        ".ar-article [data-block]",
        ".ar-article .ar-gloss",
        ".ar-article mark.ar-prompt-anchor",
        ".ar-prompt",
        ".ar-comment",
    ]
    failures = []
    for selector in selectors:
        result = contrast(page.locator(selector).first)
        if result["ratio"] < MIN_CONTRAST:
            failures.append(f"{selector}: {result}")
    assert not failures, f"text below {MIN_CONTRAST}:1 contrast in {theme}:\n" + "\n".join(failures)


@pytest.mark.browser
def test_both_themes_are_legible(reader: Page) -> None:
    assert_legible(reader, LIGHT_THEME)
    change_theme(reader, DARK_THEME)
    reader.evaluate(NEXT_FRAME_JS)
    assert_legible(reader, DARK_THEME)


@pytest.mark.browser
def test_screenshots_in_both_themes(reader: Page) -> None:
    # The notebook scrolls inside the page, so an element screenshot would cut the widget off at
    # the window's edge: make the window as tall as the widget instead.
    root = reader.locator(".ar-reader")
    height = root.evaluate("(el) => el.getBoundingClientRect().height")
    reader.set_viewport_size({"width": 1280, "height": min(int(height) + 400, 12_000)})
    reader.evaluate(NEXT_FRAME_JS)
    root.scroll_into_view_if_needed()
    root.screenshot(path=ARTIFACTS / "reader-light.png")
    change_theme(reader, DARK_THEME)
    reader.evaluate(NEXT_FRAME_JS)
    root.screenshot(path=ARTIFACTS / "reader-dark.png")


def serious_violations(page: Page, scope: str | None = None) -> list[dict[str, Any]]:
    """The unclipped axe audit (tests/ui/a11y.py): of the widget and its popup, or of `scope`."""
    return audit(page, scope)


@pytest.mark.browser
def test_no_serious_accessibility_violations(reader: Page) -> None:
    violations = serious_violations(reader)
    assert not violations, describe(violations)

    term = eaeu_term(reader)
    term.focus()
    reader.keyboard.press("Enter")
    expect(reader.locator(".ar-gloss-popup")).to_be_visible()
    violations = serious_violations(reader)
    assert not violations, "with the gloss open:\n" + describe(violations)


@pytest.mark.browser
def test_narrow_width_has_no_horizontal_overflow(open_reader: PageFactory) -> None:
    width = 420
    page = open_reader({"width": width, "height": 800})
    overflow = page.locator(".ar-reader").evaluate(
        "(el) => ({scrollWidth: el.scrollWidth, clientWidth: el.clientWidth})"
    )
    assert overflow["scrollWidth"] <= overflow["clientWidth"] + 1, overflow

    term = eaeu_term(page)
    term.scroll_into_view_if_needed()
    term.click()
    popup = page.locator(".ar-gloss-popup")
    expect(popup).to_be_visible()
    box = popup.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"popup {box} leaves the screen"
