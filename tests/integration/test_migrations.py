"""A database written by every earlier schema version opens, migrates and loses nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from workshop import actions, analytics
from workshop.migrations import LATEST
from workshop.model import Phase
from workshop.store import Store

FIXTURES = ROOT / "tests" / "fixtures"


@pytest.mark.parametrize("version", [1])
def test_an_earlier_schema_migrates_without_loss(tmp_path: Path, monkeypatch, version: int):
    monkeypatch.chdir(ROOT)  # the export's load script names its files relative to the project
    path = tmp_path / f"v{version}.duckdb"
    con = duckdb.connect(str(path))
    con.execute(f"IMPORT DATABASE 'tests/fixtures/schema-v{version}'")
    assert con.execute("SELECT max(version) FROM schema_version").fetchall() == [(version,)]
    con.close()

    store = Store(path)
    assert store.schema_version() == LATEST
    workshop = actions.find_workshop(store, "GV4MYM")
    summary = analytics.summary(store, workshop.id)
    assert (summary["participants"], summary["dots_total"], summary["statements"]) == (6, 30, 11)
    assert workshop.phase is Phase.CLOSED and len(summary["needs"]) == 4
    token, _ = actions.open_as_facilitator(store, "GV4MYM", "EBBRF-J5JVB-NFG5E-5WNZ5-PH4XZ")
    access = actions.access_for(store, token)
    need = summary["needs"][0]["id"]
    actions.create_follow_up(store, access, "Works after the migration", [need])
    room_code = actions.create_workshop(store, workshop.draft()).workshop.code  # sequences carry on
    assert room_code != "GV4MYM"
    store.close()
