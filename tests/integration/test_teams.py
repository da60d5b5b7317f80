"""Teams mean something in the breakdowns: one spelling per team, whatever the case people
type, and the facilitator's list to pick from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from tests.conftest import draft, make_room
from workshop import actions, analytics
from workshop.errors import InvalidSetting, InvalidText
from workshop.model import Phase
from workshop.store import Store


def test_teams_typed_in_another_case_or_spacing_are_one_team(location):
    store = Store(location)
    try:
        room = make_room(store, participants=0)
        for name, team in [
            ("Ann", "Sales"),
            ("Bob", "  sales "),
            ("Cid", "SALES"),
            ("Dee", "Customer  support"),
        ]:
            room.join(name, team)
        room.join("Eve", "customer support")
        assert [p.team for p in room.people] == [
            "Sales",
            "Sales",
            "Sales",
            "Customer support",
            "Customer support",
        ]
        # What the store found again by the link says the same.
        assert store.participant(room.people[1].id).team == "Sales"

        # The breakdowns count them as one team of three and one of two.
        room.to(Phase.SHARE)
        room.to(Phase.PROPOSE)
        need = actions.propose(store, room.people[0], room.theme_ids[0], "Negotiation training")
        for person in (room.people[1], room.people[3], room.people[4]):
            actions.back(store, person, need)
        rows = analytics.support_by_team(store, room.workshop.id, min_team_size=2)
        assert sorted(zip(rows["team"], rows["team_size"], strict=True)) == [
            ("Customer support", 2),
            ("Sales", 3),
        ]
    finally:
        store.close()


def test_people_joining_a_workshop_with_a_team_list_get_its_spelling(location):
    store = Store(location)
    try:
        room = make_room(store, participants=0, teams=("Sales", "Customer support", " sales ", ""))
        assert room.workshop.teams == ("Sales", "Customer support")  # cleaned, without repeats
        assert room.join("Ann", "customer SUPPORT").team == "Customer support"
        assert room.join("Bob", "Other team").team == "Other team"
        assert room.join("Cid", "other TEAM").team == "Other team"

        # The list can be changed in the Lobby; the new spelling is what later joiners get.
        actions.edit_workshop(store, room.access, replace(room.workshop.draft(), teams=("SALES", "Finance")))
        assert store.workshop(room.workshop.id).teams == ("SALES", "Finance")
        assert room.join("Dee", "sales").team == "SALES"
    finally:
        store.close()


def test_a_team_list_with_a_too_long_or_too_many_names_is_refused(store):
    with pytest.raises(InvalidText, match="Team 2 has 41 characters"):
        actions.create_workshop(store, draft(teams=("Sales", "x" * 41)))
    with pytest.raises(InvalidSetting, match="at most 40 teams"):
        actions.create_workshop(store, draft(teams=tuple(f"Team {i}" for i in range(41))))


def test_a_database_from_before_team_lists_joins_the_spellings_of_each_team(tmp_path: Path):
    path = tmp_path / "before.duckdb"
    store = Store(path)
    room = make_room(store, participants=0)
    for name, team in [("Ann", "Sales"), ("Bob", "Support"), ("Cid", "Support")]:
        room.join(name, team)
    other = make_room(store, participants=0)
    other.join("Dee", "SALES")
    store.close()
    # As the file was before migration 4: no team lists, and teams spelt as typed.
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE teams")
    con.execute("DROP TABLE merges")  # and what came after it
    con.execute("DROP SEQUENCE merge_ids")
    con.execute("DELETE FROM schema_version WHERE version >= 4")
    con.execute("UPDATE participants SET team = 'sales' WHERE name = 'Bob'")
    con.execute("UPDATE participants SET team = 'support' WHERE name = 'Cid'")
    con.close()

    store = Store(path)
    try:
        teams = {p: store.participant(p.id).team for p in room.people}
        assert list(teams.values()) == ["Sales", "Sales", "support"]  # the first member's spelling
        assert store.participant(other.people[0].id).team == "SALES"  # another workshop's own
        assert store.workshop(room.workshop.id).teams == ()
    finally:
        store.close()
