"""Finding one's way in the reading, as a person sees it in JupyterLab's default layout (1280×900,
the file browser open): search, the glossary's filter and jumps, gloss popups that stay on
screen and keep the keyboard order, one Tab stop per paragraph, the skip link, the dark theme,
and the read-only view where the widget cannot run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from reader_ext import load_lesson
from reader_ext.lessons.model import term_sort_key

from .a11y import contrast
from .lab import ARTIFACTS, DARK_THEME, LESSON_MODULE, change_theme
from .test_reader_ui import MIN_CONTRAST, NEXT_FRAME_JS, eaeu_term

# The part of the window where an element can be seen: the window clipped by every ancestor that
# clips (JupyterLab's notebook panel scrolls inside the page). Written apart from the widget's
# own onscreen.js, so that a mistake there cannot hide here.
VISIBLE_JS = """
(el) => {
  let top = 0, left = 0, bottom = innerHeight, right = innerWidth;
  for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
    const s = getComputedStyle(n);
    const paint = ["paint", "strict", "content"].some((c) => s.contain.includes(c));
    if (s.overflowY === "visible" && s.overflowX === "visible" && !paint) continue;
    const r = n.getBoundingClientRect();
    top = Math.max(top, r.top); left = Math.max(left, r.left);
    bottom = Math.min(bottom, r.bottom); right = Math.min(right, r.right);
  }
  return {top, left, bottom, right};
}
"""
CURRENT_MATCH_JS = """
() => {
  const h = CSS.highlights.get("ar-search-current");
  const all = CSS.highlights.get("ar-search");
  const [range] = h ? [...h] : [];
  if (!range) return null;
  const r = range.getBoundingClientRect();
  return {text: range.toString(), top: r.top, bottom: r.bottom, left: r.left, right: r.right,
          all: all ? all.size : 0};
}
"""
# Every element Tab reaches in the widget, in order (the popup apart: it is reached from its term).
TAB_ORDER_JS = """
(root) => [...root.querySelectorAll(
    "a[href], button, input, select, textarea, summary, [tabindex]")]
  .filter((el) => el.tabIndex >= 0 && !el.closest("[hidden], .ar-gloss-popup")
    && el.getClientRects().length && !el.disabled)
"""


def show_file_browser(page: Page) -> None:
    """JupyterLab's default layout: the file browser open beside the notebook."""
    page.evaluate("() => window.jupyterapp.shell.activateById('filebrowser')")
    page.locator("#filebrowser").wait_for(state="visible")
    page.evaluate(NEXT_FRAME_JS)


def scroller_top(page: Page) -> float:
    return float(
        page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").first.evaluate(
            "(el) => el.scrollTop"
        )
    )


def inside(box: dict[str, float], area: dict[str, float], slack: float = 1) -> bool:
    return (
        box["top"] >= area["top"] - slack
        and box["bottom"] <= area["bottom"] + slack
        and box["left"] >= area["left"] - slack
        and box["right"] <= area["right"] + slack
    )


def rect(locator: Locator) -> dict[str, float]:
    box: dict[str, float] = locator.evaluate(
        "(el) => { const r = el.getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }"
    )
    return box


@pytest.fixture
def lab(reader: Page) -> Page:
    show_file_browser(reader)
    return reader


def folded_count(page: Page, word: str) -> int:
    """How often `word` occurs (any case) in what search looks at: the reading and the prompts'
    quotes and questions."""
    count: int = page.evaluate(
        """(word) => [...document.querySelectorAll(
              ".ar-article [data-block], .ar-article .ar-prompt-quote,"
              + " .ar-article .ar-prompt-question")]
            .filter((el) => !el.parentElement.closest("[data-block]"))
            .map((el) => el.textContent.toLowerCase().split(word).length - 1)
            .reduce((a, b) => a + b, 0)""",
        word.lower(),
    )
    return count


