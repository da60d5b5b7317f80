"""A facilitator takes a disruptive participant out of the room: their link stops working
and nothing they did counts any more, on DuckDB and on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import make_room
from workshop import actions, analytics
from workshop.errors import InvalidLink, ItemNotFound
from workshop.model import Phase, Reaction
from workshop.store import Store


def test_a_removed_participant_is_out_of_the_room_and_counts_nowhere(store: Store):
    room = make_room(store, participants=0, rate_needs=True)
    alex = room.join("Alex", "Sales")
    bo = room.join("Bo", "Sales")
    cy = room.join("Cy", "Sales")
    rude, rude_token = actions.join(store, room.created.workshop.code, "Rude", "Sales")
    theme = room.theme_ids[0]
    room.to(Phase.SHARE)
    kept_statement = actions.share(store, alex, theme, "Customers first")
    rude_statement = actions.share(store, rude, theme, "Something rude")
    actions.react(store, rude, kept_statement, Reaction.DISAGREE)
    actions.react(store, bo, rude_statement, Reaction.AGREE)
    room.to(Phase.PROPOSE)
    kept_need = actions.propose(store, alex, theme, "Coaching skills")
    rude_need = actions.propose(store, rude, theme, "A rude need")
    duplicate = actions.propose(store, cy, theme, "Coaching, the skill")
    actions.back(store, rude, duplicate)
    actions.merge_needs(store, room.access, duplicate, kept_need)  # Rude's backing moves onto kept_need
    room.to(Phase.VOTE)
    actions.place_dot(store, rude, kept_need)
    actions.place_dot(store, bo, rude_need)
    actions.rate(store, rude, kept_need, 1, 5)
    assert analytics.participation(store, room.workshop.id, Phase.VOTE)["joined"] == 4

    done = actions.remove_participant(store, room.access, rude.id)

    assert done == {
        "statements": 1,
        "needs": 1,
        "practices": 0,
        "stories": 0,
        "dots_returned": 1,  # Bo's dot on the rude need
        "dots": 1,
        "backings": 1,
        "reactions": 1,
        "ratings": 1,
        "practice_reactions": 0,
    }
    with pytest.raises(InvalidLink, match="taken this link out of the workshop"):
        actions.resume(store, rude_token)
    seen_by_bo = store.needs(room.workshop.id, viewer_id=bo.id)
    assert [n.id for n in seen_by_bo] == [kept_need]
    # Rude's dot and backing are gone; Cy backs it, as the author of the need merged into it.
    assert seen_by_bo[0].dots == 0 and seen_by_bo[0].backers == 1
    statements = store.statements(room.workshop.id, include_hidden=True)
    assert {s.id: s.hidden for s in statements} == {kept_statement: False, rude_statement: True}
    assert next(s for s in statements if s.id == kept_statement).disagree == 0
    assert analytics.participation(store, room.workshop.id, Phase.VOTE)["joined"] == 3
    assert store.answering_team_sizes(room.workshop.id) == {"Sales": 3}
    assert (
        store.read_df("SELECT count(*) AS n FROM ratings WHERE workshop_id = $w", {"w": room.workshop.id})[
            "n"
        ][0]
        == 0
    )
    # Bo's dot came back to Bo, who places it again.
    actions.place_dot(store, bo, kept_need)
    # Undoing the merge brings back the duplicate, without Rude's backing.
    actions.unmerge_need(store, room.access, duplicate)
    back = {n.id: n for n in store.needs(room.workshop.id)}
    assert back[duplicate].backers == 0

    with pytest.raises(ItemNotFound, match="removed already"):
        actions.remove_participant(store, room.access, rude.id)
    other = make_room(store, participants=1)
    with pytest.raises(ItemNotFound):
        actions.remove_participant(store, room.access, other.people[0].id)
    # Anyone may join again with the code, as someone new.
    again, _ = actions.join(store, room.created.workshop.code, "Rude", "Sales")
    assert again.id != rude.id


def test_after_a_removal_the_counts_agree_everywhere(store: Store):
    """Joined and contributed say the same on Facilitate, the projector, Review and the
    reports: a person taken out counts in neither (before, "Joined 4, Contributed 5")."""
    from workshop import exports, review

    room = make_room(store, participants=5)
    room.to(Phase.SHARE)
    for person in room.people:
        actions.share(store, person, room.theme_ids[0], f"Customers first, says {person.name}")
    actions.remove_participant(store, room.access, room.people[4].id)
    counts = analytics.participation(store, room.workshop.id, Phase.SHARE)
    assert (counts["joined"], counts["contributed"], counts["not_yet"]) == (4, 4, 0)
    assert analytics.contributors(store, room.workshop.id) == 4
    summary = review.session_summary(store, room.workshop.id, 3)
    assert (summary.joined, summary.contributed) == (4, 4)
    assert dict(summary.headline())["Contributed"] == "4"
    report = exports.markdown_report(summary, [])
    assert (
        "| Joined | Contributed |" in report and "| 4 | 4 | 4 |" in report
    )  # joined, contributed, statements
