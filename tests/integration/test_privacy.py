"""The privacy threshold, over random rooms: no breakdown, byline, report or export shows a
group of fewer than the threshold's people who answered what it shows, apart, pooled or
named; and the groups shown together still add up to the room's totals."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_room
from workshop import actions, analytics, exports, review
from workshop.analytics import HELP_RULE
from workshop.errors import CocreateError
from workshop.model import Phase
from workshop.privacy import EVERYONE

LEAST = 3
TEAMS = ("Sales", "Support", "Legal", "Ops", "HR")
DOINGS = ("say", "react", "propose", "back", "dot", "rate")


@st.composite
def rooms(draw) -> tuple[list[str | None], bool, list[tuple[int, str, int]]]:
    """1–12 people in 1–5 teams (some without one), anonymous or named, and what they do:
    (who, what, which of the things there are to do it to)."""
    size = draw(st.integers(1, 12))
    teams = TEAMS[: draw(st.integers(1, 5))]
    people = draw(st.lists(st.sampled_from((*teams, None)), min_size=size, max_size=size))
    doings = draw(
        st.lists(
            st.tuples(st.integers(0, size - 1), st.sampled_from(DOINGS), st.integers(0, 99)), max_size=40
        )
    )
    return people, draw(st.booleans()), doings


def play(store, people, anonymous, doings):
    """The room, played phase by phase; a refused doing (a quota, one's own need) is skipped."""
    room = make_room(store, participants=0, anonymous=anonymous, rate_needs=True)
    joined = [room.join(f"Person {i}", team) for i, team in enumerate(people)]
    statements, needs = [], []

    def do(what: str, fn, *args) -> None:
        try:
            result = fn(store, *args)
        except CocreateError:
            return
        if what == "say":
            statements.append(result)
        elif what == "propose":
            needs.append(result)

    for phase, kinds in (
        (Phase.SHARE, ("say", "react")),
        (Phase.PROPOSE, ("propose", "back")),
        (Phase.VOTE, ("dot", "rate")),
    ):
        room.to(phase)
        for who, what, which in doings:
            if what not in kinds:
                continue
            person, theme = joined[who], room.theme_ids[which % len(room.theme_ids)]
            if what == "say":
                do(what, actions.share, person, theme, f"What customers need number {who} {which}")
            elif what == "propose":
                do(what, actions.propose, person, theme, f"Skills in area {who} {which}")
            elif what == "react" and statements:
                do(
                    what,
                    actions.react,
                    person,
                    statements[which % len(statements)],
                    "agree" if which % 2 else "pass",
                )
            elif what == "back" and needs:
                do(what, actions.back, person, needs[which % len(needs)])
            elif what == "dot" and needs:
                do(what, actions.place_dot, person, needs[which % len(needs)])
            elif what == "rate" and needs:
                do(what, actions.rate, person, needs[which % len(needs)], 1 + which % 5, 1 + which // 20)
    actions.reveal_results(store, room.access)
    room.to(Phase.RESULTS)
    return room


def answered(store, wid: int, *tables: str) -> dict[int, str]:
    """The team (or "(no team)") of each person who has a row in any of `tables`."""
    teams = {}
    for table in tables:
        visible = " AND NOT t.hidden" if table in ("statements", "needs") else ""
        frame = store.read_df(
            f"""SELECT DISTINCT p.id, coalesce(p.team, '(no team)') AS team FROM {table} t
                JOIN participants p ON p.id = t.participant_id
                WHERE t.workshop_id = $w AND NOT p.removed{visible}""",
            {"w": wid},
        )
        teams.update(zip(frame["id"], frame["team"], strict=True))
    return teams


def assert_groups_allowed(shown: set, who: dict[int, str], what: str) -> None:
    """Every group shown has at least LEAST of the people who answered: a team by name, the
    pool of all others, or the room as one group (EVERYONE) only when nothing else shows."""
    named = {g for g in shown if g not in ("other", EVERYONE)}
    for team in named:
        people = sum(1 for t in who.values() if t == team)
        assert people >= LEAST, f"{what}: team {team!r} shown with {people} who answered"
    if "other" in shown:
        people = sum(1 for t in who.values() if t not in named)
        assert people >= LEAST, f"{what}: the pool shown with {people} who answered"
    if EVERYONE in shown:
        assert shown == {EVERYONE}, f"{what}: the room as one group beside teams: {shown}"


def teams_in(frame: pd.DataFrame, *columns: str) -> set:
    return {None if pd.isna(t) else t for column in columns for t in frame[column]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rooms())
def test_no_group_of_fewer_than_the_threshold_who_answered_is_shown(store, room_played):
    people, anonymous, doings = room_played
    room = play(store, people, anonymous, doings)
    wid = room.workshop.id

    by_team = analytics.support_by_team(store, wid, LEAST)
    supporters = answered(store, wid, "dots", "backings", "needs")
    assert_groups_allowed(teams_in(by_team, "team"), supporters, "support by team")
    dots = int(store.read_df("SELECT count(*) AS n FROM dots WHERE workshop_id = $w", {"w": wid})["n"][0])
    assert int(by_team["dots"].sum()) == dots  # everyone's dots count in the ranking

    themes = analytics.theme_by_team(store, wid, LEAST)
    assert_groups_allowed(
        teams_in(themes, "team"), answered(store, wid, "statements", "needs", "dots"), "themes"
    )
    assert int(themes["dots"].sum()) == dots

    said = analytics.statement_support_by_team(store, wid, LEAST)
    assert_groups_allowed(
        teams_in(said, "team"), answered(store, wid, "statements", "reactions"), "statements"
    )
    anything = answered(store, wid, "statements", "reactions", "needs", "backings", "dots", "ratings")
    bylines = teams_in(analytics.statements_table(store, wid, LEAST), "team") - {None}
    assert_groups_allowed(bylines, anything, "statements' teams")

    across = analytics.dots_by_team_across(store, [wid], LEAST)
    assert_groups_allowed(teams_in(across, "team"), answered(store, wid, "dots"), "across workshops")
    assert int(across["dots"].sum()) == dots

    exported = store.session_frames(wid, LEAST, HELP_RULE)["participants"]
    assert_groups_allowed(teams_in(exported, "team") - {None}, anything, "export")
    named = {team for team, n in store.answering_team_sizes(wid).items() if n >= LEAST}
    assert_groups_allowed(named, anything, "bylines")

    pairs = store.help_pairs(wid, LEAST, HELP_RULE)
    paired = {p["learner"] for p in pairs} | {p["helper"] for p in pairs}
    assert_groups_allowed(paired, anything, "who can help whom")

    summary = review.session_summary(store, wid, LEAST)
    for text, team, _agree in (s for theme in summary.themes for s in theme.top_statements):
        assert team is None or (not anonymous and team in bylines), (text, team)
    report = exports.markdown_report(summary, [])
    for team in set(TEAMS) - bylines - {t for t in teams_in(by_team, "team") if t}:
        assert f"— {team} (" not in report
