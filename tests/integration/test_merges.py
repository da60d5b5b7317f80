"""A merge of duplicate needs can be undone exactly, on both backends: backers, dots and
ratings where they were, within each person's budget and the per-need cap."""

from __future__ import annotations

import pytest

from tests.conftest import make_room
from workshop import actions
from workshop.errors import InvalidMerge
from workshop.model import Phase
from workshop.store import Store


def state(store: Store, workshop_id: int) -> dict[str, set]:
    """Where every backing, dot and rating of the workshop is, and what is merged into what."""

    def rows(sql: str) -> set:
        return set(store.read_df(sql, {"w": workshop_id}).itertuples(index=False, name=None))

    return {
        "merged": rows("SELECT id, merged_into FROM needs WHERE workshop_id = $w"),
        "backings": rows("SELECT need_id, participant_id FROM backings WHERE workshop_id = $w"),
        "dots": rows("SELECT participant_id, slot, need_id, need_slot FROM dots WHERE workshop_id = $w"),
        "ratings": rows(
            "SELECT need_id, participant_id, importance, capability FROM ratings WHERE workshop_id = $w"
        ),
    }


@pytest.fixture
def voting(location):
    """Four people; needs a (Ann's), b (Bo's, a duplicate of a) and c (Cy's); backings,
    dots up to the cap on both duplicates, and ratings; the room in Vote."""
    store = Store(location)
    room = make_room(store, participants=4, per_need_cap=2, dot_budget=5)
    ann, bo, cy, di = room.people
    room.to(Phase.PROPOSE)
    theme = room.theme_ids[0]
    a = actions.propose(store, ann, theme, "Customer interviews")
    b = actions.propose(store, bo, theme, "Interviewing customers")
    c = actions.propose(store, cy, theme, "Negotiation training")
    actions.back(store, cy, a)
    actions.back(store, di, b)
    actions.back(store, cy, b)
    room.to(Phase.VOTE)
    for person, need, times in [(di, a, 2), (di, b, 2), (cy, b, 1), (ann, b, 1), (bo, c, 1)]:
        for _ in range(times):
            actions.place_dot(store, person, need)
    actions.rate(store, di, a, 5, 2)
    actions.rate(store, di, b, 4, 1)
    actions.rate(store, cy, b, 3, 3)
    yield store, room, (a, b, c)
    store.close()


def test_a_merge_undone_puts_every_backing_dot_and_rating_back_where_it_was(voting):
    store, room, (a, b, c) = voting
    before = state(store, room.workshop.id)

    moved = actions.merge_needs(store, room.access, b, a)
    assert moved == {"backers_added": 2, "dots_moved": 2, "dots_returned": 2}  # Bo and Di; Di was at the cap
    merged = state(store, room.workshop.id)
    assert (b, a) in merged["merged"] and merged != before

    assert actions.unmerge_need(store, room.access, b) == {"dots_back": 4, "dots_gone": 0}
    assert state(store, room.workshop.id) == before
    # Once undone it cannot be undone again; the need is on the list with its counts.
    with pytest.raises(InvalidMerge, match="is not merged into another need"):
        actions.unmerge_need(store, room.access, b)
    need = next(n for n in store.needs(room.workshop.id) if n.id == b)
    assert (need.dots, need.backers) == (4, 2)


def test_dots_taken_back_or_spent_since_the_merge_stay_where_the_person_put_them(voting):
    store, room, (a, b, c) = voting
    ann, bo, cy, di = room.people
    actions.merge_needs(store, room.access, b, a)
    actions.remove_dot(store, cy, a)  # Cy's dot, moved onto a by the merge, taken back
    for _ in range(2):  # Di spends the two dots the merge gave back (c can hold two)
        actions.place_dot(store, di, c)

    undone = actions.unmerge_need(store, room.access, b)

    # Ann's dot goes back onto b, and one of Di's two given back: the one left in her budget.
    assert undone == {"dots_back": 2, "dots_gone": 2}
    mine = store.viewer_state(room.workshop.id, di.id)
    assert mine.dots_used == 5 and mine.dots == {a: 2, b: 1, c: 2}
    assert store.viewer_state(room.workshop.id, cy.id).dots == {}
    assert store.viewer_state(room.workshop.id, ann.id).dots == {b: 1}


def test_a_need_merged_into_one_merged_since_is_unmerged_after_it(voting):
    store, room, (a, b, c) = voting
    actions.merge_needs(store, room.access, b, a)
    actions.merge_needs(store, room.access, a, c)
    with pytest.raises(InvalidMerge, match="unmerge that one first"):
        actions.unmerge_need(store, room.access, b)
    actions.unmerge_need(store, room.access, a)
    assert (b, a) in state(store, room.workshop.id)["merged"]  # b is in a again, as before
    actions.unmerge_need(store, room.access, b)
    assert {n.id for n in store.needs(room.workshop.id)} == {a, b, c}


def test_a_group_merges_all_or_nothing(voting):
    store, room, (a, b, c) = voting
    before = state(store, room.workshop.id)
    actions.hide_need(store, room.access, c, True)
    hidden = state(store, room.workshop.id)
    with pytest.raises(InvalidMerge, match=f"Need #{c} is hidden"):
        actions.merge_group(store, room.access, [b, c], a)
    assert state(store, room.workshop.id) == hidden
    actions.hide_need(store, room.access, c, False)
    actions.merge_group(store, room.access, [b, c], a)
    assert {n.id for n in store.needs(room.workshop.id)} == {a}
    actions.unmerge_need(store, room.access, c)
    actions.unmerge_need(store, room.access, b)
    after = state(store, room.workshop.id)
    # Bo's dot on c came back; the hide gave it back before, so compare without c's dot.
    assert after["backings"] == before["backings"] and after["ratings"] == before["ratings"]
    assert after["merged"] == before["merged"]
