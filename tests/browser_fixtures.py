"""A built site in a real headless Chromium (Debian's ``chromium``), served by a real HTTP server on 127.0.0.1.

Import the ``browser`` fixture into a test module to share one browser per module; :func:`open_tab` gives a
fresh browser context that records every request and script error and leaves a screenshot in
``test-artifacts/``, pass or fail; :func:`only_local` checks that a tab asked nothing of any other host.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import posixpath
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# Without these, Chromium tries to reach Google's services and hangs on a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
TIMEOUT_MS = 15_000
# The types a deployed site is served with where the platform's table may lack them: browsers compile
# WebAssembly while it downloads only when it comes as application/wasm.
TYPES = {".wasm": "application/wasm", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
         ".ttl": "text/turtle", ".js": "text/javascript", ".json": "application/json"}


@dataclasses.dataclass
class Tab:
    """One browser page, and everything it asked for, logged or complained about."""

    page: Page
    requests: list[str]
    problems: list[str]
    console: list[ConsoleMessage]

    def open(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is None or response.ok, f"{url}: HTTP {response.status if response else '?'}"


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A real HTTP server for a folder on 127.0.0.1 (a free port), stopped on exit."""

    class Quiet(SimpleHTTPRequestHandler):
        def guess_type(self, path: str | os.PathLike[str]) -> str:
            return TYPES.get(posixpath.splitext(os.fspath(path))[1]) or super().guess_type(path)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), name="site-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: install the Debian package chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@contextlib.contextmanager
def open_tab(browser: Browser, name: str, **options: Any) -> Iterator[Tab]:
    """A fresh browser context; its last view is saved as ``test-artifacts/<name>.png``, pass or fail."""
    context: BrowserContext = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    tab = Tab(context.new_page(), [], [], [])
    context.on("request", lambda request: tab.requests.append(request.url))
    tab.page.on("pageerror", lambda error: tab.problems.append(f"script error: {error}"))
    tab.page.on("console", lambda message: tab.console.append(message))

    def refuse(dialog: Dialog) -> None:  # a page script opening alert() or confirm() is a finding
        tab.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    tab.page.on("dialog", refuse)
    try:
        yield tab
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(PlaywrightError):
            tab.page.screenshot(path=str(ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"),
                                full_page=True)
        context.close()


@pytest.fixture
def tab(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A desktop-sized tab named after the test (its screenshot too)."""
    with open_tab(browser, request.node.name, **DESKTOP) as opened:
        yield opened


def only_local(tab: Tab, server: str) -> None:
    """Every request of the tab went to ``server``, and no script failed or opened a dialog."""
    origin = urlsplit(server)
    assert tab.requests, "the page made no requests at all"
    elsewhere = [url for url in tab.requests if urlsplit(url).netloc != origin.netloc or urlsplit(url).scheme
                 != origin.scheme]
    assert elsewhere == [], elsewhere
    assert tab.problems == []
