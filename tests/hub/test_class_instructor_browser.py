"""Hide until posted, a reveal time, and the instructor's live class, in browsers on a real Hub.

ben sees no classmate's note until he posts one; cem sees them at the reveal time the instructor
set; prof sees everyone, filters by discussion group and replies to ana privately; ana sees the
feedback live, marked as private, and ben never receives it (the page's traffic is checked,
packed snapshots inflated, not only the screen).
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from reader_ext.hub.demo import DemoHub
from tests.hub import test_class_browser as two_students
from tests.hub.conftest import LESSON, Client
from tests.hub.test_class_browser import login, received
from tests.ui.a11y import audit, contrast, describe
from tests.ui.lab import ARTIFACTS, DARK_THEME, DEFAULT_VIEWPORT, change_theme
from tests.ui.test_annotate_ui import card_with, open_note_editor
from tests.ui.test_reader_ui import MIN_CONTRAST

pytestmark = [pytest.mark.hub, pytest.mark.browser]
# The same fixtures as the two students' module: a hub of this module's own, and Chromium.
class_hub = two_students.class_hub
browser = two_students.browser


def client(hub: DemoHub, name: str) -> Client:
    return Client(hub, name, hub.token_for(name))


def in_viewport(locator: Locator) -> None:
    """Where a person finds it: wholly on screen at 1280×900 (its top, at least, if tall)."""
    box = locator.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] < DEFAULT_VIEWPORT["height"] - 20, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= DEFAULT_VIEWPORT["width"], box


def reveal(prof: Client, **setting: object) -> None:
    status, data = prof.call("PUT", f"api/lessons/reveal?source={LESSON}", setting)
    assert status == 200, data


def to_annotations(page: Page) -> None:
    """Scroll the notebook to the reader's annotations, as a person does to read them."""
    page.locator(".ar-body").evaluate(
        """body => {
          // The notebook's own scroller (a wheel's), not the reader's panes.
          let el = body.parentElement;
          while (el && !(el.scrollHeight > el.clientHeight
                         && /(auto|scroll)/.test(getComputedStyle(el).overflowY))) {
            el = el.parentElement;
          }
          if (el) el.scrollTop += body.getBoundingClientRect().top - el.getBoundingClientRect().top;
        }"""
    )
    page.wait_for_timeout(300)


def test_hide_until_posted_then_a_reveal_time(class_hub: DemoHub, browser: Browser) -> None:
    prof, ana = client(class_hub, "prof"), client(class_hub, "ana")
    reveal(prof, after_posts=1)
    assert ana.note("ANA-hidden-until-ben-posts")[0] == 201

    ben, ben_log, ben_frames = login(browser, class_hub, "ben")
    expect(card_with(ben, "ANA-hidden-until-ben-posts")).to_have_count(0)
    assert "ANA-hidden-until-ben-posts" not in received(ben_frames)
    to_annotations(ben)
    why = ben.locator(".ar-hidden-notes")
    expect(why).to_have_text(
        "Your classmates’ notes are hidden for now: they appear once you have posted 1 note or "
        "answer here."
    )
    in_viewport(why)  # at the head of his annotations, where the notes would be
    ben.screenshot(path=str(ARTIFACTS / "class-hidden-until-posted-before.png"))

    editor = open_note_editor(ben, "free trade talks")
    editor.locator("textarea").fill("BEN-first-post")
    editor.locator(".ar-save").click()
    expect(card_with(ben, "BEN-first-post")).to_have_count(1)
    posted = time.monotonic()
    # His post reveals the class's notes: they arrive with no reload.
    revealed = card_with(ben, "ANA-hidden-until-ben-posts")
    expect(revealed).to_have_count(1, timeout=5_000)
    assert time.monotonic() - posted < 3.0
    expect(revealed).to_contain_text("ana")
    expect(why).to_be_hidden()
    expect(ben.locator(".ar-live")).to_contain_text("Your classmates’ notes are now shown.")
    in_viewport(revealed)  # beside his own note, where he is: no scrolling to find it
    ben.screenshot(path=str(ARTIFACTS / "class-hidden-until-posted-after.png"))

    # cem has posted nothing: hidden for him, until the reveal time the instructor sets.
    cem, cem_log, cem_frames = login(browser, class_hub, "cem")
    expect(card_with(cem, "BEN-first-post")).to_have_count(0)
    at = datetime.now(timezone.utc) + timedelta(seconds=6)
    reveal(prof, after_posts=50, at=at.isoformat())
    cem.wait_for_timeout(2_000)  # the PUT's resync has reached him: still hidden
    expect(card_with(cem, "BEN-first-post")).to_have_count(0)
    assert datetime.now(timezone.utc) < at
    assert "BEN-first-post" not in received(cem_frames)
    to_annotations(cem)
    # the threshold, or the time (in his browser's locale)
    expect(cem.locator(".ar-hidden-notes")).to_contain_text(
        "posted 50 notes or answers here, or at "
    )
    cem.screenshot(path=str(ARTIFACTS / "class-reveal-time-before.png"))
    expect(card_with(cem, "BEN-first-post")).to_have_count(1, timeout=15_000)
    late = (datetime.now(timezone.utc) - at).total_seconds()
    assert 0 <= late < 3.0, late  # at the time, with no reload
    expect(card_with(cem, "ANA-hidden-until-ben-posts")).to_have_count(1)
    expect(cem.locator(".ar-hidden-notes")).to_be_hidden()
    in_viewport(card_with(cem, "BEN-first-post"))  # where he was looking
    cem.screenshot(path=str(ARTIFACTS / "class-reveal-time-after.png"))
    assert not ben_log.ours() and not cem_log.ours(), (ben_log.ours(), cem_log.ours())
    for page in (ben, cem):
        page.context.close()


