"""Shared fixtures: every test gets a fresh, real DuckDB file in its own tmp_path, and the
store's integration tests also a fresh schema in a real PostgreSQL database."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.server import pg_schema as server_pg_schema  # noqa: E402
from workshop import actions  # noqa: E402
from workshop.model import Access, Created, Participant, Phase, ThemeDraft, WorkshopDraft  # noqa: E402
from workshop.store import Store  # noqa: E402


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


@contextmanager
def pg_schema() -> Iterator[str]:
    """A URL of an empty, fresh PostgreSQL schema in the test database, dropped afterwards.

    Without a reachable PostgreSQL the test is skipped, unless COCREATE_REQUIRE_POSTGRES is
    set (CI sets it), where it fails."""
    import psycopg

    try:
        admin = psycopg.connect(PG_TEST_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL test database not reachable at {PG_TEST_URL}: {exc}"
        if os.environ.get("COCREATE_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message + " (start it as .ci/run does)")
    admin.close()
    with server_pg_schema(PG_TEST_URL, prefix="t") as url:
        yield url


@pytest.fixture(autouse=True)
def no_wrong_keys_counted_yet() -> None:
    """Every test starts as a fresh process does, with no wrong keys counted: the pages of
    every test run in this one process, and all of them come from the same "local" address."""
    actions.KEY_GUESSES.clear()


@pytest.fixture(params=["duckdb", "postgresql"])
def location(request, tmp_path: Path) -> Iterator[str | Path]:
    """Where a store keeps its rows: a DuckDB file, then a PostgreSQL schema."""
    if request.param == "duckdb":
        yield tmp_path / "cocreate.duckdb"
    else:
        with pg_schema() as url:
            yield url


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cocreate.duckdb"


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
