"""Browser tests: Cocreate served as everywhere, on a free port and a temporary DuckDB file,
driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.server import AppServer
from tests.conftest import ORGANISATION_KEY

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
def chromium():
    """One Chromium for the whole run; at its end no page may be left open (each test's
    pages are closed by `browser`), nor a renderer of one still running."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must install it (apt-get install chromium).")
        pytest.skip("Browser suite: Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        left = [page.url for context in b.contexts for page in context.pages]
        renderers = renderers_after_closing()
        b.close()
    assert not left, f"pages left open at the end of the run: {left}"
    assert len(renderers) <= SPARE_RENDERERS, f"{len(renderers)} renderers still running: {renderers}"


# Chromium keeps one renderer process ready for the next page it opens.
SPARE_RENDERERS = 1


def renderers_after_closing(within: float = 10.0) -> list[int]:
    """The renderers still running once closed pages' renderers have had `within` seconds to end."""
    deadline = time.monotonic() + within
    while len(found := renderer_processes()) > SPARE_RENDERERS and time.monotonic() < deadline:
        time.sleep(0.1)  # polls the process table: nothing announces that a process ended
    return found


def renderer_processes() -> list[int]:
    """The Chromium renderer processes started from this test process (by walking /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])

    def ours(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    found = []
    for pid in parents:
        try:
            command = (Path("/proc") / str(pid) / "cmdline").read_bytes()
        except OSError:
            continue
        if b"--type=renderer" in command and ours(pid):
            found.append(pid)
    return found


@pytest.fixture
def browser(chromium):
    """The run's Chromium, for one test: every context (and page) the test opens on it is
    closed when the test ends, as pytest-playwright's `context` fixture does."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@contextmanager
def serving(db: Path, request) -> Iterator[Server]:
    """Cocreate served as everywhere (deploy.server) on the database `db` (made afresh when
    missing); the lines it logged during a test are printed when the test fails."""
    log = db.with_suffix(".log")
    env = {"COCREATE_ADMIN_KEY": ORGANISATION_KEY}
    app = AppServer(db, env=env, log=log)
    app.env.pop("COCREATE_PUBLIC_URL", None)
    try:
        app.start()
    except RuntimeError as exc:
        pytest.fail(f"The server did not start ({exc}):\n{log.read_text()}")
    yield Server(app.url, db, log, app.process)
    app.stop()
    if request is not None:
        print_log_if_failed(request, log, 0)


def print_log_if_failed(request, log: Path, start: int) -> None:
    """The server's log from `start` (bytes), printed when the test of `request` failed."""
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        text = log.read_bytes()[start:].decode(errors="replace")
        print(f"\n--- server log ({log}) ---\n{text}")


@pytest.fixture(scope="session")
def room_server(tmp_path_factory) -> Iterator[Server]:
    """The run's one server: every browser test that makes its own workshops shares it, as
    datasette's browser tests share theirs (ids of needs, practices and actions therefore run
    across tests, and tests find them by text)."""
    db = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    with serving(db, None) as served:
        yield served


@pytest.fixture
def server(room_server: Server, request) -> Iterator[Server]:
    """The run's one server, for one test: what it logged meanwhile is printed if the test fails."""
    start = room_server.log.stat().st_size
    yield room_server
    assert room_server.process.poll() is None, "a test stopped the run's server: give it a server of its own"
    print_log_if_failed(request, room_server.log, start)


@pytest.fixture
def own_server(tmp_path: Path, request) -> Iterator[Server]:
    """A server of the test's own, for a test that stops or restarts it, or needs its
    database seeded before it starts (DuckDB lets one process hold a file)."""
    with serving(tmp_path / "e2e.duckdb", request) as served:
        yield served


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
