"""Shared fixtures: every test gets a fresh, real DuckDB file in its own tmp_path, and the
store's integration tests also a fresh schema in a real PostgreSQL database."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# An organisation key strong enough for the app to start with (settings.weak_secret).
ORGANISATION_KEY = "a-strong-organisation-key-Zq7Xw3"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.server import pg_schema as server_pg_schema  # noqa: E402
from workshop import actions  # noqa: E402
from workshop.model import Access, Created, Participant, Phase, ThemeDraft, WorkshopDraft  # noqa: E402
from workshop.store import Store  # noqa: E402


@dataclass
class Ran:
    """What a command printed and how it ended, as a shell sees it."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Ran:
    """`python -m workshop ARGS`, run by its main function in this process (no interpreter
    to start and no app to import again; tests/integration/test_store.py starts the module
    itself once)."""
    import contextlib
    import io

    from workshop import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse's refusals
            code = exc.code if isinstance(exc.code, int) else 1
    return Ran(code, out.getvalue(), err.getvalue())


def draft(**overrides) -> WorkshopDraft:
    values = dict(
        title="Strategy 2027",
        strategy="We grow by serving customers digitally and sustainably.",
        themes=(ThemeDraft("Digital service"), ThemeDraft("Sustainability")),
    )
    values.update(overrides)
    return WorkshopDraft(**values)


# The test database `.ci/run` creates; set COCREATE_TEST_DATABASE_URL to use another.
PG_TEST_URL = os.environ.get(
    "COCREATE_TEST_DATABASE_URL", "postgresql://cocreate:cocreate@127.0.0.1:5432/cocreate_test"
)


_throwaway: list = []  # the PostgreSQL this run started itself, when it needed one


