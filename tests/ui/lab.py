"""The browser tests' JupyterLab harness: this repository's paths, and the driver itself.

The driver (the server, a notebook page, its console) lives in `reader_ext.testing.jupyterlab`,
where the benchmarks use it too; it is re-exported here so that the tests import one module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from reader_ext.testing.jupyterlab import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DARK_THEME,
    DEFAULT_VIEWPORT,
    KERNEL_READY,
    LIGHT_THEME,
    OUR_CODE,
    USER_SETTINGS,
    WIDGET_MANAGER,
    WIDGET_RENDERER,
    ConsoleEntry,
    ConsoleLog,
    LabError,
    LabServer,
    PageFactory,
    change_theme,
    free_port,
    isolated_env,
    open_notebook,
    wait_for_output,
    write_user_settings,
)

__all__ = [
    "ARTIFACTS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DARK_THEME",
    "DEFAULT_VIEWPORT",
    "KERNEL_READY",
    "LESSONS",
    "LESSON_MODULE",
    "LESSON_NOTEBOOK",
    "LIGHT_THEME",
    "OUR_CODE",
    "REPO",
    "USER_SETTINGS",
    "WIDGET_MANAGER",
    "WIDGET_RENDERER",
    "ConsoleEntry",
    "ConsoleLog",
    "LabError",
    "LabServer",
    "PageFactory",
    "change_theme",
    "free_port",
    "isolated_env",
    "open_notebook",
    "wait_for_output",
    "write_user_settings",
]

REPO = Path(__file__).resolve().parents[2]
LESSONS = REPO / "lessons"
ARTIFACTS = REPO / "test-artifacts"
LESSON_MODULE = LESSONS / "01-reading-the-argument"
LESSON_NOTEBOOK = "01-reading-the-argument/lesson.ipynb"


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium under Playwright, for one module or package of browser tests.

    Never one for the whole session: a sync Playwright keeps an event loop running in this
    thread while it lives, so a second one (the JupyterLab tests', the JupyterHub tests') cannot
    start, and tests after it cannot run ``asyncio.run``. Each group of browser tests starts its
    own and stops it when the group ends.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}. Run `make browser` (CI installs it); "
            "Playwright cannot download its own browser on these machines.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