@pytest.mark.browser
def test_search_counts_moves_and_shows_the_current_match(lab: Page) -> None:
    page = lab
    box = page.locator(".ar-search-input")
    expect(box).to_be_visible()
    count = page.locator(".ar-search-count")
    expected = folded_count(page, "india")
    assert expected > 3, "the lesson should mention India often"
    box.fill("INDIA")
    expect(count).to_have_text(f"1 of {expected}")
    first = page.evaluate(CURRENT_MATCH_JS)
    assert first["text"].lower() == "india" and first["all"] == expected, first
    box.press("Enter")
    expect(count).to_have_text(f"2 of {expected}")
    box.press("Shift+Enter")
    box.press("Shift+Enter")  # round the start: the last match, far down the reading
    expect(count).to_have_text(f"{expected} of {expected}")
    last = page.evaluate(CURRENT_MATCH_JS)
    area = page.locator(".ar-article").evaluate(VISIBLE_JS)
    assert inside(last, area), f"the current match {last} is not in the visible reading {area}"
    expect(box).to_be_focused()  # the box keeps the focus while one steps through matches
    # ... and stays in sight, floating at the top of the notebook when its place scrolled away.
    expect(box).to_be_in_viewport()
    assert inside(rect(box), box.evaluate(VISIBLE_JS)), rect(box)
    counter = page.locator(".ar-search-count")
    assert inside(rect(counter), counter.evaluate(VISIBLE_JS)), rect(counter)
    page.screenshot(path=ARTIFACTS / "search-last-match.png")

    box.fill("no such words anywhere")
    expect(count).to_have_text("No matches")
    box.fill("india")
    expect(count).to_have_text(f"1 of {expected}")
    box.press("Escape")
    expect(box).to_have_value("")
    expect(count).to_have_text("")
    assert page.evaluate("() => CSS.highlights.get('ar-search').size") == 0

    # Ctrl+F with the focus in the reader searches the reading, not the notebook.
    term = eaeu_term(page)
    term.focus()
    page.keyboard.press("Control+f")
    expect(box).to_be_focused()
    expect(page.locator(".jp-DocumentSearch-overlay")).to_have_count(0)


@pytest.mark.browser
def test_glossary_filter_sort_and_a_visible_jump(lab: Page) -> None:
    page = lab
    page.locator(".ar-glossary-toggle").click()
    panel = page.locator(".ar-glossary")
    entries = panel.locator("button.ar-glossary-entry")
    terms = entries.all_inner_texts()
    lesson = load_lesson(LESSON_MODULE)
    assert terms == sorted((g.term for g in lesson.glossary), key=term_sort_key)
    # A quoted term sorts under its first letter, not before "A": the first letters, whatever
    # quotation marks come before them, go from A to Z.
    assert any(t[:1] in "\"“‘'«" for t in terms), "the course has quoted terms"
    initials = [re.sub(r"^[\W_]+", "", t)[:1].lower() for t in terms]
    assert initials == sorted(initials, key=term_sort_key), initials

    filter_box = panel.get_by_label("Filter the glossary")
    expect(filter_box).to_be_focused()  # opening the panel puts the focus in its filter
    filter_box.fill("union")
    visible = panel.locator("li:visible button.ar-glossary-entry")
    expect(visible).not_to_have_count(len(terms))
    shown = visible.all_inner_texts()
    assert shown and all("union" in t.lower() for t in shown), shown
    expect(panel.locator(".ar-glossary-status")).to_have_text(f"{len(shown)} of {len(terms)} terms")
    panel.screenshot(path=ARTIFACTS / "glossary-filtered.png")

    panel.locator('button.ar-glossary-entry[data-gloss="eaeu"]').click()
    first = page.locator('.ar-article .ar-gloss[data-gloss="eaeu"]').first
    expect(first).to_be_focused()
    expect(first).to_be_in_viewport()
    # A mouse user sees where the jump went: an outline, not only the (invisible) focus.
    outline = first.evaluate("(el) => getComputedStyle(el).outlineStyle")
    assert outline not in ("none", ""), outline
    page.screenshot(path=ARTIFACTS / "glossary-jump.png")
    filter_box.fill("zzzz")
    expect(panel.locator(".ar-glossary-empty")).to_be_visible()


def put_near_bottom(page: Page, term: Locator) -> None:
    """Scroll what holds the reading (its own pane, or the notebook) so that `term` is the last
    line a reader sees."""
    page.evaluate(
        """(el) => {
          const scrolls = (n) => /auto|scroll/.test(getComputedStyle(n).overflowY)
            && n.scrollHeight > n.clientHeight;
          let outer = el.parentElement;
          while (outer && !scrolls(outer)) outer = outer.parentElement;
          const notebook = el.closest(".jp-WindowedPanel-outer");
          // The notebook first shows the pane whole, then the pane scrolls the term down.
          const top = (n) => n.getBoundingClientRect().top;
          notebook.scrollTop += top(outer) - top(notebook);
          const bottom = Math.min(innerHeight, outer.getBoundingClientRect().bottom);
          outer.scrollTop += el.getBoundingClientRect().bottom - (bottom - 12);
        }""",
        term.element_handle(),
    )
    page.evaluate(NEXT_FRAME_JS)