def test_the_instructor_sees_the_class_filters_by_group_and_replies_privately(
    class_hub: DemoHub, browser: Browser
) -> None:
    reveal(client(class_hub, "prof"), after_posts=None, at=None)
    client(class_hub, "cem").note("CEM-for-the-class")
    client(class_hub, "ben").note("BEN-in-section-a")
    _, note = client(class_hub, "ana").note("ANA-asks-for-feedback")
    assert note["audience"]["visibility"] == "class"

    ana, ana_log, _ = login(browser, class_hub, "ana")
    to_annotations(ana)
    ben, ben_log, ben_frames = login(browser, class_hub, "ben")
    prof, prof_log, _ = login(browser, class_hub, "prof")

    # Reader(lesson) on the hub: the instructor's mode, from the Hub's groups.
    expect(prof.locator(".ar-reader.ar-instructor")).to_have_count(1)
    expect(prof.locator(".ar-notice")).to_contain_text("you see every student's notes live")
    for text in ("ANA-asks-for-feedback", "CEM-for-the-class", "BEN-in-section-a"):
        expect(card_with(prof, text)).to_have_count(1)
    group = prof.locator("select.ar-filter-group")
    expect(group).to_be_visible()
    to_annotations(prof)
    in_viewport(group)  # with the other filters, at the head of the annotations
    assert group.locator("option").all_text_contents() == [
        "All groups (2)",
        "section-a (2 students)",
        "section-b (1 student)",
    ]
    student = prof.locator("select.ar-filter-student")
    assert student.locator("option").all_text_contents() == [
        "All students (3)",  # the course's, from the Hub's groups
        "ana",
        "ben",
        "cem",
    ]
    # By keyboard, as a screen-reader user would: the list follows, and says so.
    group.focus()
    group.select_option(label="section-b (1 student)")
    title = prof.locator(".ar-side-title")
    expect(title).to_contain_text("in group section-b")
    expect(card_with(prof, "CEM-for-the-class")).to_have_count(1)
    expect(card_with(prof, "ANA-asks-for-feedback")).to_have_count(0)
    expect(prof.locator(".ar-live")).to_contain_text("in group section-b")
    assert student.locator("option").all_text_contents() == ["All students (1)", "cem"]
    heat = prof.locator(".ar-heat-toggle")
    heat.click()
    expect(prof.locator(".ar-heat-legend")).to_contain_text("in group section-b")
    expect(prof.locator(".ar-heat-legend")).to_contain_text("1 student")
    expect(prof.locator("mark.ar-heat").first).to_be_attached()
    to_annotations(prof)
    prof.screenshot(path=str(ARTIFACTS / "class-instructor-group-filter.png"))
    heat.click()

    # Private feedback on ana's class note.
    group.select_option(label="section-a (2 students)")
    student.select_option(label="ana")
    card = card_with(prof, "ANA-asks-for-feedback")
    expect(card).to_have_count(1)
    card.locator(".ar-reply").first.click()
    form = card.locator("form.ar-editor")
    chooser = form.get_by_label("Who sees this reply")
    expect(chooser).to_be_visible()
    assert chooser.locator("option").all_text_contents() == [
        "Everyone who sees ana’s note",
        "Only ana and the instructors (private feedback)",
    ]
    chooser.focus()
    chooser.select_option(label="Only ana and the instructors (private feedback)")
    form.locator("textarea").fill("FEEDBACK-private-to-ana: say more about the partnership")
    in_viewport(chooser)
    prof.screenshot(path=str(ARTIFACTS / "class-instructor-private-reply.png"))
    form.locator("textarea").press("Control+Enter")
    mine = card.locator(".ar-replies .ar-card").filter(has_text="FEEDBACK-private-to-ana")
    expect(mine).to_have_count(1, timeout=10_000)
    expect(mine.locator(".ar-card-audience")).to_have_text("Private feedback to ana (1:1)")
    violations = audit(prof)  # the filters, the reply's choice, the private card
    assert not violations, describe(violations)

    # ana sees it live, in her margin, marked as private feedback from the instructor.
    got = card_with(ana, "ANA-asks-for-feedback").locator(".ar-replies .ar-card")
    got = got.filter(has_text="FEEDBACK-private-to-ana")
    expect(got).to_have_count(1, timeout=5_000)
    expect(got).to_have_class(re.compile(r"\bar-card-private\b"))
    expect(got.locator(".ar-card-audience")).to_have_text(
        "Private feedback from prof: only you and the instructors see it"
    )
    expect(ana.locator(".ar-live")).to_contain_text("New private feedback from prof")
    # Said at the head of her annotations, where she is; "Show it" brings the card into view.
    news = ana.locator(".ar-news")
    expect(news).to_contain_text("New private feedback from prof.")
    in_viewport(news)
    ana.screenshot(path=str(ARTIFACTS / "class-student-told-of-private-feedback.png"))
    show = news.get_by_role("button", name="Show it: New private feedback from prof.")
    show.focus()
    show.press("Enter")  # by keyboard
    expect(news).to_be_hidden()
    expect(got).to_be_focused()
    in_viewport(got)
    violations = audit(ana)  # the feedback, the news line: axe, in the light theme
    assert not violations, describe(violations)
    ana.screenshot(path=str(ARTIFACTS / "class-student-sees-private-feedback.png"))

    # A new note to one student, from the instructor's audience menu.
    group.select_option(label="All groups (2)")
    editor = open_note_editor(prof, "free trade talks")
    menu = editor.get_by_label("Who sees this note")
    menu.select_option(label="One student, privately (1:1)")
    which = editor.get_by_label("Which student (only they and the instructors see it)")
    expect(which).to_be_visible()
    editor.locator("textarea").scroll_into_view_if_needed()
    in_viewport(which)
    which.focus()
    which.select_option("ana")
    editor.locator("textarea").fill("ONE-TO-ONE-note-for-ana")
    prof.screenshot(path=str(ARTIFACTS / "class-instructor-one-to-one-note.png"))
    editor.locator("textarea").press("Control+Enter")
    expect(card_with(prof, "ONE-TO-ONE-note-for-ana")).to_have_count(1, timeout=10_000)
    # prof wrote: still the course's three students (prof's own are "Mine")
    assert student.locator("option").all_text_contents()[0] == "All students (3)"
    note_for_ana = card_with(ana, "ONE-TO-ONE-note-for-ana")
    expect(note_for_ana).to_have_count(1, timeout=5_000)
    expect(note_for_ana.locator(".ar-card-audience")).to_contain_text("Private feedback from prof")

    # ben receives neither: not on screen, not in his page's traffic from his kernel.
    client(class_hub, "prof").note("PROF-class-note-after")
    expect(card_with(ben, "PROF-class-note-after")).to_have_count(1, timeout=5_000)
    traffic = received(ben_frames)
    assert "PROF-class-note-after" in traffic  # the decoding sees what came
    assert "FEEDBACK-private-to-ana" not in traffic
    assert "ONE-TO-ONE-note-for-ana" not in traffic
    expect(ben.get_by_text("FEEDBACK-private-to-ana")).to_have_count(0)

    # Legible in the dark theme: the private card's words, on its tinted background.
    change_theme(ana, DARK_THEME)
    label = got.locator(".ar-card-audience")
    result = contrast(label)
    assert result["ratio"] >= MIN_CONTRAST, result
    for part in (ana.locator(".ar-news span").first, ana.locator(".ar-hidden-notes")):
        if part.count() and part.is_visible():
            assert contrast(part)["ratio"] >= MIN_CONTRAST
    # The whole reader, unclipped: in the text, classmates' highlights stacked on ana's own
    # phrase keep its white words at 4.5:1 (the overlap levels of the dark palette).
    violations = audit(ana)
    assert not violations, "dark theme:\n" + describe(violations)
    ana.wait_for_timeout(1_000)  # the theme's splash is gone
    to_annotations(ana)
    ana.screenshot(path=str(ARTIFACTS / "class-student-sees-private-feedback-dark.png"))
    logs = {"ana": ana_log.ours(), "ben": ben_log.ours(), "prof": prof_log.ours()}
    assert not any(logs.values()), logs


