"""Aggregations on hand-made workshops with known answers."""

from __future__ import annotations

import pytest

from tests.conftest import make_room
from workshop import actions, analytics
from workshop.model import Phase


@pytest.fixture
def voted(store):
    """Four people in two teams (Sales: 1, 3; Support: 2, 4); three needs; known votes and ratings."""
    room = make_room(store, participants=4)
    p1, p2, p3, p4 = room.people
    room.to(Phase.PROPOSE)
    shared = actions.propose(store, p1, room.theme_ids[0], "Shared need")
    sales_only = actions.propose(store, p3, room.theme_ids[0], "Sales need")
    hidden = actions.propose(store, p2, room.theme_ids[1], "Hidden need")
    actions.back(store, p2, shared)
    room.to(Phase.VOTE)
    for person, need in [
        (p1, shared),
        (p2, shared),
        (p4, shared),
        (p3, sales_only),
        (p1, sales_only),
        (p2, hidden),
    ]:
        actions.place_dot(store, person, need)
    actions.rate(store, p1, shared, 5, 1)
    actions.rate(store, p2, shared, 3, 3)
    actions.rate(store, p3, sales_only, 2, 4)
    actions.hide_need(store, room.access, hidden)
    return room, {"shared": shared, "sales_only": sales_only, "hidden": hidden}


def test_matrix_has_mean_and_spread_of_ratings_with_dots(store, voted):
    room, needs = voted
    matrix = analytics.importance_capability(store, room.workshop.id).set_index("id")
    assert list(matrix.index) == [needs["shared"], needs["sales_only"]]
    shared = matrix.loc[needs["shared"]]
    assert (shared["importance"], shared["capability"], shared["raters"], shared["dots"]) == (4.0, 2.0, 2, 3)
    assert shared["importance_sd"] == pytest.approx(1.41421, abs=1e-4)
    assert matrix.loc[needs["sales_only"], "importance_sd"] == 0


def test_consensus_is_high_when_every_team_supports_and_zero_for_one_team(store, voted):
    room, needs = voted
    scores = analytics.consensus(analytics.support_by_team(store, room.workshop.id)).set_index("need_id")
    # shared: Sales 1 of 2 (p1), Support 2 of 2 (p2, p4) -> shares .5 and 1: mean .75, sd .25
    assert scores.loc[needs["shared"], "consensus"] == pytest.approx(1 - 0.25 / 0.75)
    assert scores.loc[needs["shared"], "support"] == pytest.approx(3 / 4)
    # sales_only: Sales 2 of 2, Support 0 -> 0
    assert scores.loc[needs["sales_only"], "consensus"] == 0
    assert needs["hidden"] not in scores.index


def test_support_by_team_counts_authors_backers_and_voters_once(store, voted):
    room, needs = voted
    table = analytics.support_by_team(store, room.workshop.id)
    shared = table[table["need_id"] == needs["shared"]].set_index("team")
    assert shared.loc["Sales", "supporters"] == 1 and shared.loc["Support", "supporters"] == 2
    assert shared.loc["Sales", "dots"] == 1 and shared.loc["Support", "dots"] == 2


def test_consensus_of_an_empty_workshop_is_empty(store):
    room = make_room(store, participants=0)
    assert analytics.consensus(analytics.support_by_team(store, room.workshop.id)).empty


def test_agreement_counts_each_reaction_and_skips_hidden_statements(store):
    room = make_room(store, participants=3)
    a, b, c = room.people
    room.to(Phase.SHARE)
    first = actions.share(store, a, room.theme_ids[0], "First")
    second = actions.share(store, a, room.theme_ids[0], "Second")
    gone = actions.share(store, b, room.theme_ids[0], "Gone")
    actions.react(store, b, first, "agree")
    actions.react(store, c, first, "disagree")
    actions.react(store, c, second, "pass")
    actions.react(store, a, gone, "agree")
    actions.hide_statement(store, room.access, gone)
    table = analytics.agreement(store, room.workshop.id)
    assert table[["text", "agree", "disagree", "pass"]].values.tolist() == [
        ["First", 1, 1, 0],
        ["Second", 0, 0, 1],
    ]