@pytest.mark.browser
def test_a_gloss_near_the_bottom_opens_above_fully_on_screen(lab: Page) -> None:
    page = lab
    term = page.locator(".ar-article .ar-gloss").nth(20)
    put_near_bottom(page, term)
    area = term.evaluate(VISIBLE_JS)
    at = rect(term)
    assert area["bottom"] - at["bottom"] < 40, (at, area)
    before = scroller_top(page)
    term.click()
    popup = page.locator(".ar-gloss-popup")
    expect(popup).to_be_visible()
    assert scroller_top(page) == before, "opening a gloss scrolled the notebook"
    box = rect(popup)
    assert box["top"] >= 0 and box["bottom"] <= page.evaluate("innerHeight"), box
    assert inside(box, area), f"the popup {box} runs out of the visible notebook {area}"
    assert box["bottom"] <= at["top"] + 1, "near the bottom the popup opens above its term"
    page.screenshot(path=ARTIFACTS / "gloss-near-bottom.png")

    # Scrolled on, the popup follows its term, still beside it and on screen.
    page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").first.evaluate(
        "(el) => { el.scrollTop += 300; }"
    )
    page.evaluate(NEXT_FRAME_JS)
    at, box = rect(term), rect(popup)
    gap = min(abs(at["top"] - box["bottom"]), abs(box["top"] - at["bottom"]))
    assert gap < 12, f"the popup {box} left its term {at}"
    assert inside(box, term.evaluate(VISIBLE_JS)), box


@pytest.mark.browser
def test_tab_from_an_open_gloss_goes_on_after_its_term_and_closes_it(lab: Page) -> None:
    page = lab
    root = page.locator(".ar-reader")
    term = eaeu_term(page)
    term.scroll_into_view_if_needed()
    following = page.evaluate(
        f"""([root, term]) => {{
          const order = ({TAB_ORDER_JS})(root);
          const next = order.find((el) =>
            term.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING
            && !term.contains(el));
          next.dataset.expectedNext = "yes";
          return next.outerHTML.slice(0, 120);
        }}""",
        [root.element_handle(), term.element_handle()],
    )
    term.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".ar-gloss-popup")
    expect(popup).to_be_visible()
    expect(popup).to_be_focused()
    page.screenshot(path=ARTIFACTS / "gloss-open-keyboard.png")
    stops = popup.locator("a[href], button").count()
    for _ in range(stops):
        page.keyboard.press("Tab")
        assert popup.evaluate("(p) => p.contains(document.activeElement)")
    page.keyboard.press("Tab")
    expect(popup).to_be_hidden()
    expect(page.locator("[data-expected-next]"), f"expected {following}").to_be_focused()
    expect(term).to_have_attribute("aria-expanded", "false")

    # Shift+Tab from the popup's first control goes back to the term, and closes it.
    term.focus()
    page.keyboard.press("Enter")
    expect(popup).to_be_visible()
    page.keyboard.press("Tab")
    expect(popup.locator("button, a[href]").first).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(popup).to_be_hidden()
    expect(term).to_be_focused()

    # A popup opened by a click: Tab from its term goes into it, and on from its end past the
    # term, closing it; Shift+Tab from the term closes it too (it never hides the focus).
    term.click()
    expect(popup).to_be_visible()
    page.keyboard.press("Tab")
    expect(popup.locator("button, a[href]").first).to_be_focused()
    for _ in range(stops):
        page.keyboard.press("Tab")
    expect(popup).to_be_hidden()
    expect(page.locator("[data-expected-next]")).to_be_focused()
    term.click()
    expect(popup).to_be_visible()
    page.keyboard.press("Shift+Tab")
    expect(popup).to_be_hidden()
    expect(term).not_to_be_focused()


