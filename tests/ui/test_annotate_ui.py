"""Annotating in a real JupyterLab: select, note, reply, answer, edit, delete, undo — and nothing
is lost across a page reload, a kernel restart or a killed kernel. Plus the XSS corpus, rendered
by the real reader in the real browser.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from reader_ext import AnnotationStore, load_lesson
from reader_ext.widget.session import ReaderSession
from tests.conftest import LESSONS
from tests.xss import payloads

from .a11y import describe
from .lab import LabServer, PageFactory, open_notebook, wait_for_output
from .test_reader_ui import serious_violations

MODULE = "01-reading-the-argument"
LOADED = ".ar-reader[data-annotations-loaded]"
ME = os.environ.get("JUPYTERHUB_USER") or __import__("getpass").getuser()
PROMPTS = len(load_lesson(LESSONS / MODULE).prompts)


def notebook_path(server: LabServer, course: Path) -> str:
    return (course / MODULE / "lesson.ipynb").relative_to(server.root_dir).as_posix()


def open_lesson(new_page: PageFactory, server: LabServer, course: Path) -> Page:
    page = new_page()
    open_notebook(page, server, notebook_path(server, course))
    wait_for_output(page, LOADED)
    return page


_SPAN_BOX_JS = """([first, last]) => {
  const find = (s) => {
    for (const block of document.querySelectorAll('.ar-article [data-block]')) {
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.data.indexOf(s);
        if (at >= 0) return [n, at];
      }
    }
    return [null, 0];
  };
  const [a, i] = find(first);
  const [b, j] = find(last);
  if (!a || !b) return null;
  a.parentElement.scrollIntoView({block: 'center'});
  const range = document.createRange();
  range.setStart(a, i);
  range.setEnd(a, i + 1);
  const r0 = range.getBoundingClientRect();
  range.setStart(b, j + last.length - 1);
  range.setEnd(b, j + last.length);
  const r1 = range.getBoundingClientRect();
  // The press lands in the space before the first phrase (a press inside some first
  // glyphs starts no selection in Chromium); the reader trims that space off.
  const x0 = r0.left - 2, y0 = r0.top + r0.height / 2;
  const under = document.elementFromPoint(x0, y0);
  return {x0, y0, x1: r1.right - 1, y1: r1.top + r1.height / 2,
          under: under ? `${under.tagName.toLowerCase()}#${under.id}.${under.className}` : ''};
}"""


def select_span_with_mouse(page: Page, first: str, last: str) -> None:
    """Drag the mouse from the start of ``first`` to the end of ``last`` (each in one text node
    of the reading; other marks may lie between), as a reader selects."""
    # Headless Chromium now and then starts no selection for a press (at some sub-pixel
    # positions, or while a layer such as a theme's splash is fading): a person would press
    # again, and so does the test, a little further along, after a pause (not a double click),
    # finding the phrases again each time in case the layout moved.
    shown = repr(first) if first == last else f"{first!r} to {last!r}"
    tried: list[str] = []
    for nudge in (0.0, 1.5, 3.0):
        box = page.evaluate(_SPAN_BOX_JS, [first, last])
        assert box, f"{shown} not found in a text node of the reading"
        tried.append(f"({box['x0']:.0f}, {box['y0']:.0f}) on {box['under']}")
        x0 = box["x0"] + nudge
        page.mouse.move(x0, box["y0"])
        page.mouse.down()
        page.mouse.move((x0 + box["x1"]) / 2, box["y1"], steps=5)
        page.mouse.move(box["x1"], box["y1"], steps=5)
        page.mouse.up()
        if page.evaluate("() => String(document.getSelection()).trim().length > 2"):
            return
        page.mouse.move(5, 5)
        page.wait_for_timeout(600)
    raise AssertionError(f"three drags across {shown} selected nothing; pressed at {tried}")


def select_phrase_with_mouse(page: Page, phrase: str) -> None:
    """Drag the mouse across `phrase` (in one text node of the reading), as a reader would."""
    select_span_with_mouse(page, phrase, phrase)


def open_note_editor(page: Page, phrase: str) -> Locator:
    """Select ``phrase`` with the mouse and choose "Add note"; the editor form."""
    select_phrase_with_mouse(page, phrase)
    page.locator(".ar-selbar .ar-sel-note").click()
    return page.locator(".ar-note-pop form")


def card_with(page: Page, text: str) -> Locator:
    return page.locator(".ar-side .ar-list > .ar-card").filter(has_text=text)


def marks_text(page: Page, card: Locator) -> str:
    """The passage a card's marks cover: pointing at a card lights them."""
    card.locator(".ar-card-meta").first.hover()
    return "".join(page.locator("mark.ar-hl-lit").all_text_contents())


