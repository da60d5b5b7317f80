"""The database clock the load test can put in the server (bench/db_clock.py)."""

from pathlib import Path

from bench import db_clock
from tests.conftest import make_room
from workshop.backends import DuckFile
from workshop.store import Store


def test_the_clock_counts_each_statement_and_leaves_the_store_as_it_was(tmp_path):
    store = Store(tmp_path / "clocked.duckdb")
    room = make_room(store, participants=0)
    cursor = DuckFile.cursor
    clock = db_clock.Clock(tmp_path / "clock.json", every=60).start()
    try:
        room.join("Ada", "Ops")
    finally:
        clock.stop()

    counted = db_clock.read(tmp_path / "clock.json")
    statements = {sql: (calls, seconds) for sql, calls, seconds in counted["statements"]}
    assert statements["INSERT INTO participants VALUES (?, ?, ?, ?, ?, ?)"][0] == 1
    assert statements["COMMIT"][0] == 1
    assert counted["calls"] == sum(calls for calls, _ in statements.values())
    assert 0 < counted["seconds"] == sum(seconds for _, seconds in statements.values())
    # Stopped, the store's cursors are DuckDB's own again and nothing more is counted.
    assert DuckFile.cursor is cursor
    room.join("Grace", "Ops")
    assert db_clock.read(tmp_path / "clock.json") == counted
    store.close()


def test_a_server_not_started_for_it_has_no_clock(monkeypatch):
    monkeypatch.delenv(db_clock.ENV, raising=False)
    assert db_clock.install_from_environment() is None
    assert db_clock.read(Path("/nonexistent/clock.json"))["calls"] == 0