def test_the_instructor_sets_hide_until_posted_in_the_reader(
    class_hub: DemoHub, browser: Browser
) -> None:
    reveal(client(class_hub, "prof"), after_posts=None, at=None)
    assert client(class_hub, "ben").note("BEN-before-the-setting")[0] == 201
    ben, ben_log, _ = login(browser, class_hub, "ben")
    to_annotations(ben)
    why = ben.locator(".ar-hidden-notes")
    expect(why).to_be_hidden()
    prof, prof_log, _ = login(browser, class_hub, "prof")
    to_annotations(prof)

    # Under the filters, closed; opened by keyboard, it asks the service what holds now.
    panel = prof.locator("details.ar-reveal")
    summary = panel.locator("summary")
    expect(summary).to_have_text("Classmates’ notes for students")
    in_viewport(summary)
    summary.focus()
    prof.keyboard.press("Enter")
    state = panel.locator(".ar-reveal-state")
    expect(state).to_have_text("Students see their classmates’ notes at once.")
    posts = panel.get_by_label("they have posted")
    posts.focus()
    prof.keyboard.press("Space")
    expect(posts).to_be_checked()
    count = panel.get_by_label("How many notes or answers of their own")
    count.fill("50")
    in_viewport(panel.locator(".ar-reveal-save"))
    prof.screenshot(path=str(ARTIFACTS / "class-instructor-hide-until-posted.png"))
    count.press("Enter")  # submits, as a form does
    expect(state).to_have_text(
        "Students see their classmates’ notes once they have posted 50 notes or answers here."
    )
    expect(panel.locator(".ar-reveal-status")).to_have_text("Set. Students’ readers follow now.")
    expect(prof.locator(".ar-live")).to_contain_text("Set: Students see their classmates’ notes")
    violations = audit(prof)
    assert not violations, describe(violations)

    # ben has posted, but fewer than 50 times: his reader says so at once, with no reload.
    expect(why).to_contain_text("once you have posted 50 notes or answers here", timeout=5_000)
    expect(why).to_contain_text("more to go")
    in_viewport(why)
    ben.screenshot(path=str(ARTIFACTS / "class-student-hidden-by-the-instructors-setting.png"))

    # Taken back from the panel: nothing hidden again.
    posts.uncheck()
    panel.locator(".ar-reveal-save").click()
    expect(state).to_have_text("Students see their classmates’ notes at once.")
    expect(why).to_be_hidden(timeout=5_000)
    assert not ben_log.ours() and not prof_log.ours(), (ben_log.ours(), prof_log.ours())
    for page in (ben, prof):
        page.context.close()
