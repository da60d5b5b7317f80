"""Properties of the vote that hold after any sequence of dots, removals, merges and hides."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_room
from workshop import actions
from workshop.errors import CocreateError
from workshop.model import Phase
from workshop.store import Store

PEOPLE, NEEDS, BUDGET, CAP = 4, 4, 3, 2

person = st.integers(0, PEOPLE - 1)
need = st.integers(0, NEEDS - 1)
step = st.one_of(
    st.tuples(st.just("place"), person, need),
    st.tuples(st.just("remove"), person, need),
    st.tuples(st.just("back"), person, need),
    st.tuples(st.just("merge"), need, need),
    st.tuples(st.just("hide"), need, st.booleans()),
)


def check_invariants(store: Store, workshop_id: int) -> None:
    dots = store.read_df(
        "SELECT participant_id, need_id FROM dots WHERE workshop_id = $w", {"w": workshop_id}
    )
    needs = store.read_df(
        "SELECT id, participant_id, hidden, merged_into FROM needs WHERE workshop_id = $w", {"w": workshop_id}
    )
    listed = {n.id: n for n in store.needs(workshop_id, include_hidden=True)}
    # No budget or per-need cap is exceeded.
    if len(dots):
        assert dots.groupby("participant_id").size().max() <= BUDGET
        assert dots.groupby(["participant_id", "need_id"]).size().max() <= CAP
    # Dots sit only on needs that are shown; totals equal the slots held.
    open_needs = set(needs[(~needs["hidden"]) & needs["merged_into"].isna()]["id"])
    assert set(dots["need_id"]) <= open_needs
    assert sum(n.dots for n in listed.values()) == len(dots)
    # A backer counts once, never on their own need, never on a merged-away need.
    backings = store.read_df(
        "SELECT need_id, participant_id FROM backings WHERE workshop_id = $w", {"w": workshop_id}
    )
    authors = dict(zip(needs["id"], needs["participant_id"], strict=True))
    assert not backings.duplicated().any()
    assert all(authors[n] != p for n, p in zip(backings["need_id"], backings["participant_id"], strict=True))
    merged_away = set(needs[needs["merged_into"].notna()]["id"])
    assert not set(backings["need_id"]) & merged_away
    assert sum(n.backers for n in listed.values()) == len(backings)


def test_any_sequence_keeps_budgets_caps_and_totals(store):
    """On each backend: every example plays in a workshop of its own in one database."""

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(st.lists(step, min_size=1, max_size=25))
    def play(steps):
        run_steps(store, steps)

    play()


def run_steps(store: Store, steps: list[tuple]) -> None:
    room = make_room(store, participants=PEOPLE, dot_budget=BUDGET, per_need_cap=CAP)
    room.to(Phase.PROPOSE)
    ids = [
        actions.propose(store, room.people[i % PEOPLE], room.theme_ids[0], f"Need {i}") for i in range(NEEDS)
    ]
    for kind, a, b in steps:
        phase = Phase.PROPOSE if kind == "back" else Phase.VOTE
        if room.workshop.phase is not phase:
            room.to(phase)
        try:
            if kind == "place":
                actions.place_dot(store, room.people[a], ids[b])
            elif kind == "remove":
                actions.remove_dot(store, room.people[a], ids[b])
            elif kind == "back":
                actions.back(store, room.people[a], ids[b])
            elif kind == "merge":
                actions.merge_needs(store, room.access, ids[a], ids[b])
            else:
                actions.hide_need(store, room.access, ids[a], hidden=b)
        except CocreateError:
            pass  # a refused step must leave everything as it was
        check_invariants(store, room.workshop.id)
