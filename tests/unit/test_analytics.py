"""Aggregations on hand-made workshops with known answers."""

from __future__ import annotations

import pytest

from tests.conftest import make_room
from workshop import actions, analytics
from workshop.model import Phase
from workshop.privacy import EVERYONE


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
    scores = analytics.consensus(analytics.support_by_team(store, room.workshop.id)).set_index("id")
    # shared: Sales 1 of 2 (p1), Support 2 of 2 (p2, p4) -> shares .5 and 1: mean .75, sd .25
    assert scores.loc[needs["shared"], "consensus"] == pytest.approx(1 - 0.25 / 0.75)
    assert scores.loc[needs["shared"], "support"] == pytest.approx(3 / 4)
    # sales_only: Sales 2 of 2, Support 0 -> 0
    assert scores.loc[needs["sales_only"], "consensus"] == 0
    assert needs["hidden"] not in scores.index


def test_support_by_team_counts_authors_backers_and_voters_once(store, voted):
    room, needs = voted
    table = analytics.support_by_team(store, room.workshop.id)
    shared = table[table["id"] == needs["shared"]].set_index("team")
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


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


@pytest.fixture
def clocked(db_path):
    from datetime import datetime

    from workshop.store import Store

    clock = Clock(datetime(2026, 11, 28, 9, 0, 0))
    store = Store(db_path, clock=clock)
    yield store, clock
    store.close()


def test_contributions_per_minute_fill_quiet_minutes_with_zero(clocked):
    from datetime import timedelta

    store, clock = clocked
    room = make_room(store, participants=2)
    room.to(Phase.SHARE)
    a, b = room.people
    clock.now += timedelta(seconds=30)
    first = actions.share(store, a, room.theme_ids[0], "One")
    actions.react(store, b, first, "agree")
    clock.now += timedelta(minutes=2)
    actions.share(store, b, room.theme_ids[1], "Two")
    series = analytics.contributions_over_time(store, room.workshop.id)
    assert series["contributions"].tolist() == [2, 0, 1]
    assert series["minute"].iloc[0].minute == 0 and series["minute"].iloc[-1].minute == 2


def test_contributions_of_a_quiet_workshop_are_empty(store):
    room = make_room(store, participants=1)
    assert analytics.contributions_over_time(store, room.workshop.id).empty


def test_active_counts_people_seen_in_the_last_two_minutes(clocked):
    from datetime import timedelta

    store, clock = clocked
    room = make_room(store, participants=3)  # all join at 9:00
    room.to(Phase.SHARE)
    clock.now += timedelta(minutes=3)
    actions.share(store, room.people[0], room.theme_ids[0], "Still here")
    counts = analytics.participation(store, room.workshop.id, Phase.SHARE)
    assert counts == {"joined": 3, "active": 1, "contributed": 1, "not_yet": 2}


def test_statement_consensus_counts_author_and_agreement_by_team(store):
    room = make_room(store, participants=4)  # Sales: 1, 3; Support: 2, 4
    p1, p2, p3, p4 = room.people
    room.to(Phase.SHARE)
    both = actions.share(store, p1, room.theme_ids[0], "Both teams")
    one = actions.share(store, p3, room.theme_ids[0], "Only Sales")
    actions.react(store, p2, both, "agree")
    actions.react(store, p4, one, "disagree")
    actions.react(store, p1, one, "agree")
    scores = analytics.consensus(analytics.statement_support_by_team(store, room.workshop.id)).set_index("id")
    assert scores.loc[both, "consensus"] == pytest.approx(1.0)  # 1 of 2 in each team
    assert scores.loc[one, "consensus"] == 0 and scores.loc[one, "support"] == pytest.approx(0.5)


def test_team_of_one_and_people_without_a_team_get_their_own_rows(store):
    room = make_room(store, participants=0)
    solo = room.join("Solo", "Legal")
    nobody = room.join("No team")
    room.to(Phase.PROPOSE)
    need = actions.propose(store, solo, room.theme_ids[0], "Contracts")
    actions.back(store, nobody, need)
    table = analytics.support_by_team(store, room.workshop.id).set_index("team")
    assert table.loc["Legal", ["team_size", "supporters"]].tolist() == [1, 1]
    assert table.loc["(no team)", ["team_size", "supporters"]].tolist() == [1, 1]
    assert analytics.consensus(table.reset_index())["consensus"].tolist() == [1.0]


def test_ranking_ties_keep_the_older_need_first_and_leave_out_merged_and_hidden(store, voted):
    room, needs = voted
    ranking = analytics.needs_ranking(store, room.workshop.id)
    assert ranking["id"].tolist() == [needs["shared"], needs["sales_only"]]
    assert ranking[["dots", "backers", "voters"]].values.tolist() == [[3, 1, 3], [2, 0, 2]]


def test_key_terms_and_recent_items_skip_hidden_statements(store):
    room = make_room(store, participants=2)
    a, b = room.people
    room.to(Phase.SHARE)
    actions.share(store, a, room.theme_ids[0], "Customer service must be digital")
    actions.share(store, b, room.theme_ids[0], "Digital customer service for everyone")
    secret = actions.share(store, b, room.theme_ids[1], "Secret plans leak")
    actions.share(store, a, room.theme_ids[1], "Lower emissions in logistics")
    actions.hide_statement(store, room.access, secret)
    terms = analytics.key_terms(store, room.workshop.id, top=3)
    first = terms[terms["theme"] == "Digital service"]
    assert first["term"].tolist()[:2] == ["customer service", "digital"]
    assert not terms["term"].str.contains("secret").any()
    recent = analytics.recent_statements(store, room.workshop.id)
    assert recent["text"].tolist() == [
        "Lower emissions in logistics",
        "Digital customer service for everyone",
        "Customer service must be digital",
    ]