@pytest.mark.browser
def test_one_tab_stop_per_paragraph_and_a_skip_link(lab: Page) -> None:
    page = lab
    article = page.locator(".ar-article")
    terms = article.locator(".ar-gloss")
    total = terms.count()
    paragraphs = article.evaluate(
        "(a) => new Set([...a.querySelectorAll('.ar-gloss')]"
        ".map((t) => t.closest('[data-block]'))).size"
    )
    stops = article.locator('.ar-gloss[tabindex="0"]')
    expect(stops).to_have_count(paragraphs)
    assert paragraphs < total / 2, (paragraphs, total)
    order = page.locator(".ar-reader").evaluate(f"(r) => ({TAB_ORDER_JS})(r).length")
    assert order < total, f"{order} Tab stops for {total} glossed terms"

    # ← → move among a paragraph's terms; every term is reached; the last one focused becomes
    # the paragraph's stop.
    block = article.locator("[data-block]").filter(has=page.locator(".ar-gloss")).nth(1)
    in_block = block.locator(".ar-gloss")
    n = in_block.count()
    in_block.first.focus()
    seen = []
    for _ in range(n + 1):
        seen.append(page.evaluate("() => document.activeElement.textContent"))
        page.keyboard.press("ArrowRight")
    assert seen[:n] == in_block.all_text_contents() and seen[n] == seen[n - 1], seen
    expect(in_block.last).to_have_attribute("tabindex", "0")
    expect(in_block.first).to_have_attribute("tabindex", "-1")
    page.keyboard.press("Home")
    expect(in_block.first).to_be_focused()

    # The skip link is the Tab stop just before the reading, seen when focused, and goes to the
    # annotations.
    skip = page.locator(".ar-skip")
    expect(skip).to_have_text(re.compile(rf"Skip the reading \({total} glossed terms\)"))
    skip.focus()
    box = rect(skip)
    assert box["right"] - box["left"] > 100, "the skip link is shown when it has the focus"
    page.screenshot(path=ARTIFACTS / "skip-link.png")
    page.keyboard.press("Enter")
    expect(page.locator(".ar-side-title")).to_be_focused()
    help_box = page.locator(".ar-keys")
    help_box.locator("summary").click()
    expect(help_box).to_contain_text("one stop for each paragraph")
    help_box.screenshot(path=ARTIFACTS / "keyboard-help.png")


@pytest.mark.browser
def test_dark_theme_prompt_boxes_are_clear_and_legible(lab: Page) -> None:
    page = lab
    change_theme(page, DARK_THEME)
    page.evaluate(NEXT_FRAME_JS)
    prompt = page.locator(".ar-prompt").first
    for part in (".ar-prompt-badge", ".ar-prompt-level", ".ar-prompt-quote", ".ar-prompt-question"):
        result = contrast(prompt.locator(part).first)
        assert result["ratio"] >= MIN_CONTRAST, f"{part}: {result}"
    # The colour behind the box's text: its and its ancestors' backgrounds composited.
    r, g, b = contrast(prompt)["back"]
    # No khaki: the box stays a dark surface (not the olive of yellow on black) in the dark theme.
    assert max(r, g, b) < 70, (r, g, b)
    assert max(r, g, b) - min(r, g, b) < 16, f"a tinted (khaki) box: {(r, g, b)}"
    prompt.scroll_into_view_if_needed()
    prompt.screenshot(path=ARTIFACTS / "prompt-dark.png")


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_nbconvert_html_shows_the_reading_read_only(
    lab_browser: Browser, fresh_course: Path, tmp_path: Path
) -> None:
    import nbclient
    import nbformat

    module = fresh_course / LESSON_MODULE.name
    notebook = module / "lesson.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    # Saved as JupyterLab saves by default, without the widget state (which would make
    # nbconvert show the widget itself, through a script from a CDN).
    nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(module)}},
    ).execute()
    executed = module / "executed.ipynb"
    nbformat.write(nb, executed)
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    run = subprocess.run(
        [jupyter, "nbconvert", "--to", "html", str(executed)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    page_html = executed.with_suffix(".html").read_text(encoding="utf-8")
    view = page_html.split('<div class="ar-static">', 1)[1]
    view = view[: view.index("</section>", view.index("Reader comments"))]
    assert (
        "<script" not in view
        and "javascript:" not in view
        and " on" not in re.sub(r">[^<]*<", "><", view)
    ), "the read-only view must hold no script"
    lesson = load_lesson(module)
    context = lab_browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(executed.with_suffix(".html").as_uri())
        static = page.locator(".ar-static")
        expect(static).to_contain_text("annotating needs JupyterLab")
        expect(static.locator(".reading")).to_contain_text(lesson.document.text[:80].split("\n")[0])
        expect(static.locator("a.ar-gloss").first).to_be_visible()
        expect(static.locator("aside.prompt")).to_have_count(len(lesson.prompts))
        expect(static.locator("aside.prompt strong").first).to_have_text("Prompt 1")
        if lesson.gloss("kiev-kyiv"):
            expect(static.locator('[lang="uk"]')).to_have_text("Київ")
        page.screenshot(path=ARTIFACTS / "nbconvert-static.png")
    finally:
        context.close()