def check_everything_is_there(page: Page) -> None:
    note = card_with(page, "Edited note")
    expect(note).to_have_count(1)
    expect(note.locator(".ar-card-body em")).to_have_text("note")
    assert marks_text(page, note) == "free trade talks"
    expect(note.locator(".ar-replies .ar-card")).to_contain_text("I agree")
    highlight = card_with(page, "Just like India")
    expect(highlight).to_have_count(1)
    assert marks_text(page, highlight).startswith("Just like India")
    expect(page.locator(".ar-progress")).to_have_text(f"Prompts answered: 1 of {PROMPTS}")
    expect(page.locator('.ar-prompt[data-answered="true"] .ar-answer-text')).to_contain_text(
        "Because the ambassador said so"
    )
    expect(page.locator(".ar-comment-replies .ar-card")).to_contain_text("Friends indeed")


def rerun(page: Page) -> None:
    page.evaluate("() => { void window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    wait_for_output(page, LOADED, timeout=60_000)


def kernel_pids(server: LabServer) -> list[int]:
    """The server's kernel processes (its children running ipykernel)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == server.process.pid and b"ipykernel" in cmdline:
            pids.append(int(entry.name))
    return pids


@pytest.mark.browser
def test_annotate_and_nothing_is_lost(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    page = open_lesson(new_page, lab_server, fresh_course)

    # A note on a passage selected with the mouse, in Markdown, with tags.
    editor = open_note_editor(page, "free trade talks")
    expect(editor.locator(".ar-editor-quote")).to_have_text("free trade talks")
    editor.locator("textarea").fill("**Why** now?")
    editor.locator("input").fill("trade, eaeu")
    editor.locator(".ar-save").click()
    note = card_with(page, "Why now?")
    expect(note.locator(".ar-card-body strong")).to_have_text("Why")
    expect(note.locator(".ar-tag")).to_have_text(["trade", "eaeu"])
    assert marks_text(page, note) == "free trade talks"

    # A highlight on a passage selected with the keyboard only.
    caret = page.locator(".ar-caret-toggle")
    caret.focus()
    page.keyboard.press("Enter")
    expect(caret).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".ar-article")).to_be_focused()
    # Never an editable region (axe: aria-allowed-attr), and a focus ring that differs from the
    # unfocused indicator.
    article = page.locator(".ar-article")
    expect(article).not_to_have_attribute("contenteditable", "true")
    expect(article).not_to_have_attribute("aria-readonly", "true")
    focused_ring = article.evaluate("(el) => getComputedStyle(el).outlineStyle")
    page.keyboard.press("Control+Home")
    for _ in range(3):
        page.keyboard.press("Control+Shift+ArrowRight")
    live = page.locator(".ar-live")
    expect(live).to_have_text("Text selected. Press Enter for Highlight and Add note.")
    page.evaluate("() => { document.querySelector('.ar-live').textContent = 'unchanged'; }")
    page.keyboard.press("Control+Shift+ArrowRight")  # the status is said once, not per key
    page.wait_for_timeout(300)
    expect(live).to_have_text("unchanged")
    page.keyboard.press("Control+Shift+ArrowLeft")
    page.keyboard.press("Enter")
    expect(page.locator(".ar-selbar .ar-sel-highlight")).to_be_focused()
    page.keyboard.press("Enter")
    highlight = card_with(page, "Just like India")
    expect(highlight).to_have_count(1)
    expect(article).to_be_focused()  # back to the text, not the page's body
    expect(live).to_have_text("Highlight saved.")
    page.locator(".ar-glossary-toggle").focus()
    unfocused_ring = article.evaluate("(el) => getComputedStyle(el).outlineStyle")
    assert (focused_ring, unfocused_ring) == ("solid", "dashed")
    article.focus()
    assert marks_text(page, highlight).startswith("Just like India")
    page.keyboard.type("xyz")  # keyboard selection mode never edits the reading
    expect(page.locator(".ar-article")).not_to_contain_text("xyz")
    caret.click()

    # A reply, threaded under the note.
    note.locator(":scope > .ar-card-actions .ar-reply").click()
    reply_form = note.locator("form")
    reply_form.locator("textarea").fill("I agree")
    reply_form.locator(".ar-save").click()
    expect(note.locator(".ar-replies .ar-card")).to_contain_text("I agree")
    expect(note.locator(".ar-replies .ar-card")).to_be_focused()

    # An answer to the first prompt.
    prompt = page.locator(".ar-prompt").first
    prompt.locator(".ar-answer-open").click()
    prompt.locator("textarea").fill("Because the ambassador said so.")
    prompt.locator(".ar-save").click()
    expect(prompt).to_have_attribute("data-answered", "true")
    expect(prompt.locator(".ar-answer-edit")).to_be_focused()
    expect(page.locator(".ar-progress")).to_have_text(f"Prompts answered: 1 of {PROMPTS}")

    # A reply to a published reader comment.
    comment = page.locator(".ar-comment").last
    comment.locator(".ar-comment-reply").click()
    comment.locator("textarea").fill("Friends indeed.")
    comment.locator(".ar-save").click()
    expect(comment.locator(".ar-comment-replies .ar-card")).to_contain_text("Friends indeed")

    # Edit the note.
    note.locator(":scope > .ar-card-actions .ar-edit").click()
    edit_form = note.locator("form")
    edit_form.locator("textarea").fill("Edited *note*")
    edit_form.locator(".ar-save").click()
    edited = card_with(page, "Edited note")
    expect(edited.locator(".ar-card-body em")).to_have_text("note")
    expect(edited).to_be_focused()
    expect(edited.locator(":scope > .ar-card-meta .ar-card-edited")).to_contain_text("edited ")

    # Delete the highlight, then undo: the toast stands where the card was.
    was = highlight.bounding_box()
    highlight.locator(":scope > .ar-card-actions .ar-delete").click()
    expect(card_with(page, "Just like India")).to_have_count(0)
    undo = page.locator(".ar-toast .ar-undo")
    expect(undo).to_be_focused()
    toast = page.locator(".ar-toast").bounding_box()
    assert was and toast and abs(toast["y"] - was["y"]) < 100, f"toast {toast}, card was {was}"
    undo.click()
    expect(card_with(page, "Just like India")).to_have_count(1)
    check_everything_is_there(page)
    violations = serious_violations(page)  # cards, threads, answers, toast: all accessible
    assert not violations, describe(violations)

    # A browser reload: the kernel is still there and the reader comes back with everything.
    page.reload()
    page.wait_for_function("() => window.jupyterapp?.shell?.isAttached", timeout=60_000)
    try:
        page.locator(LOADED).wait_for(timeout=20_000)
    except Exception:  # the widget view is not restored on this JupyterLab: run the cell again
        rerun(page)
    check_everything_is_there(page)

    # A kernel restart, then the cell run again.
    # (Not awaited: the command resolves only once its confirmation dialog is answered.)
    page.evaluate("() => { void window.jupyterapp.commands.execute('kernelmenu:restart'); }")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.get_by_text("Python 3 (ipykernel) | Idle", exact=True).wait_for(timeout=60_000)
    rerun(page)
    check_everything_is_there(page)

    # A note saved, then the kernel killed at once (SIGKILL): the note is still there.
    editor = open_note_editor(page, "North-South Transport Corridor")
    editor.locator("textarea").fill("Saved before the crash")
    editor.locator(".ar-save").click()
    expect(page.locator(".ar-live")).to_have_text("Saved.")
    pids = kernel_pids(lab_server)
    assert pids, "no kernel process found"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    # The server restarts the dead kernel; JupyterLab says so in a dialog.
    page.locator(".jp-Dialog .jp-mod-accept").click(timeout=60_000)
    page.wait_for_function(
        """(old) => {
          const kernel = window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel;
          return kernel && kernel.status === "idle";
        }""",
        timeout=60_000,
    )
    assert not set(kernel_pids(lab_server)) & set(pids), "the killed kernel is still running"
    rerun(page)
    expect(card_with(page, "Saved before the crash")).to_have_count(1)
    check_everything_is_there(page)


@pytest.mark.browser
def test_others_annotations_are_read_only(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    lesson = load_lesson(fresh_course / MODULE)
    start = lesson.document.text.index("strategic autonomy")
    with AnnotationStore(fresh_course / MODULE / "annotations.sqlite") as store:
        ReaderSession(lesson, store, "someone-else").handle(
            {"type": "create", "kind": "note", "start": start, "end": start + 18, "body": "Theirs"}
        )
    page = open_lesson(new_page, lab_server, fresh_course)
    theirs = card_with(page, "Theirs")
    expect(theirs.locator(".ar-card-author")).to_have_text("someone-else")
    expect(theirs.locator(".ar-edit")).to_have_count(0)
    expect(theirs.locator(".ar-delete")).to_have_count(0)
    # (A forged edit or delete is refused in Python: tests/test_session.py.)
    filt = page.locator(".ar-filter-who")
    filt.select_option("mine")
    expect(card_with(page, "Theirs")).to_have_count(0)
    filt.select_option("all")
    expect(card_with(page, "Theirs")).to_have_count(1)


@pytest.mark.browser
def test_a_note_on_the_whole_lesson_is_listed_as_one(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    # What the Hypothesis import makes of a page note: the lesson as target, no selector.
    lesson = load_lesson(fresh_course / MODULE)
    body = [{"type": "TextualBody", "value": "About the whole *piece*.", "purpose": "commenting"}]
    with AnnotationStore(fresh_course / MODULE / "annotations.sqlite") as store:
        store.add(
            {"type": "Annotation", "motivation": "commenting", "target": {"source": lesson.uri},
             "body": body},
            user="kim",
        )  # fmt: skip
    page = open_lesson(new_page, lab_server, fresh_course)
    expect(page.locator(".ar-lesson-notes-title")).to_be_visible()
    card = page.locator(".ar-lesson-notes .ar-card")
    expect(card).to_have_count(1)
    expect(card.locator(".ar-card-kind")).to_have_text("Note on the whole lesson")
    expect(card.locator(".ar-card-body em")).to_have_text("piece")
    expect(card.locator(".ar-show")).to_have_count(0)  # no passage to show
    expect(page.locator(".ar-empty")).to_be_hidden()
    assert "{'source'" not in page.locator(".ar-side").inner_text()


@pytest.mark.browser
def test_xss_corpus_never_runs_in_the_reader(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    corpus = payloads()
    lesson = load_lesson(fresh_course / MODULE)
    text = lesson.document.text
    with AnnotationStore(fresh_course / MODULE / "annotations.sqlite") as store:
        for i, payload in enumerate(corpus):
            author = ME if i % 2 else "mallory"
            session = ReaderSession(lesson, store, author)
            start = (i * 97) % (len(text) - 40)
            while text[start].isspace():
                start += 1
            tags = [payload[:60]] if i % 3 == 0 else []
            saved = session.handle(
                {"type": "create", "kind": "note", "start": start, "end": start + 20,
                 "body": payload, "tags": tags}
            )  # fmt: skip
            assert saved["type"] == "saved", saved
            session.handle({"type": "create", "kind": "reply",
                            "reply_to": saved["annotation"]["id"], "body": payload})  # fmt: skip
            session.handle({"type": "create", "kind": "comment-reply", "comment": "c1",
                            "body": payload})  # fmt: skip
    page = open_lesson(new_page, lab_server, fresh_course)
    more = page.locator(".ar-more")
    while more.is_visible():
        more.click()
    expect(page.locator(".ar-side .ar-list > .ar-card")).to_have_count(len(corpus))
    # Open every editor that shows our own text back (edit forms put it in a textarea).
    page.locator(".ar-card-mine .ar-edit").first.click()
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__xss") is None, "a payload ran"
    dangerous = page.evaluate(
        """() => {
          const root = document.querySelector('.ar-reader');
          const bad = [];
          for (const el of root.querySelectorAll('*')) {
            if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'BASE', 'META', 'LINK', 'FORM']
                .includes(el.tagName) && !el.matches('form.ar-editor')) bad.push(el.tagName);
            for (const a of el.attributes) {
              const placed = el.matches(  // positions set by our code
                '.ar-gloss-popup, .ar-selbar, .ar-body, .ar-bucket, .ar-caret, .ar-note-pop');
              if (a.name.startsWith('on') || (a.name === 'style' && !placed))
                bad.push(`${el.tagName}[${a.name}]`);
              const url = a.name === 'href' || a.name === 'src';
              if (url && /^\\s*(javascript|data|vbscript):/i.test(a.value))
                bad.push(`${el.tagName}[${a.name}=${a.value}]`);
            }
          }
          return bad;
        }"""
    )
    assert dangerous == []


@pytest.mark.browser
def test_a_note_over_the_limit_is_refused_and_the_text_kept(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    from reader_ext.annotations import limits

    page = open_lesson(new_page, lab_server, fresh_course)
    editor = open_note_editor(page, "free trade talks")
    text = "x" * (limits.MAX_BODY_CHARS + 1)
    editor.locator("textarea").fill(text)
    editor.locator(".ar-save").click()
    expect(editor.locator(".ar-editor-error")).to_contain_text(
        f"over the limit of {limits.MAX_BODY_CHARS:,}"
    )
    assert editor.locator("textarea").input_value() == text
    violations = serious_violations(page)  # the open editor with its error
    assert not violations, describe(violations)
    expect(page.locator(".ar-side .ar-list > .ar-card")).to_have_count(0)
    # Shortened, it saves.
    editor.locator("textarea").fill("Short enough.")
    editor.locator(".ar-save").click()
    expect(card_with(page, "Short enough.")).to_have_count(1)
