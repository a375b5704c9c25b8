"""The instructor's side in a real browser: the class view in JupyterLab, and the HTML report."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from reader_ext import AnnotationStore, load_lesson
from reader_ext.course.report import report
from reader_ext.widget.session import ReaderSession

from .a11y import describe
from .lab import ARTIFACTS, LabServer, PageFactory, open_notebook, wait_for_output
from .test_annotate_ui import LOADED, MODULE
from .test_finding_ui import show_file_browser
from .test_reader_ui import serious_violations

STUDENTS = {
    "ana": ["free trade talks", "strategic autonomy"],
    "ben": ["free trade talks", "Global South"],
    "chen": ["free trade talks"],
}


def class_store(course: Path) -> Path:
    """A class store as `reader-ext collect` leaves it: three students' notes and answers."""
    lesson = load_lesson(course / MODULE)
    path = course / MODULE / "class.sqlite"
    with AnnotationStore(path) as store:
        for student, phrases in STUDENTS.items():
            session = ReaderSession(lesson, store, student)
            for phrase in phrases:
                start = lesson.document.text.index(phrase)
                reply = session.handle(
                    {"type": "create", "kind": "note", "start": start,
                     "end": start + len(phrase), "body": f"{student} on {phrase}"}
                )  # fmt: skip
                assert reply["type"] == "saved", reply
            answer = {"type": "create", "kind": "answer", "prompt": lesson.prompts[0].id}
            session.handle({**answer, "body": f"{student}'s answer"})
            session.handle({"type": "gloss-open", "key": "eaeu"})
    return path


def instructor_notebook(course: Path) -> Path:
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)"}},
        "cells": [
            {
                "cell_type": "code",
                "id": "instructor",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": "from reader_ext import Reader\n\n"
                'Reader(".", store="class.sqlite", mode="instructor", user="teacher")',
            }
        ],
    }
    path = course / MODULE / "instructor.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


@pytest.mark.browser
def test_instructor_view_filters_by_student_and_shows_the_heat_map(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    class_store(fresh_course)
    notebook = instructor_notebook(fresh_course)
    page = new_page()
    open_notebook(page, lab_server, notebook.relative_to(lab_server.root_dir).as_posix())
    wait_for_output(page, LOADED)

    cards = page.locator(".ar-side .ar-list > .ar-card")
    expect(cards).to_have_count(5 + 3)  # five notes, three answers
    student = page.locator(".ar-filter-student")
    expect(student.locator("option")).to_have_text(["All students (3)", "ana", "ben", "chen"])
    student.select_option("ben")
    expect(cards).to_have_count(3)
    expect(cards.locator(".ar-card-author")).to_have_text(["ben", "ben", "ben"])
    student.select_option("")
    page.locator(".ar-filter-prompt").select_option(
        load_lesson(fresh_course / MODULE).prompts[0].id
    )
    expect(cards).to_have_count(3)

    page.locator(".ar-filter-prompt").select_option(index=0)
    heat = page.locator(".ar-heat-toggle")
    heat.click()
    expect(heat).to_have_attribute("aria-pressed", "true")
    hottest = page.locator("mark.ar-heat-5")
    expect(hottest.first).to_be_visible()
    assert "".join(hottest.all_text_contents()) == "free trade talks"  # all three students
    assert page.locator("mark.ar-heat").count() > hottest.count()
    # Students per passage, as in the report, with the numbers in the legend and on each mark.
    expect(hottest.first).to_have_attribute("title", "3 of 3 students")
    expect(page.locator("mark.ar-heat-2").first).to_have_attribute("title", "1 of 3 students")
    legend = page.locator(".ar-heat-legend")
    expect(legend).to_be_visible()
    expect(legend.locator("li")).to_have_text(
        ["1 of 3 students", "2 of 3 students", "3 of 3 students"]
    )
    legend.screenshot(path=ARTIFACTS / "instructor-heat-legend.png")
    hottest.first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "instructor-heat.png")
    assert not serious_violations(page), "heat map on: " + describe(serious_violations(page))
    heat.click()
    expect(page.locator("mark.ar-heat")).to_have_count(0)
    expect(legend).to_be_hidden()
    assert not serious_violations(page), describe(serious_violations(page))


@pytest.mark.browser
def test_html_report_opens_offline_and_is_accessible(
    lab_browser: Browser, fresh_course: Path, tmp_path: Path
) -> None:
    store = class_store(fresh_course)
    files = report(store, tmp_path / "report", lessons=fresh_course)
    context = lab_browser.new_context()
    requests: list[str] = []
    errors: list[str] = []
    page: Page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(files.html.as_uri())
        expect(page.locator("h1")).to_have_count(1)
        table = page.locator("table").first
        expect(table).to_contain_text("ana")
        expect(table).to_contain_text("chen")
        images = page.locator("img")
        assert images.count() >= 1
        widths = images.evaluate_all("imgs => imgs.map((i) => i.complete && i.naturalWidth)")
        assert all(w and w > 0 for w in widths), widths
        expect(page.locator("body")).to_contain_text("ana's answer")
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
        assert errors == []
        violations = serious_violations(page, scope="body")
        assert not violations, describe(violations)
        page.emulate_media(color_scheme="dark")
        violations = serious_violations(page, scope="body")
        assert not violations, "dark: " + describe(violations)
    finally:
        context.close()