def postgres_url() -> str:
    """The PostgreSQL the store's tests use: PG_TEST_URL when it answers, else a throwaway
    server this run starts from the system's PostgreSQL binaries (stopped and removed when
    the run ends). Skips (CI: fails) when there is neither."""
    import psycopg

    if _throwaway:
        return _throwaway[0].url
    try:
        psycopg.connect(PG_TEST_URL, autocommit=True, connect_timeout=3).close()
        return PG_TEST_URL
    except psycopg.OperationalError as exc:
        refused = exc
    from deploy.throwaway_postgres import binaries, throwaway_postgres

    if binaries() is None:
        message = f"{POSTGRES_SUITE}: no PostgreSQL at {PG_TEST_URL} ({refused}) and no binaries to start one"
        if os.environ.get("COCREATE_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    started = throwaway_postgres()
    _throwaway.append(started.__enter__())
    _throwaway.append(started)
    return _throwaway[0].url


@contextmanager
def pg_schema() -> Iterator[str]:
    """A URL of an empty, fresh PostgreSQL schema in the test database (postgres_url),
    dropped afterwards."""
    with server_pg_schema(postgres_url(), prefix="t") as url:
        yield url


POSTGRES_SUITE = "PostgreSQL suite"
# Each suite that needs something a machine may lack: how its skips start, and the one
# command that installs what it needs.
SUITES = {
    POSTGRES_SUITE: "apt-get install postgresql-15",
    "Browser suite": "apt-get install chromium",
    "Replica suite": "apt-get install nginx-light",
    "Container suite": "install a Docker engine",
}


# What no machine of this project's kind can have: CI may skip these (COCREATE_NO_SKIPS).
NOT_ON_THIS_KIND = {"Container suite"}


def skipped_suites(reporter) -> dict[str, int]:
    """Skipped tests per suite (by how their skip reason starts; "Other" for the rest)."""
    counts: dict[str, int] = {}
    for report in reporter.stats.get("skipped", []):
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        suite = next((name for name in SUITES if name in reason), "Other")
        counts[suite] = counts.get(suite, 0) + 1
    return counts


def pytest_collection_modifyitems(config, items):
    """A store test's PostgreSQL run is marked so, for the quick suite to leave it out."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgresql" in (
            callspec.params.get("location"),
            callspec.params.get("shared_store"),
        ):
            item.add_marker(pytest.mark.postgresql)


def pytest_sessionfinish(session, exitstatus):
    if len(_throwaway) == 2:
        _throwaway[1].__exit__(None, None, None)
        _throwaway.clear()
    # CI runs everything: a skipped suite there is a failed run.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if (
        os.environ.get("COCREATE_NO_SKIPS")
        and reporter is not None
        and set(skipped_suites(reporter)) - NOT_ON_THIS_KIND
    ):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One line per suite that did not run here, with what installs its prerequisite,
    instead of a skip reason per test."""
    for suite, n in skipped_suites(terminalreporter).items():
        command = SUITES.get(suite, "see the skip reasons (pytest -rs)")
        tests = "test" if n == 1 else "tests"
        terminalreporter.write_line(f"{suite}: {n} {tests} did not run here; to run them: {command}")
    if os.environ.get("COCREATE_NO_SKIPS") and set(skipped_suites(terminalreporter)) - NOT_ON_THIS_KIND:
        terminalreporter.write_line("COCREATE_NO_SKIPS: a suite was skipped, so the run fails.")


@pytest.fixture(autouse=True)
def no_wrong_keys_counted_yet() -> None:
    """Every test starts as a fresh process does, with no wrong keys counted: the pages of
    every test run in this one process, and all of them come from the same "local" address."""
    actions.KEY_GUESSES.clear()


@pytest.fixture(params=["duckdb", "postgresql"])
def location(request, tmp_path: Path, migrated_file: Path) -> Iterator[str | Path]:
    """Where a store keeps its rows: a DuckDB file, then a PostgreSQL schema (migrated
    afresh: a schema per test measured as fast as a database copied from a template)."""
    if request.param == "duckdb":
        yield fresh_duckdb(migrated_file, tmp_path / "cocreate.duckdb")
    else:
        with pg_schema() as url:
            yield url


@pytest.fixture(scope="session")
def migrated_file(tmp_path_factory) -> Path:
    """A DuckDB file with every migration applied, made once per run: copying it gives a
    test a fresh database in a tenth of the time the migrations take."""
    path = tmp_path_factory.mktemp("migrated") / "migrated.duckdb"
    Store(path).close()  # closing checkpoints: the file alone holds the schema
    return path


def fresh_duckdb(migrated: Path, path: Path) -> Path:
    """`path`, a fresh database of the current schema copied from `migrated`."""
    shutil.copyfile(migrated, path)
    return path


@pytest.fixture
def db_path(tmp_path: Path, migrated_file: Path) -> Path:
    """A fresh DuckDB file of the current schema in the test's own folder."""
    return fresh_duckdb(migrated_file, tmp_path / "cocreate.duckdb")


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def shared_store(request, tmp_path_factory, migrated_file: Path) -> Iterator[Store]:
    """One store for a module whose tests only read (or refuse) and so may share it: a
    DuckDB file, then a PostgreSQL schema."""
    if request.param == "duckdb":
        s = Store(fresh_duckdb(migrated_file, tmp_path_factory.mktemp("shared") / "cocreate.duckdb"))
        yield s
        s.close()
    else:
        with pg_schema() as url:
            s = Store(url)
            yield s
            s.close()


@pytest.fixture
def store(db_path: Path):
    s = Store(db_path)
    yield s
    s.close()


@dataclass
class Room:
    """A created workshop with its facilitator access and a few joined participants."""

    store: Store
    created: Created
    access: Access
    people: list[Participant]

    @property
    def workshop(self):
        return self.store.workshop(self.created.workshop.id)

    @property
    def theme_ids(self) -> list[int]:
        return [t.id for t in self.created.workshop.themes]

    def to(self, phase: Phase) -> None:
        actions.set_phase(self.store, self.access, phase)

    def join(self, name: str | None = None, team: str | None = None) -> Participant:
        participant, _ = actions.join(self.store, self.created.workshop.code, name, team)
        self.people.append(participant)
        return participant


def make_room(store: Store, participants: int = 3, **overrides) -> Room:
    created = actions.create_workshop(store, draft(**overrides))
    access = actions.access_for(store, created.session_token)
    room = Room(store, created, access, [])
    for i in range(participants):
        room.join(f"Person {i + 1}", "Sales" if i % 2 == 0 else "Support")
    return room


@pytest.fixture
def room(store: Store) -> Room:
    return make_room(store)


class Chat:
    """A chat's incoming webhook on this machine: keeps the text of every post it takes; the
    first `refuse` posts it answers with 500."""

    def __init__(self, refuse: int = 0) -> None:
        self.texts: list[str] = []
        self.refused: list[str] = []
        chat = self

        class Hook(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                text = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["text"]
                if len(chat.refused) < refuse:
                    chat.refused.append(text)
                    self.send_response(500)
                else:
                    chat.texts.append(text)
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/chat"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
