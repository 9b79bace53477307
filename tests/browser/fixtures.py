"""Browser fixtures, loaded once for the whole suite by tests/conftest.py (`pytest_plugins`): Playwright for Python driving Debian's Chromium, axe-core on every page.

Never `playwright install`: the machine cannot download browsers; Debian's chromium package is
the browser. Every page a test visits through `visit` is checked with axe-core (from npm) and
the test fails on any serious or critical finding. Any test that uses `browser` is marked
`browser`. Import `Browser` from here for type hints, never the fixtures themselves: a second
copy of the session-scoped `chromium` fixture would start a second Playwright and fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("UPSTREAM_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Flags that keep Chromium from reaching out to the network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("UPSTREAM_SCREENSHOTS", "var/screenshots"))


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make install does)")
    if not AXE.exists():
        pytest.fail(f"{AXE} not found: run npm install (make install does)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # tests themselves are still synchronous, so let Django allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class AccessibilityError(AssertionError):
    pass


def check_accessibility(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page; fail on serious or critical findings, return all findings."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations: list[dict[str, Any]] = result["violations"]
    serious = [v for v in violations if v.get("impact") in {"serious", "critical"}]
    if serious:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in serious
        ]
        raise AccessibilityError(f"axe-core findings on {page.url}:\n" + "\n".join(lines))
    return violations


class Browser:
    """A page plus the live server's address; every visit is checked by axe-core."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.visited: list[str] = []

    def visit(self, path: str) -> Any:
        self.page.goto(self.base_url + path)
        self.checked()
        return self.page

    def checked(self) -> Any:
        """Check the page the browser is on now (after a click or a form post)."""
        self.page.wait_for_load_state("load")
        check_accessibility(self.page)
        self.visited.append(self.page.url)
        return self.page

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in(self, username: str, password: str) -> Any:
        self.visit("/sign-in/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button[type=submit]")
        return self.checked()


@pytest.fixture
def browser(chromium: Any, live_server: Any) -> Iterator[Browser]:
    # bypass_csp lets axe-core be injected past our strict Content-Security-Policy.
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Browser(page, live_server.url)
    context.close()
