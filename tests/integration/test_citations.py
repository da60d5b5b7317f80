"""From people's words to needs: a need cites the statements it came from ("Turn this into a
need", or the facilitator's link), merges keep every citation, and the summary, Review's
table and the exports carry them. On both backends."""

from __future__ import annotations

import pytest

from tests.conftest import make_room
from workshop import actions, analytics, review
from workshop.errors import InvalidSetting, ItemNotFound
from workshop.model import Phase
from workshop.store import Store


def test_a_need_cites_what_people_said_and_a_merge_keeps_it(store: Store):
    room = make_room(store, participants=3)
    a, b, c = room.people
    theme = room.theme_ids[0]
    room.to(Phase.SHARE)
    chat = actions.share(store, a, theme, "Customers want answers in the chat, fast")
    rude = actions.share(store, b, theme, "Something rude")
    slow = actions.share(store, c, theme, "Our replies are slow and long")
    actions.hide_statement(store, room.access, rude)
    room.to(Phase.PROPOSE)

    with pytest.raises(ItemNotFound, match="no longer shown"):
        actions.propose(store, b, theme, "Writing for chat", cites=[chat, rude])
    assert store.needs(room.workshop.id) == []  # nothing stored half-way
    with pytest.raises(InvalidSetting, match="at most 5"):
        actions.propose(store, b, theme, "Writing for chat", cites=list(range(1, 7)))
    writing = actions.propose(store, b, theme, "Writing for chat", cites=[chat])
    short = actions.propose(store, c, theme, "Short answers")
    assert store.need_statements(room.workshop.id) == {writing: [chat]}

    actions.cite_statement(store, room.access, short, slow)
    with pytest.raises(ItemNotFound):
        actions.cite_statement(store, room.access, short, rude)
    assert store.need_statements(room.workshop.id) == {writing: [chat], short: [slow]}

    actions.merge_needs(store, room.access, short, writing)
    assert store.need_statements(room.workshop.id) == {writing: [chat, slow]}  # the merge keeps both
    summary = analytics.summary(store, room.workshop.id)
    assert summary["statements_per_need"] == {str(writing): 2}
    (need,) = [n for n in summary["needs"] if n["id"] == writing]
    assert [c["text"] for c in need["cites"]] == [
        "Customers want answers in the chat, fast",
        "Our replies are slow and long",
    ]
    table = review.session_summary(store, room.workshop.id, 3).needs_table
    assert table.set_index("id").at[writing, "what people said"] == (
        "Customers want answers in the chat, fast / Our replies are slow and long"
    )
    frames = store.session_frames(room.workshop.id, 3)
    assert sorted(frames["need_statements"]["statement_id"]) == [chat, slow]

    actions.unmerge_need(store, room.access, short)
    assert store.need_statements(room.workshop.id) == {writing: [chat], short: [slow]}
    actions.cite_statement(store, room.access, short, slow, cited=False)
    assert store.need_statements(room.workshop.id) == {writing: [chat]}


def test_the_actions_on_a_need_count_those_on_needs_merged_into_it(store: Store):
    room = make_room(store, participants=2)
    a, b = room.people
    room.to(Phase.PROPOSE)
    kept = actions.propose(store, a, room.theme_ids[0], "Writing for chat")
    folded = actions.propose(store, b, room.theme_ids[0], "Chat writing")
    first = actions.create_follow_up(
        store, room.access, "Course", [folded], owner="HR", due_date="2027-01-31"
    )
    second = actions.create_follow_up(store, room.access, "Coaching", [kept, folded])
    actions.merge_needs(store, room.access, folded, kept)
    found = store.actions_on_needs([kept, folded])
    assert [a["id"] for a in found[kept]] == [first, second]  # each once, the soonest due first
    assert found[kept][0]["owner"] == "HR" and found[kept][0]["status"] == "planned"
    assert folded not in found
