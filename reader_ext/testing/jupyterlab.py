"""Drive a real JupyterLab in Chromium: the server, a notebook page, its console.

Used by the browser tests (tests/ui/, tests/hub/) and by benchmarks/browser_bench.py; the paths
of this repository's lessons and artifacts stay in tests/ui/lab.py. The facts this module relies
on (flags, the kernel race, where a broken widget's errors go) are written down in TESTING.md of
the project's shared notes (../shared/ beside the repository).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from playwright.sync_api import ConsoleMessage, Page, ViewportSize
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

DEFAULT_VIEWPORT: ViewportSize = {"width": 1280, "height": 900}


class PageFactory(Protocol):
    """Opens a fresh page (in its own browser context) of the given size."""

    def __call__(self, viewport: ViewportSize = DEFAULT_VIEWPORT) -> Page: ...


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

KERNEL_READY = "Python 3 (ipykernel) | Idle"
LIGHT_THEME = "JupyterLab Light"
DARK_THEME = "JupyterLab Dark"

# Written before every page so that one test's choices (the theme above all) never leak into the
# next: JupyterLab persists them on the server, not in the browser context.
USER_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/apputils-extension/themes.jupyterlab-settings": {"theme": LIGHT_THEME},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # The extension manager asks PyPI for listings; there is no network here.
    "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
}

WIDGET_MANAGER = "@jupyter-widgets/jupyterlab-manager"
WIDGET_RENDERER = "anywidget"


class LabError(RuntimeError):
    """The JupyterLab server could not be started or is not set up as the tests need."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_user_settings(settings_dir: Path) -> None:
    for relative, values in USER_SETTINGS.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")


def isolated_env(state_dir: Path) -> dict[str, str]:
    """The environment of a server that reads no user's Jupyter or IPython configuration.

    Only the per-user directories move; sys.prefix/share/jupyter (the kernelspec and the
    widget labextensions) stays on the data path, which `LabServer.check_setup` verifies.
    """
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        directory = state_dir / name.lower()
        directory.mkdir(parents=True, exist_ok=True)
        env[name] = str(directory)
    env.pop("JUPYTER_TOKEN", None)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


@dataclass
class LabServer:
    url: str
    token: str
    root_dir: Path
    settings_dir: Path
    log_path: Path
    process: subprocess.Popen[bytes]
    _log: IO[bytes] = field(repr=False)

    @classmethod
    def start(
        cls, root_dir: Path, state_dir: Path, log_path: Path, *, timeout: float = 60.0
    ) -> LabServer:
        port = free_port()
        token = secrets.token_hex(16)
        settings_dir = state_dir / "user-settings"
        write_user_settings(settings_dir)
        args = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--expose-app-in-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root_dir}",
            f"--LabServerApp.user_settings_dir={settings_dir}",
            f"--LabServerApp.workspaces_dir={state_dir / 'workspaces'}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = log_path.open("wb")
        try:
            process = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=isolated_env(state_dir),
            )
        except BaseException:
            log.close()
            raise
        server = cls(
            url=f"http://127.0.0.1:{port}",
            token=token,
            root_dir=root_dir,
            settings_dir=settings_dir,
            log_path=log_path,
            process=process,
            _log=log,
        )
        try:
            server._wait_until_up(timeout)
            server.check_setup()
        except BaseException:
            server.stop()
            raise
        return server

    def _wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            code = self.process.poll()
            if code is not None:
                msg = f"JupyterLab exited with code {code} before answering."
                raise LabError(self._with_log(msg))
            try:
                self.get_json("/api/status")
            except urllib.error.HTTPError as error:
                error.close()  # it holds the response open
                msg = f"JupyterLab answered /api/status with HTTP {error.code}."
                raise LabError(self._with_log(msg)) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    msg = f"JupyterLab did not answer {self.url}/api/status within {timeout:.0f} s."
                    raise LabError(self._with_log(msg)) from None
                time.sleep(0.2)
            else:
                return

    def check_setup(self) -> None:
        """Fail early, and clearly, if isolating the server hid what the widget needs."""
        specs = self.get_json("/api/kernelspecs")
        if "python3" not in specs.get("kernelspecs", {}):
            msg = f"The python3 kernelspec is not visible to the server: {sorted(specs)}"
            raise LabError(self._with_log(msg))
        html = self.get_text("/lab")
        found = re.search(
            r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S
        )
        if found is None:
            raise LabError(self._with_log("/lab has no jupyter-config-data."))
        config = json.loads(found.group(1))
        names = {ext["name"] for ext in config.get("federated_extensions", [])}
        missing = {WIDGET_MANAGER, WIDGET_RENDERER} - names
        if missing:
            msg = (
                f"Lab extensions not found by the server: {sorted(missing)} (found {sorted(names)})"
            )
            raise LabError(self._with_log(msg))

    def _request(self, path: str) -> bytes:
        sep = "&" if "?" in path else "?"
        with urllib.request.urlopen(f"{self.url}{path}{sep}token={self.token}", timeout=5) as r:
            body: bytes = r.read()
            return body

    def get_json(self, path: str) -> Any:
        return json.loads(self._request(path))

    def get_text(self, path: str) -> str:
        return self._request(path).decode("utf-8")

    def lab_url(self, path: str) -> str:
        """The URL that opens `path` (relative to root_dir) in a fresh workspace."""
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _with_log(self, msg: str) -> str:
        return f"{msg}\n--- JupyterLab log ({self.log_path}) ---\n{self.log_text()[-8000:]}"

    def stop(self, timeout: float = 20.0) -> None:
        # SIGTERM lets the server shut its kernels down; SIGKILL only if it hangs.
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self._log.close()


