"""Browser tests: Cocreate served as everywhere, on a free port and a temporary DuckDB file,
driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.server import AppServer

CHROMIUM = os.environ.get("COCREATE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@dataclass
class Server:
    url: str
    db: Path
    log: Path
    process: subprocess.Popen


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must install it (apt-get install chromium).")
        pytest.skip("Browser suite: Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@contextmanager
def serving(db: Path, request) -> Iterator[Server]:
    """Cocreate served as everywhere (deploy.server) on the database `db` (made afresh when
    missing); its log is printed when the test fails."""
    log = db.with_suffix(".log")
    env = {"COCREATE_ADMIN_KEY": "e2e-organisation-key-5Fh8Qw"}
    app = AppServer(db, env=env, log=log)
    app.env.pop("COCREATE_PUBLIC_URL", None)
    try:
        app.start()
    except RuntimeError as exc:
        pytest.fail(f"The server did not start ({exc}):\n{log.read_text()}")
    yield Server(app.url, db, log, app.process)
    app.stop()
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        print(f"\n--- server log ({log}) ---\n{log.read_text()}")


@pytest.fixture
def server(tmp_path: Path, request) -> Iterator[Server]:
    """Cocreate served against a fresh database."""
    with serving(tmp_path / "e2e.duckdb", request) as served:
        yield served


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
