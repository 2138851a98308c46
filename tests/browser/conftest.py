"""Browser tests: Playwright driving Debian's Chromium against a live server.

The live server is a ``LiveServerThread`` of our own serving the committed ``world``
(pytest-django's ``live_server`` would flush the public tables after each test).
Hosts: ``localhost:PORT`` is the partner site, ``acme.localhost:PORT`` Acme's org —
Chromium resolves ``*.localhost`` to the loopback address by itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

# Playwright's sync API keeps an event loop in this thread; the ORM calls made by the
# tests themselves (set-up and checks) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason="Chromium is not installed: run `apt-get install chromium` to enable the "
        "browser tests (.ci/run installs it)."
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_url(world, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Base URL template of the live server: ``live_url.format(host="acme.localhost")``."""
    # StaticFilesHandler serves through the staticfiles finders (app and package
    # static folders), as `./dev run` does, so the pages are measured with their CSS.
    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        previous_port = settings.PARTNERHUB_LINK_PORT
        settings.PARTNERHUB_LINK_PORT = str(thread.port)
        try:
            yield "http://{host}:" + str(thread.port)
        finally:
            settings.PARTNERHUB_LINK_PORT = previous_port
            thread.terminate()
            _close_server_sessions()


def _close_server_sessions() -> None:
    """A request thread of the live server can outlive it with an idle database
    session, which would keep the test database from being dropped."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'"
        )


@pytest.fixture(scope="session")
def browser(live_url):  # type: ignore[no-untyped-def]
    # Depends on the live server so it closes first: a kept-alive browser connection
    # would otherwise hold a server thread, and its database session, open.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, django_db_blocker):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    with django_db_blocker.unblock():
        yield page
    context.close()


def sign_in(page, url: str, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
