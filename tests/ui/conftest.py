"""Fixtures for the browser tests: one JupyterLab and one Chromium per session, a page per test."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from .lab import (
    ARTIFACTS,
    DEFAULT_VIEWPORT,
    LESSON_NOTEBOOK,
    LESSONS,
    ConsoleLog,
    LabServer,
    PageFactory,
    chromium,
    open_notebook,
    wait_for_output,
    write_user_settings,
)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "root"
    root.mkdir()
    ARTIFACTS.mkdir(exist_ok=True)
    server = LabServer.start(root, base / "state", ARTIFACTS / "jupyterlab.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def lab_browser() -> Iterator[Browser]:
    # This package's own Chromium, stopped when its tests end (see tests/ui/lab.chromium).
    with chromium() as browser:
        yield browser


@pytest.fixture
def new_page(lab_browser: Browser, lab_server: LabServer) -> Iterator[PageFactory]:
    """Make fresh pages; after the test, fail on any console error or warning from our code."""
    expect.set_options(timeout=10_000)
    # The server keeps settings (the theme above all) across pages; start each test from ours.
    write_user_settings(lab_server.settings_dir)
    logs: list[ConsoleLog] = []
    contexts: list[BrowserContext] = []

    def make(viewport: ViewportSize = DEFAULT_VIEWPORT) -> Page:
        context = lab_browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        log = ConsoleLog()
        log.attach(page)
        logs.append(log)
        return page

    yield make
    for context in contexts:
        context.close()
    ours = [str(entry) for log in logs for entry in log.ours()]
    if ours:
        pytest.fail(
            "The browser console reported errors from our code:\n" + "\n".join(ours),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def lesson_notebook(lab_server: LabServer) -> str:
    """Copy the course into the server's root, build its notebooks, and give the lesson's path."""
    course = lab_server.root_dir / LESSONS.name
    shutil.copytree(LESSONS, course)
    result = subprocess.run(
        [sys.executable, "-m", "reader_ext.cli.main", "build", str(course)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    notebook = course / LESSON_NOTEBOOK
    if result.returncode != 0 or not notebook.is_file():
        pytest.fail(
            f"`reader-ext build {course}` exited with {result.returncode}; "
            f"{notebook} {'exists' if notebook.is_file() else 'was not written'}.\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return notebook.relative_to(lab_server.root_dir).as_posix()


@pytest.fixture
def open_reader(new_page: PageFactory, lab_server: LabServer, lesson_notebook: str) -> PageFactory:
    """Open the lesson in a fresh page, run it, and wait until the widget is shown."""

    def open_(viewport: ViewportSize = DEFAULT_VIEWPORT) -> Page:
        page = new_page(viewport)
        open_notebook(page, lab_server, lesson_notebook)
        wait_for_output(page, ".ar-reader")
        return page

    return open_


@pytest.fixture
def reader(open_reader: PageFactory) -> Page:
    return open_reader()


@pytest.fixture
def fresh_course(lab_server: LabServer) -> Path:
    """A private copy of the course in the server's root, so each test starts with no notes."""
    course = lab_server.root_dir / f"course-{uuid.uuid4().hex[:8]}"
    shutil.copytree(LESSONS, course, ignore=shutil.ignore_patterns("*.sqlite*", "*.ipynb"))
    subprocess.run(
        [sys.executable, "-m", "reader_ext.cli.main", "build", str(course)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return course