# A console message is ours when its text or its source location names the widget. The widget's
# ES module is loaded by anywidget from a blob: URL, so that scheme counts as ours too.
OUR_CODE = re.compile(r"(?<![\w-])ar-[a-z]|\breader|anywidget|blob:", re.IGNORECASE)
# JupyterLab's own timing note on a busy machine names the anywidget plugin but is not an error
# of ours: "Plugin anywidget:plugin (with 0 dependants) took 5593.70ms to activate."
LAB_TIMING = re.compile(r"^Plugin \S+ \(with \d+ dependants?\) took [\d.]+ ?ms to activate\.?$")


@dataclass(frozen=True, slots=True)
class ConsoleEntry:
    kind: Literal["pageerror", "error", "warning"]
    text: str
    location: str

    def is_ours(self) -> bool:
        # Every uncaught exception counts: an error thrown from a blob: module does not always say
        # where it came from.
        if self.kind == "pageerror":
            return True
        if self.kind == "warning" and LAB_TIMING.match(self.text):
            return False
        return bool(OUR_CODE.search(self.text) or OUR_CODE.search(self.location))

    def __str__(self) -> str:
        where = f" (at {self.location})" if self.location else ""
        return f"[{self.kind}] {self.text}{where}"


@dataclass
class ConsoleLog:
    """Console errors and warnings and uncaught exceptions of one page."""

    entries: list[ConsoleEntry] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type not in ("error", "warning"):
            return
        loc = message.location
        location = f"{loc.get('url', '')}:{loc.get('lineNumber', 0)}" if loc.get("url") else ""
        kind: Literal["error", "warning"] = "error" if message.type == "error" else "warning"
        self.entries.append(ConsoleEntry(kind, message.text, location))

    def _on_pageerror(self, error: PlaywrightError) -> None:
        text = error.stack or f"{error.name}: {error.message}"
        self.entries.append(ConsoleEntry("pageerror", text, ""))

    def ours(self) -> list[ConsoleEntry]:
        return [entry for entry in self.entries if entry.is_ours()]


_KERNEL_IDLE_JS = """
(displayName) => {
  const ctx = window.jupyterapp?.shell?.currentWidget?.sessionContext;
  return Boolean(ctx && ctx.kernelDisplayName === displayName
                 && ctx.session?.kernel?.status === "idle");
}
"""


def open_notebook(
    page: Page, server: LabServer, path: str, *, timeout: float = 60_000, run: bool = True
) -> None:
    """Open a notebook, wait for its kernel, and run all its cells (without waiting for them).

    With ``run=False`` it stops once the kernel is idle: the caller runs the cells (a benchmark
    starts its clock there, with :data:`RUN_ALL_JS`)."""
    page.goto(server.lab_url(path))
    # The reset workspace opens the file browser; the notebook gets the whole width instead, as on
    # a small screen a reader would do.
    page.wait_for_function("() => window.jupyterapp?.shell?.isAttached", timeout=timeout)
    page.evaluate(
        "() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }"
    )
    # The notebook reads "idle" before any kernel exists; running cells then opens the "Select
    # Kernel" dialog. Only the status bar's kernel name together with the session's own kernel
    # status says that the kernel is really there.
    page.get_by_text(KERNEL_READY, exact=True).wait_for(state="visible", timeout=timeout)
    display_name = KERNEL_READY.split(" | ", 1)[0]
    page.wait_for_function(_KERNEL_IDLE_JS, arg=display_name, timeout=timeout)
    if run:
        page.evaluate(RUN_ALL_JS)


# Run every cell of the open notebook, without waiting for them.
RUN_ALL_JS = "() => { void window.jupyterapp.commands.execute('notebook:run-all-cells'); }"


# Resolves once `selector` is in the page, or once a cell's output is an exception (a traceback
# is rendered as ordinary stderr text, so only the notebook model can tell them apart).
_OUTPUT_JS = """
(selector) => {
  const found = document.querySelector(selector);
  if (found && found.checkVisibility()) return {errors: []};
  const cells = window.jupyterapp.shell.currentWidget?.content?.widgets ?? [];
  const errors = cells
    .flatMap((cell) => cell.model.toJSON().outputs ?? [])
    .filter((output) => output.output_type === "error")
    .map((output) => output.traceback.join("\\n"));
  return errors.length ? {errors} : null;
}
"""
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def wait_for_output(page: Page, selector: str, *, timeout: float = 30_000) -> None:
    """Wait until the notebook shows `selector`, or fail at once with the cell's traceback."""
    try:
        handle = page.wait_for_function(_OUTPUT_JS, arg=selector, timeout=timeout)
    except PlaywrightTimeoutError:
        outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
        msg = f"{selector} was not shown within {timeout / 1000:.0f} s; the outputs: {outputs}"
        raise AssertionError(msg) from None
    errors: list[str] = handle.json_value()["errors"]
    if errors:
        traceback = _ANSI.sub("", "\n".join(errors))
        msg = f"{selector} was not shown: the notebook raised\n{traceback}"
        raise AssertionError(msg)
    page.locator(selector).first.wait_for(state="visible", timeout=timeout)


def change_theme(page: Page, theme: str, *, timeout: float = 20_000) -> None:
    light = {LIGHT_THEME: "true", DARK_THEME: "false"}[theme]
    page.evaluate(
        "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme
    )
    page.wait_for_function(
        "(light) => document.body.dataset.jpThemeLight === light", arg=light, timeout=timeout
    )
    # The theme is set before JupyterLab's splash (a full-window layer over everything) has
    # faded: until it is gone, presses land on it and drags select nothing.
    page.wait_for_function("() => !document.getElementById('jupyterlab-splash')", timeout=timeout)