def test_ranking_order_from_team_rows_matches_the_ranking(store, voted):
    room, needs = voted
    by_team = analytics.support_by_team(store, room.workshop.id)
    assert analytics.ranking_order(by_team) == analytics.needs_ranking(store, room.workshop.id)["id"].tolist()
    assert set(by_team.loc[by_team["id"] == needs["shared"], "backers"]) == {1}


def test_ranking_order_breaks_ties_by_backers_then_age():
    import pandas as pd

    rows = pd.DataFrame(
        {
            "id": [5, 3, 4, 9],
            "text": list("abcd"),
            "team": ["T"] * 4,
            "team_size": [3] * 4,
            "supporters": [1, 1, 1, 1],
            "dots": [2, 2, 2, 5],
            "backers": [0, 1, 0, 0],
        }
    )
    assert analytics.ranking_order(rows) == [9, 3, 4, 5]


def test_a_merged_need_counts_only_under_its_target(store):
    room = make_room(store, participants=3)
    a, b, c = room.people
    room.to(Phase.PROPOSE)
    target = actions.propose(store, a, room.theme_ids[0], "Coaching")
    source = actions.propose(store, b, room.theme_ids[0], "Mentoring")
    room.to(Phase.VOTE)
    actions.place_dot(store, c, source)
    actions.merge_needs(store, room.access, source, target)
    ranking = analytics.needs_ranking(store, room.workshop.id)
    assert ranking[["id", "dots", "backers"]].values.tolist() == [[target, 1, 1]]
    by_team = analytics.support_by_team(store, room.workshop.id)
    assert set(by_team["id"]) == {target}
    assert by_team["supporters"].sum() == 3 and by_team["dots"].sum() == 1  # a wrote it, b merged in, c voted


def test_teams_with_fewer_than_the_threshold_who_answered_are_pooled_as_other(store):
    room = make_room(store, participants=0)
    sales = [room.join(f"B{i}", "Sales") for i in range(4)]
    small = [room.join("S1", "Legal"), room.join("S2", "Audit"), room.join("S3", "Ops")]
    room.to(Phase.PROPOSE)
    need = actions.propose(store, sales[0], room.theme_ids[0], "Contracts")
    for person in sales[1:3] + small:  # three of Sales answered, one only joined
        actions.back(store, person, need)

    def groups() -> dict:
        table = analytics.support_by_team(store, room.workshop.id, min_team_size=3)
        rows = zip(table["team"], table["team_size"], table["supporters"], strict=True)
        return {team: (size, supporters) for team, size, supporters in rows}

    assert groups() == {"Sales": (4, 3), "other": (3, 3)}
    # Two more joins make Legal a team of three, of whom one answered: still pooled.
    room.join("S4", "Legal")
    room.join("S5", "Legal")
    assert groups() == {"Sales": (4, 3), "other": (5, 3)}
    # A pool of two who answered would be the total less Sales: Sales joins the pool.
    actions.back(store, small[2], need, False)
    assert groups() == {"other": (9, 5)}
    # A room of two who answered shows no team at all, only its total.
    for person in (sales[1], sales[2], small[1]):
        actions.back(store, person, need, False)
    assert groups() == {EVERYONE: (2, 2)}
    statements = analytics.statement_support_by_team(store, room.workshop.id, min_team_size=3)
    assert "Legal" not in set(statements["team"])


def test_theme_by_team_counts_what_each_team_said_and_needed_and_pools_small_teams(store):
    from tests.conftest import make_room
    from workshop import actions, charts
    from workshop.model import Phase

    room = make_room(store, participants=0)
    sales = [room.join(f"S{i}", "Sales") for i in range(3)]
    duo = [room.join(f"D{i}", "Duo") for i in range(2)]
    lone = room.join("L0", "Lone")
    digital, green = room.theme_ids
    room.to(Phase.SHARE)
    actions.share(store, sales[0], digital, "Chat first")
    actions.share(store, duo[0], green, "Fewer flights")
    actions.share(store, lone, green, "Trains to meetings")  # the pool: three who answered
    room.to(Phase.PROPOSE)
    need = actions.propose(store, sales[1], digital, "Writing for chat")
    room.to(Phase.VOTE)
    actions.place_dot(store, sales[2], need)
    actions.place_dot(store, duo[1], need)
    table = analytics.theme_by_team(store, room.workshop.id, 3)
    cells = {(r.theme, r.team): (r.statements, r.needs, r.dots) for r in table.itertuples()}
    assert cells == {
        ("Digital service", "Sales"): (1, 1, 1),
        ("Digital service", "other"): (0, 0, 1),
        ("Sustainability", "Sales"): (0, 0, 0),
        ("Sustainability", "other"): (2, 0, 0),
    }
    figure = charts.theme_team_heatmap(table)
    assert list(figure.data[0].x) == ["Sales", "other"] and "Duo" not in figure.to_json()
    assert list(figure.data[0].z[0]) == [100, 100]  # each team's one dot went to Digital service