def two_students_store(course: Path) -> Path:
    """ana writes three notes on one passage, ben one: the passage's heat is 2 students."""
    lesson = load_lesson(course / MODULE)
    path = course / MODULE / "class.sqlite"
    phrase = "free trade talks"
    start = lesson.document.text.index(phrase)
    note = {"type": "create", "kind": "note", "start": start, "end": start + len(phrase)}
    with AnnotationStore(path) as store:
        ana = ReaderSession(lesson, store, "ana")
        for n in range(3):
            assert ana.handle({**note, "body": f"ana's note {n + 1}"})["type"] == "saved"
        ben = ReaderSession(lesson, store, "ben")
        assert ben.handle({**note, "body": "ben's note"})["type"] == "saved"
    return path


@pytest.mark.browser
def test_heat_counts_students_not_notes_with_a_legend(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path
) -> None:
    two_students_store(fresh_course)
    notebook = instructor_notebook(fresh_course)
    page = new_page()
    open_notebook(page, lab_server, notebook.relative_to(lab_server.root_dir).as_posix())
    wait_for_output(page, LOADED)
    show_file_browser(page)
    page.locator(".ar-heat-toggle").click()
    marks = page.locator("mark.ar-heat")
    expect(marks.first).to_be_visible()
    assert "".join(marks.all_text_contents()) == "free trade talks"
    expect(marks.first).to_have_attribute("title", "2 of 2 students")  # not "4 notes"
    legend = page.locator(".ar-heat-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("students per passage")
    expect(legend.locator("li")).to_have_text(["1 of 2 students", "2 of 2 students"])
    marks.first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "instructor-heat-two-students.png")
    page.locator(".ar-filter-student").select_option("ana")  # the title follows the filter
    expect(legend.locator("figcaption")).to_have_text(
        "Heat map: students per passage — ana’s annotations"
    )
    expect(marks.first).to_have_attribute("title", "1 of 2 students")


@pytest.mark.browser
def test_prompt_cards_show_the_class_answers_and_titles_follow_filters(
    new_page: PageFactory, lab_server: LabServer, fresh_course: Path, tmp_path: Path
) -> None:
    store = class_store(fresh_course)
    lesson = load_lesson(fresh_course / MODULE)
    first = lesson.prompts[0]
    notebook = instructor_notebook(fresh_course)
    page = new_page()
    open_notebook(page, lab_server, notebook.relative_to(lab_server.root_dir).as_posix())
    wait_for_output(page, LOADED)
    show_file_browser(page)

    card = page.locator(f'.ar-prompt[data-prompt="{first.id}"]')
    expect(card.locator(".ar-class-count")).to_have_text("3 answers from 3 students")
    expect(card).not_to_contain_text("Not answered yet")
    answers = card.locator(".ar-class-answer")
    expect(answers).to_have_count(3)
    for student in STUDENTS:
        expect(card).to_contain_text(f"{student}'s answer")
    unanswered = page.locator(f'.ar-prompt[data-prompt="{lesson.prompts[1].id}"]')
    expect(unanswered.locator(".ar-class-count")).to_have_text("No student has answered yet")
    card.scroll_into_view_if_needed()
    card.screenshot(path=ARTIFACTS / "instructor-prompt-answers.png")

    title = page.locator(".ar-side-title")
    expect(title).to_have_text("Annotations (8)")
    page.locator(".ar-filter-student").select_option("ben")
    expect(title).to_have_text("ben’s annotations (3 of 8 shown)")
    expect(answers).to_have_count(1)
    expect(answers).to_contain_text("ben's answer")
    expect(card.locator(".ar-class-count")).to_contain_text("ben: 1")
    page.locator(".ar-filter-prompt").select_option(first.id)
    expect(title).to_have_text("ben’s annotations, answering prompt 1 (1 of 8 shown)")
    expect(page.locator(".ar-live")).to_have_text(
        "ben’s annotations, answering prompt 1: 1 of 8 shown."
    )

    # One numbering: the widget's cards, report.html and students.csv say the same number and id.
    shown = page.locator(".ar-prompt .ar-prompt-label").evaluate_all(
        "ls => ls.map((l) => [l.querySelector('.ar-prompt-badge').textContent,"
        " l.querySelector('.ar-prompt-id').textContent])"
    )
    assert shown == [[f"Prompt {n}", p.id] for n, p in enumerate(lesson.prompts, 1)]
    files = report(store, tmp_path / "report", lessons=fresh_course / MODULE)
    page_html = files.html.read_text(encoding="utf-8")
    headings = re.findall(r"<h4>Prompt (\d+) <code>([^<]+)</code></h4>", page_html)
    assert [[f"Prompt {n}", pid] for n, pid in headings] == shown
    with (tmp_path / "report" / "students.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {(r["student"], r["module"]): r for r in csv.DictReader(f)}
    number = next(n for n, (label, pid) in enumerate(shown, 1) if pid == first.id)
    assert rows["ben", MODULE]["answered_prompts"] == f"{number} ({first.id})"
