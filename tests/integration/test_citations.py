"""From people's words to needs: a need cites the statements it came from ("Turn this into a
need", or the facilitator's link), merges keep every citation, and the summary, Review's
table and the exports carry them. On both backends."""

from __future__ import annotations

import pytest

from tests.conftest import make_room
from workshop import actions, analytics, review
from workshop.analytics import HELP_RULE
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
    frames = store.session_frames(room.workshop.id, 3, HELP_RULE)
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


def test_an_action_is_edited_closed_with_an_outcome_traced_to_peoples_words_and_deleted_with_a_trace(
    store: Store,
):
    from workshop import exports

    room = make_room(store, participants=0)
    sales = [room.join(f"S{i}", "Sales") for i in range(3)]
    theme = room.theme_ids[0]
    room.to(Phase.SHARE)
    said = actions.share(store, sales[0], theme, "Customers wait too long for answers")
    practice = actions.share_practice(store, sales[1], theme, "Answer templates", "We improve them weekly.")
    room.to(Phase.PROPOSE)
    need = actions.propose(store, sales[1], theme, "Writing for chat", cites=[said], learn_from=[practice])
    room.to(Phase.VOTE)
    for person in sales:
        actions.place_dot(store, person, need)
        actions.rate(store, person, need, 5, 2)
    room.to(Phase.CLOSED)

    made = actions.create_follow_up(store, room.access, "Chat course", [need], owner="HR")
    actions.update_follow_up(
        store,
        room.access,
        made,
        title="Chat course",
        owner="Dee",
        due_date="2027-02-01",
        status="in progress",
        note="Booked a trainer.",
    )
    with pytest.raises(Exception, match="the limit is 1000"):
        actions.update_follow_up(
            store,
            room.access,
            made,
            title="Chat course",
            owner="Dee",
            due_date=None,
            status="done",
            outcome="x" * 1001,
        )
    actions.update_follow_up(
        store,
        room.access,
        made,
        title="Chat course",
        owner="Dee",
        due_date="2027-02-01",
        status="done",
        outcome="Answers are shorter; customers ask less.",
    )
    (action,) = store.follow_ups([room.workshop.id])
    assert (action.owner, action.note, action.outcome) == (
        "Dee",
        "Booked a trainer.",
        "Answers are shorter; customers ask less.",
    )
    history = store.follow_up_history([made])[made]
    assert [status for status, _ in history] == ["planned", "in progress", "done"]
    assert review.timeline(history).startswith("planned ") and " → done " in review.timeline(history)

    (step,) = review.trace(store, action, 3)
    assert step["need"] == "Writing for chat" and step["said"] == ["Customers wait too long for answers"]
    assert step["practices"] == ["Answer templates"] and step["teams"] == "Sales (3)"
    assert step["numbers"] == "3 dots · 0 backers · importance 5.0, capability 2.0"
    page = exports.html_report(
        review.session_summary(store, room.workshop.id, 3),
        [action],
        review.action_stories(store, [action], 3),
    )
    assert "Timeline: planned" in page and "Customers wait too long for answers" in page
    assert "Outcome: Answers are shorter; customers ask less." in page

    actions.delete_follow_up(store, room.access, made)
    assert store.follow_ups() == [] and store.follow_up_history([made]) == {made: []}
    log = analytics.moderation_log(store, room.workshop.id)
    assert log[["who", "action", "item", "detail"]].values.tolist() == [
        ["the facilitator", "deleted a follow-up action", "Chat course", "when done"]
    ]
    with pytest.raises(Exception, match="no longer exists"):
        actions.delete_follow_up(store, room.access, made)


def test_a_check_in_asks_the_same_people_again_and_shows_the_change_per_need_and_team(store: Store):
    room = make_room(store, participants=0)
    sales = [room.join(f"S{i}", "Sales") for i in range(3)]
    duo = [room.join(f"D{i}", "Duo") for i in range(2)]
    outsider = room.join("Quiet", "Sales")  # rates nothing
    room.to(Phase.PROPOSE)
    need = actions.propose(store, sales[0], room.theme_ids[0], "Writing for chat")
    room.to(Phase.VOTE)
    for person, capability in zip([*sales, *duo], [1, 2, 3, 2, 2], strict=True):
        actions.rate(store, person, need, 5, capability)
    with pytest.raises(Exception, match="close the workshop first"):
        actions.open_checkin(store, room.access, room.workshop.id)
    room.to(Phase.CLOSED)
    with pytest.raises(Exception, match="not open"):
        actions.check_in(store, sales[0], need, 4)
    actions.open_checkin(store, room.access, room.workshop.id)
    assert store.workshop(room.workshop.id).checkin_open
    for person, capability in zip([sales[0], sales[1], duo[0]], [4, 4, 3], strict=True):
        actions.check_in(store, person, need, capability)
    actions.check_in(store, sales[0], need, 5)  # changed her mind: once per person
    with pytest.raises(InvalidSetting):
        actions.check_in(store, sales[2], need, 6)
    with pytest.raises(ItemNotFound, match="did not rate"):
        actions.check_in(store, outsider, need, 3)
    change = analytics.checkin_change(store, room.workshop.id, 3)
    rows = {r.team: (r.people, r.before, r.after) for r in change.itertuples()}
    # Two of Sales and one of Duo checked in: no group of three apart, so one pool of three.
    assert rows == {"other": (3, pytest.approx(5 / 3), 4.0)}
    assert store.checked_in(room.workshop.id, sales[0].id) == {need: 5}
    actions.open_checkin(store, room.access, room.workshop.id, False)
    with pytest.raises(Exception, match="not open"):
        actions.check_in(store, sales[2], need, 3)


def test_a_facilitator_session_reviews_another_workshop_it_holds_the_key_of(store: Store):
    first = make_room(store, participants=0, title="Spring")
    second = make_room(store, participants=0, title="Autumn")
    token = first.created.session_token
    with pytest.raises(Exception, match="not the facilitator key"):
        actions.add_workshop_to_review(store, token, second.workshop.code, first.created.facilitator_key)
    actions.add_workshop_to_review(store, token, second.workshop.code, second.created.facilitator_key)
    actions.add_workshop_to_review(store, token, second.workshop.code, second.created.facilitator_key)  # once
    access = actions.access_for(store, token)
    assert access.also == (second.workshop.id,)
    assert [w.title for w in actions.reviewable_workshops(store, access)] == ["Spring", "Autumn"]
    assert actions.facilitated_workshop(store, access).id == first.workshop.id
