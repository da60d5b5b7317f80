"""The rules of a workshop, each with the message its user reads."""

from __future__ import annotations

import contextlib
import json

import pytest

from tests.conftest import ORGANISATION_KEY as ORG
from tests.conftest import draft, make_room
from workshop import actions, security, views
from workshop.errors import (
    AccessDenied,
    BudgetSpent,
    InvalidLink,
    InvalidMerge,
    InvalidSetting,
    InvalidText,
    ItemNotFound,
    NeedCapReached,
    NoDotToRemove,
    NotYours,
    TooManyGuesses,
    WorkshopNotFound,
    WrongPhase,
)
from workshop.model import VOTES_LOCKED, Phase, Reaction, ThemeDraft
from workshop.store import Store


def test_created_workshop_starts_in_lobby_with_a_readable_code(room):
    workshop = room.workshop
    assert workshop.phase is Phase.LOBBY
    assert len(workshop.code) == 6
    assert set(workshop.code) <= set(security.CODE_ALPHABET)
    assert not set("01OIL") & set(security.CODE_ALPHABET)
    assert [t.title for t in workshop.themes] == ["Digital service", "Sustainability"]


def test_facilitator_key_and_tokens_are_stored_only_hashed(store, room):
    created = room.created
    stored = store.facilitator_key_hash(created.workshop.id)
    assert created.facilitator_key not in stored and stored.startswith("scrypt$")
    assert security.key_matches(created.facilitator_key, stored)
    assert security.key_matches(created.facilitator_key.lower().replace("-", ""), stored)
    assert not security.key_matches("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", stored)
    dump = (
        store.read_df("SELECT * FROM workshops").to_csv() + store.read_df("SELECT * FROM sessions").to_csv()
    )
    assert created.presenter_token not in dump and created.session_token not in dump


def test_workshop_needs_one_to_eight_themes(store):
    with pytest.raises(InvalidSetting, match="1 to 8 strategy themes; this one has 0"):
        actions.create_workshop(store, draft(themes=()))
    with pytest.raises(InvalidSetting, match="this one has 9"):
        actions.create_workshop(store, draft(themes=tuple(ThemeDraft(f"T{i}") for i in range(9))))


def test_per_need_cap_cannot_exceed_budget(store):
    with pytest.raises(InvalidSetting) as error:
        actions.create_workshop(store, draft(dot_budget=3, per_need_cap=4))
    assert error.value.message == "The most dots on one need must be between 1 and the dot budget (3)."


def test_wrong_code_names_the_code_and_what_to_do(store, room):
    with pytest.raises(WorkshopNotFound) as error:
        actions.join(store, "zz-zzz9")
    assert error.value.message == "No workshop has the code ZZZZZ9. Check the code on the projector."


def test_code_is_accepted_in_any_case_with_spaces(store, room):
    code = room.workshop.code
    participant, token = actions.join(store, f" {code[:3].lower()} {code[3:]} ", "Ann", "Sales")
    assert participant.workshop_id == room.workshop.id
    assert actions.resume(store, token) == participant


def test_tampered_participant_token_is_refused(store, room):
    _, token = actions.join(store, room.workshop.code)
    with pytest.raises(InvalidLink) as error:
        actions.resume(store, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert "Join again with the workshop code" in error.value.message
    with pytest.raises(InvalidLink):
        actions.resume(store, "")


def test_anonymous_workshop_keeps_no_names(store):
    room = make_room(store, participants=0, anonymous=True)
    person = room.join("Visible Name", "Ops")
    assert person.name is None and person.team == "Ops"


def test_name_longer_than_forty_characters_is_refused(store, room):
    with pytest.raises(InvalidText) as error:
        actions.join(store, room.workshop.code, "x" * 41)
    assert error.value.message == "Your name has 41 characters; the limit is 40. Shorten it and try again."


def test_joining_a_closed_workshop_is_refused(store, room):
    room.to(Phase.CLOSED)
    with pytest.raises(WrongPhase, match="has closed"):
        actions.join(store, room.workshop.code)


def test_text_is_stored_composed_and_a_name_of_invisible_characters_is_no_name(store, room):
    room.to(Phase.SHARE)
    actions.share(
        store, room.people[0], room.theme_ids[0], "Ta\u0308ma\u0308 on tyo\u0308ta\u0308 👨\u200d👩\u200d👧"
    )
    (statement,) = store.statements(room.workshop.id)
    assert (
        statement.text == "Tämä on työtä 👨\u200d👩\u200d👧"
    )  # one letter each; the family keeps its joiners
    person, _ = actions.join(store, room.workshop.code, "\u200b\u200b", "\u2060")
    assert (person.name, person.team, person.display_name) == (None, None, "Anonymous")


def test_text_is_trimmed_and_control_characters_removed(store, room):
    room.to(Phase.SHARE)
    sid = actions.share(
        store, room.people[0], room.theme_ids[0], "  Learn\x00 <b>fast</b>\u202e \x07 \n\n\n\nok  "
    )
    (statement,) = store.statements(room.workshop.id)
    assert statement.id == sid
    assert statement.text == "Learn <b>fast</b>\n\nok"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x00\x01",
        "\n\t\n",
        "\u200b\u200b",
        " \u200d\ufeff\u2060 \u00ad",
        "\u3164",  # Hangul filler
        "\uffa0\uffa0",  # halfwidth Hangul filler
        "\u2800",  # Braille blank
        "\u0301",  # a combining mark on its own
        "\u3164 \u2800\u0301\u034f",
    ],
)
def test_empty_statement_is_refused(store, room, text):
    room.to(Phase.SHARE)
    with pytest.raises(InvalidText) as error:
        actions.share(store, room.people[0], room.theme_ids[0], text)
    assert error.value.message == "Your statement is empty. Write something and send it again."
    assert store.statements(room.workshop.id) == []


def test_statement_over_500_characters_is_refused(store, room):
    room.to(Phase.SHARE)
    with pytest.raises(InvalidText) as error:
        actions.share(store, room.people[0], room.theme_ids[0], "a" * 501)
    assert (
        error.value.message
        == "Your statement has 501 characters; the limit is 500. Shorten it and send it again."
    )
    actions.share(store, room.people[0], room.theme_ids[0], "a" * 500)


def test_share_is_refused_outside_the_share_phase(store, room):
    with pytest.raises(WrongPhase) as error:
        actions.share(store, room.people[0], room.theme_ids[0], "Too early")
    assert error.value.message.startswith(
        "The workshop is in the Lobby phase; this can be done only in Share."
    )


def test_theme_of_another_workshop_is_refused(store, room):
    other = make_room(store, participants=0)
    room.to(Phase.SHARE)
    with pytest.raises(ItemNotFound, match="not part of this workshop"):
        actions.share(store, room.people[0], other.theme_ids[0], "Wrong theme")


def test_statement_of_another_participant_cannot_be_changed(store, room):
    room.to(Phase.SHARE)
    a, b, _ = room.people
    sid = actions.share(store, a, room.theme_ids[0], "Mine")
    with pytest.raises(NotYours, match="only your own statements"):
        actions.edit_statement(store, b, sid, "Hijacked")
    with pytest.raises(NotYours):
        actions.withdraw_statement(store, b, sid)
    actions.edit_statement(store, a, sid, "Mine, edited")
    assert [s.text for s in store.statements(room.workshop.id)] == ["Mine, edited"]


def test_withdrawn_statement_takes_its_reactions(store, room):
    room.to(Phase.SHARE)
    a, b, _ = room.people
    sid = actions.share(store, a, room.theme_ids[0], "Soon gone")
    actions.react(store, b, sid, Reaction.AGREE)
    actions.withdraw_statement(store, a, sid)
    assert store.statements(room.workshop.id) == []
    assert store.read_df("SELECT count(*) AS n FROM reactions")["n"][0] == 0


def test_statement_is_locked_when_the_phase_moves_on(store, room):
    room.to(Phase.SHARE)
    sid = actions.share(store, room.people[0], room.theme_ids[0], "Draft")
    room.to(Phase.PROPOSE)
    with pytest.raises(WrongPhase):
        actions.edit_statement(store, room.people[0], sid, "Too late")


def test_a_new_reaction_replaces_the_old_one(store, room):
    room.to(Phase.SHARE)
    a, b, c = room.people
    sid = actions.share(store, a, room.theme_ids[0], "Shared")
    actions.react(store, b, sid, "agree")
    actions.react(store, b, sid, "disagree")
    actions.react(store, c, sid, "pass")
    (s,) = store.statements(room.workshop.id, viewer_id=b.id)
    assert (s.agree, s.disagree, s.passes, s.my_reaction) == (0, 1, 1, Reaction.DISAGREE)


def test_reacting_to_your_own_statement_is_refused(store, room):
    room.to(Phase.SHARE)
    sid = actions.share(store, room.people[0], room.theme_ids[0], "Mine")
    with pytest.raises(NotYours, match="your own statement"):
        actions.react(store, room.people[0], sid, "agree")


def test_unknown_reaction_is_refused(store, room):
    room.to(Phase.SHARE)
    sid = actions.share(store, room.people[0], room.theme_ids[0], "Shared")
    with pytest.raises(InvalidSetting, match="agree, disagree or pass"):
        actions.react(store, room.people[1], sid, "love")


def test_hidden_statement_is_not_shown_and_cannot_be_reacted_to(store, room):
    room.to(Phase.SHARE)
    sid = actions.share(store, room.people[0], room.theme_ids[0], "Rude words")
    actions.hide_statement(store, room.access, sid)
    assert store.statements(room.workshop.id) == []
    assert [s.hidden for s in store.statements(room.workshop.id, include_hidden=True)] == [True]
    with pytest.raises(ItemNotFound):
        actions.react(store, room.people[1], sid, "agree")


def test_a_statement_hidden_or_shown_again_after_answers_is_refused_or_answered_at_once(store, room):
    # The store keeps who wrote each statement and whether it is hidden between answers.
    room.to(Phase.SHARE)
    a, b, c = room.people
    sid = actions.share(store, a, room.theme_ids[0], "Open to answers")
    actions.react(store, b, sid, "agree")
    actions.hide_statement(store, room.access, sid)
    with pytest.raises(ItemNotFound):
        actions.react(store, c, sid, "agree")
    actions.hide_statement(store, room.access, sid, hidden=False)
    actions.react(store, c, sid, "disagree")
    (s,) = store.statements(room.workshop.id)
    assert (s.agree, s.disagree) == (1, 1)


def test_a_need_hidden_or_merged_after_backings_is_refused_at_once(store, room):
    a, b, c = room.people
    hidden, source, target = _needs(room, "Hide me", "Fold in", "Keep")
    for need in (hidden, source, target):
        if store.need_state(room.workshop.id, need)[0] != c.id:
            actions.back(store, c, need)
    actions.hide_need(store, room.access, hidden)
    with pytest.raises(ItemNotFound):
        actions.back(store, b, hidden)
    actions.merge_needs(store, room.access, source, target)
    with pytest.raises(ItemNotFound):
        actions.back(store, b, source)
    actions.hide_need(store, room.access, hidden, hidden=False)
    actions.back(store, b, hidden)
    assert {n.id: n.backers for n in store.needs(room.workshop.id)}[hidden] == 2


def _needs(room, *texts):
    room.to(Phase.PROPOSE)
    ids = [
        actions.propose(room.store, room.people[i % len(room.people)], room.theme_ids[0], t)
        for i, t in enumerate(texts)
    ]
    return ids


def test_backing_counts_each_person_once_and_never_the_author(store, room):
    a, b, c = room.people
    (n,) = _needs(room, "Data literacy")
    actions.back(store, b, n)
    actions.back(store, b, n)
    actions.back(store, c, n)
    with pytest.raises(NotYours, match="your own proposal"):
        actions.back(store, a, n)
    assert store.needs(room.workshop.id)[0].backers == 2
    actions.back(store, c, n, backed=False)
    assert store.needs(room.workshop.id)[0].backers == 1


def test_dot_is_refused_when_budget_is_spent(store):
    room = make_room(store, dot_budget=3, per_need_cap=2)
    n1, n2 = _needs(room, "One", "Two")
    room.to(Phase.VOTE)
    voter = room.people[2]
    assert actions.place_dot(store, voter, n1) == 2
    assert actions.place_dot(store, voter, n1) == 1
    assert actions.place_dot(store, voter, n2) == 0
    with pytest.raises(BudgetSpent) as error:
        actions.place_dot(store, voter, n2)
    assert error.value.message == (
        "You have placed all 3 of your dots. Take a dot back from another need to move it here."
    )
    assert actions.remove_dot(store, voter, n1) == 1
    assert actions.place_dot(store, voter, n2) == 0


def test_dot_is_refused_over_the_per_need_cap(store, room):
    (n,) = _needs(room, "Only need")
    room.to(Phase.VOTE)
    for _ in range(3):
        actions.place_dot(store, room.people[0], n)
    with pytest.raises(NeedCapReached) as error:
        actions.place_dot(store, room.people[0], n)
    assert error.value.message == "A need can hold at most 3 of your dots. Spend the rest on other needs."


def test_dots_only_in_the_vote_phase(store, room):
    (n,) = _needs(room, "Need")
    with pytest.raises(WrongPhase, match="only in Vote"):
        actions.place_dot(store, room.people[0], n)


def test_a_workshop_that_locks_voting_refuses_dots_once_the_results_are_revealed(store, db_path):
    room = make_room(store, lock_after_reveal=True)
    n1, n2 = _needs(room, "One", "Two")
    room.to(Phase.VOTE)
    voter = room.people[0]
    actions.place_dot(store, voter, n1)
    actions.reveal_results(store, room.access)
    for move in (actions.place_dot, actions.remove_dot):
        with pytest.raises(WrongPhase) as error:
            move(store, voter, n1)
        assert error.value.message == VOTES_LOCKED
    assert store.viewer_state(room.workshop.id, voter.id).dots == {n1: 1}  # nothing moved
    assert views.vote_rules(room.workshop) == VOTES_LOCKED
    actions.reveal_results(store, room.access, False)  # hidden again: the dots move again
    assert actions.place_dot(store, voter, n2) == 3
    # The setting is the workshop's own, kept across a restart; without it, a reveal locks nothing.
    store.close()
    reopened = Store(db_path)
    assert reopened.workshop(room.workshop.id).lock_after_reveal
    other = make_room(reopened)
    (need,) = _needs(other, "Three")
    other.to(Phase.VOTE)
    actions.reveal_results(reopened, other.access)
    assert actions.place_dot(reopened, other.people[0], need) == 4
    reopened.close()


def test_removing_a_dot_that_is_not_there_is_refused(store, room):
    (n,) = _needs(room, "Need")
    room.to(Phase.VOTE)
    with pytest.raises(NoDotToRemove, match="no dot on that need"):
        actions.remove_dot(store, room.people[0], n)


def test_hiding_a_need_gives_its_dots_back(store, room):
    n1, n2 = _needs(room, "Good", "Inappropriate")
    room.to(Phase.VOTE)
    a, b, _ = room.people
    actions.place_dot(store, a, n2)
    actions.place_dot(store, a, n2)
    actions.place_dot(store, b, n1)
    assert actions.hide_need(store, room.access, n2) == 2
    assert [n.id for n in store.needs(room.workshop.id)] == [n1]
    assert store.dots_used(a) == 0
    with pytest.raises(ItemNotFound):
        actions.place_dot(store, a, n2)


def test_hidden_need_is_not_shown_to_participants(store, room):
    n1, n2 = _needs(room, "Fine", "Hide me")
    actions.hide_need(store, room.access, n2)
    viewer = room.people[0]
    assert [n.text for n in store.needs(room.workshop.id, viewer_id=viewer.id)] == ["Fine"]
    with pytest.raises(ItemNotFound):
        actions.back(store, room.people[1], n2)


def test_merge_moves_backers_and_dots_without_double_counting(store):
    room = make_room(store, participants=4)
    a, b, c, d = room.people
    room.to(Phase.PROPOSE)
    target = actions.propose(store, a, room.theme_ids[0], "Data literacy")
    source = actions.propose(store, b, room.theme_ids[0], "Data skills")
    actions.back(store, c, target)
    actions.back(store, c, source)  # c backs both: counted once after the merge
    actions.back(store, d, source)
    room.to(Phase.VOTE)
    actions.place_dot(store, c, target)
    actions.place_dot(store, c, source)
    actions.place_dot(store, d, source)
    result = actions.merge_needs(store, room.access, source, target)
    assert result == {"backers_added": 2, "dots_moved": 2, "dots_returned": 0}  # b (author) and d
    (merged,) = store.needs(room.workshop.id)
    assert (merged.id, merged.backers, merged.dots, merged.merged_from) == (target, 3, 3, (source,))
    assert store.read_df("SELECT count(*) AS n FROM dots")["n"][0] == 3


def test_merge_gives_back_dots_over_the_cap(store):
    room = make_room(store, dot_budget=5, per_need_cap=2)
    target, source = _needs(room, "A", "B")
    room.to(Phase.VOTE)
    voter = room.people[2]
    for need in (target, target, source, source):
        actions.place_dot(store, voter, need)
    result = actions.merge_needs(store, room.access, source, target)
    assert result["dots_moved"] == 0 and result["dots_returned"] == 2
    assert room.workshop.dot_budget - store.dots_used(voter) == 3
    with pytest.raises(NeedCapReached):
        actions.place_dot(store, voter, target)


def test_merging_a_need_twice_follows_the_chain(store, room):
    n1, n2, n3 = _needs(room, "One", "Two", "Three")
    actions.merge_needs(store, room.access, n3, n2)
    actions.merge_needs(store, room.access, n2, n1)
    (only,) = store.needs(room.workshop.id)
    assert only.id == n1 and only.merged_from == (n2, n3)
    with pytest.raises(InvalidMerge, match="merged already"):
        actions.merge_needs(store, room.access, n2, n1)


def test_merge_into_itself_or_a_hidden_need_is_refused(store, room):
    n1, n2 = _needs(room, "One", "Two")
    with pytest.raises(InvalidMerge, match="two different needs"):
        actions.merge_needs(store, room.access, n1, n1)
    actions.hide_need(store, room.access, n2)
    with pytest.raises(InvalidMerge, match="is hidden"):
        actions.merge_needs(store, room.access, n1, n2)


def test_only_the_author_edits_or_withdraws_a_need(store, room):
    (n,) = _needs(room, "Mine")
    with pytest.raises(NotYours):
        actions.edit_need(store, room.people[1], n, "Theirs", room.theme_ids[0])
    actions.edit_need(store, room.people[0], n, "Mine, better", room.theme_ids[1])
    (need,) = store.needs(room.workshop.id)
    assert (need.text, need.theme_id) == ("Mine, better", room.theme_ids[1])
    actions.withdraw_need(store, room.people[0], n)
    assert store.needs(room.workshop.id) == []


def test_ratings_are_one_to_five(store, room):
    (n,) = _needs(room, "Need")
    room.to(Phase.VOTE)
    with pytest.raises(InvalidSetting, match="Importance is rated from 1 to 5"):
        actions.rate(store, room.people[0], n, 6, 2)
    actions.rate(store, room.people[0], n, 5, 2)
    actions.rate(store, room.people[0], n, 4, None)
    (need,) = store.needs(room.workshop.id, viewer_id=room.people[0].id)
    assert (need.my_importance, need.my_capability) == (4, None)


def test_rating_is_refused_when_the_workshop_does_not_rate(store):
    room = make_room(store, rate_needs=False)
    (n,) = _needs(room, "Need")
    room.to(Phase.VOTE)
    with pytest.raises(WrongPhase, match="does not rate needs"):
        actions.rate(store, room.people[0], n, 3, 3)


def test_results_stay_hidden_until_revealed(store, room):
    assert not room.workshop.counts_visible
    actions.reveal_results(store, room.access)
    assert room.workshop.counts_visible
    actions.reveal_results(store, room.access, False)
    assert not room.workshop.counts_visible
    room.to(Phase.RESULTS)
    assert room.workshop.counts_visible


def test_results_are_visible_from_the_start_when_not_hidden(store):
    assert make_room(store, hide_results=False).workshop.counts_visible


def test_phases_go_forward_and_back_and_stop_at_the_ends(store, room):
    with pytest.raises(WrongPhase, match="no phase before it"):
        actions.go_back(store, room.access)
    seen = []
    for _ in range(5):
        seen.append(actions.advance_phase(store, room.access).phase)
    assert seen == [Phase.SHARE, Phase.PROPOSE, Phase.VOTE, Phase.RESULTS, Phase.CLOSED]
    with pytest.raises(WrongPhase, match="no phase after Closed"):
        actions.advance_phase(store, room.access)
    assert actions.go_back(store, room.access).phase is Phase.RESULTS
    changes = store.read_df("SELECT from_phase, to_phase FROM phase_changes ORDER BY id")
    assert list(changes.itertuples(index=False, name=None))[-1] == ("closed", "results")


def test_timer_is_set_cleared_and_reset_by_a_phase_change(store, room):
    actions.set_timer(store, room.access, 5)
    ends = room.workshop.timer_ends_at
    assert 299 <= (ends - store.now()).total_seconds() <= 300
    actions.set_timer(store, room.access, None)
    assert room.workshop.timer_ends_at is None
    actions.set_timer(store, room.access, 1)
    room.to(Phase.SHARE)
    assert room.workshop.timer_ends_at is None
    with pytest.raises(InvalidSetting):
        actions.set_timer(store, room.access, 0)


def test_facilitator_key_opens_only_its_own_workshop(store, room):
    other = make_room(store, participants=0)
    with pytest.raises(AccessDenied) as error:
        actions.open_as_facilitator(store, room.workshop.code, other.created.facilitator_key)
    assert error.value.message == (
        f"That is not the facilitator key of workshop {room.workshop.code}. "
        "Check the key you were shown when the workshop was created."
    )
    token, workshop = actions.open_as_facilitator(store, room.workshop.code, room.created.facilitator_key)
    access = actions.access_for(store, token)
    assert workshop.id == room.workshop.id
    with pytest.raises(AccessDenied):
        actions.facilitated_workshop(store, access, other.workshop.id)
    assert [w.id for w in actions.reviewable_workshops(store, access)] == [room.workshop.id]


def test_organisation_key_opens_review_of_every_workshop_but_not_facilitation(store, room):
    make_room(store, participants=0)
    with pytest.raises(AccessDenied, match="No organisation key is configured"):
        actions.open_as_organisation(store, "anything", None)
    with pytest.raises(AccessDenied, match="not the organisation key"):
        actions.open_as_organisation(store, "wrong", ORG)
    access = actions.access_for(store, actions.open_as_organisation(store, ORG, ORG))
    assert len(actions.reviewable_workshops(store, access)) == 2
    with pytest.raises(AccessDenied):
        actions.facilitated_workshop(store, access, room.workshop.id)


def test_unknown_session_link_is_refused(store):
    with pytest.raises(InvalidLink, match="Enter the workshop code and key again"):
        actions.access_for(store, "not-a-session")


def test_new_presenter_link_replaces_the_old_one(store, room):
    old = room.created.presenter_token
    assert actions.presented_workshop(store, old).id == room.workshop.id
    new = actions.new_presenter_link(store, room.access)
    assert actions.presented_workshop(store, new).id == room.workshop.id
    with pytest.raises(InvalidLink, match="presenter link is not valid"):
        actions.presented_workshop(store, old)


def test_every_write_is_in_the_event_log(store, room):
    room.to(Phase.SHARE)
    actions.share(store, room.people[0], room.theme_ids[0], "Logged")
    logged = list(
        store.read_df(
            "SELECT action FROM events WHERE workshop_id = $w ORDER BY id", {"w": room.workshop.id}
        )["action"]
    )
    assert logged[:1] == ["create_workshop"]
    assert logged.count("join") == 3 and logged[-2:] == ["set_phase", "share"]


def test_workshop_can_be_edited_in_the_lobby_only(store, room):
    changed = draft(
        title="Strategy 2028",
        themes=(
            ThemeDraft("Digital service", "What changes for you?"),
            ThemeDraft("People"),
            ThemeDraft("Growth"),
        ),
        dot_budget=4,
        per_need_cap=2,
    )
    workshop = actions.edit_workshop(store, room.access, changed)
    assert (workshop.title, workshop.dot_budget, workshop.per_need_cap) == ("Strategy 2028", 4, 2)
    assert [(t.title, t.prompt) for t in workshop.themes][:2] == [
        ("Digital service", "What changes for you?"),
        ("People", "What does this mean for you and your work?"),
    ]
    assert [t.id for t in workshop.themes][:2] == room.theme_ids  # ids kept by position
    room.to(Phase.SHARE)
    with pytest.raises(WrongPhase, match="only in the Lobby"):
        actions.edit_workshop(store, room.access, changed)


def test_a_theme_with_contributions_cannot_be_removed(store, room):
    room.to(Phase.SHARE)
    actions.share(store, room.people[0], room.theme_ids[1], "About sustainability")
    room.to(Phase.LOBBY)
    with pytest.raises(InvalidSetting) as error:
        actions.edit_workshop(store, room.access, draft(themes=(ThemeDraft("Digital service"),)))
    assert error.value.message.startswith('The theme "Sustainability" already has statements or needs')
    assert [t.title for t in room.workshop.themes] == ["Digital service", "Sustainability"]
    assert room.workshop.title == "Strategy 2027"


def test_key_guesses_are_slowed_down_after_three_failures(store, room):
    from workshop.security import GuessLimiter

    now = [100.0]
    limiter = GuessLimiter(clock=lambda: now[0])
    code = room.workshop.code
    for _ in range(3):
        with pytest.raises(AccessDenied, match="not the facilitator key"):
            actions.open_as_facilitator(store, code, "wrong", source="10.0.0.9", limiter=limiter)
    with pytest.raises(AccessDenied) as error:  # even the right key waits now
        actions.open_as_facilitator(
            store, code, room.created.facilitator_key, source="10.0.0.9", limiter=limiter
        )
    assert error.value.message == "Too many wrong keys. Wait 3 seconds, then try again."
    actions.open_as_facilitator(store, code, room.created.facilitator_key, source="10.0.0.8", limiter=limiter)
    now[0] += 2.5
    actions.open_as_facilitator(store, code, room.created.facilitator_key, source="10.0.0.9", limiter=limiter)
    assert limiter.wait(f"workshop:{room.workshop.code}", "10.0.0.9") == 0  # a right key clears the count


def test_guessing_one_workshops_key_never_delays_another_workshop_or_the_organisation(store, room):
    """From one shared address (a venue's network), an attacker guessing workshop A's key
    does not make B's facilitator or the organisation key wait."""
    from workshop.security import GuessLimiter

    limiter = GuessLimiter(clock=lambda: 0.0)
    other = make_room(store, participants=0)
    for _ in range(11):
        with pytest.raises(AccessDenied):
            actions.open_as_facilitator(
                store, room.workshop.code, "guess", source="203.0.113.7", limiter=limiter
            )
    actions.open_as_facilitator(
        store, other.workshop.code, other.created.facilitator_key, source="203.0.113.7", limiter=limiter
    )
    actions.open_as_organisation(store, ORG, ORG, source="203.0.113.7", limiter=limiter)


def test_guessers_at_a_workshop_never_lock_its_facilitator_out_and_each_waits_for_its_own(store, room):
    """Twelve addresses guessing a workshop's key for a minute: each of them is slowed by
    its own wrong keys, and the facilitator's right key opens at once (a facilitator key has
    124 random bits: a cap across addresses would protect nothing and lock them out). The
    organisation key alone is checked at most 30 times a minute from everywhere."""
    from workshop.security import GuessLimiter

    now = [0.0]
    limiter = GuessLimiter(clock=lambda: now[0])
    guessers = [f"198.51.100.{i}" for i in range(12)]
    for _ in range(5):
        for source in guessers:
            with contextlib.suppress(AccessDenied):
                actions.open_as_facilitator(
                    store, room.workshop.code, "guess", source=source, limiter=limiter
                )
        now[0] += 1.0
    with pytest.raises(AccessDenied, match="Too many wrong keys. Wait"):
        actions.open_as_facilitator(store, room.workshop.code, "guess", source=guessers[0], limiter=limiter)
    actions.open_as_facilitator(
        store, room.workshop.code, room.created.facilitator_key, source="192.0.2.50", limiter=limiter
    )
    for i in range(30):
        with pytest.raises(AccessDenied, match="not the organisation key"):
            actions.open_as_organisation(store, "guess", ORG, source=f"203.0.113.{i}", limiter=limiter)
    with pytest.raises(AccessDenied, match="Too many wrong keys"):
        actions.open_as_organisation(store, ORG, ORG, source="192.0.2.50", limiter=limiter)


def test_the_client_address_is_believed_from_a_trusted_proxy_only():
    from workshop.settings import client_address, trusted_proxies

    assert trusted_proxies({"COCREATE_TRUSTED_PROXIES": " 127.0.0.1, 10.0.0.2 "}) == {"127.0.0.1", "10.0.0.2"}
    trusted = frozenset({"10.0.0.2"})
    assert (
        client_address("198.51.100.4", "1.2.3.4", trusted) == "198.51.100.4"
    )  # not a proxy: its own word ignored
    assert client_address(None, "1.2.3.4", frozenset()) == "local"  # a browser on this machine, reload or not
    # Behind the proxy: the address it appended, not what the client wrote before it.
    assert client_address("10.0.0.2", "6.6.6.6, 198.51.100.4", trusted) == "198.51.100.4"
    assert client_address(None, "198.51.100.4", frozenset({"local"})) == "198.51.100.4"
    # A server listening on "::" sees an IPv4 proxy on this host as ::ffff:127.0.0.1: the same.
    local = trusted_proxies({"COCREATE_TRUSTED_PROXIES": "127.0.0.1"})
    assert client_address("::ffff:127.0.0.1", "203.0.113.9", local) == "203.0.113.9"
    assert client_address("::ffff:203.0.113.9", None, local) == "203.0.113.9"  # one client, one spelling
    assert client_address("2001:db8:0:0::1", None, local) == "2001:db8::1"
    # A network of proxies.
    nets = trusted_proxies({"COCREATE_TRUSTED_PROXIES": "10.0.0.0/8, ::ffff:172.16.0.0/108"})
    assert nets == {"10.0.0.0/8", "172.16.0.0/12"}
    assert client_address("10.4.5.6", "198.51.100.7, 10.9.9.9", nets) == "198.51.100.7"
    assert client_address("::ffff:172.16.3.4", "198.51.100.8", nets) == "198.51.100.8"


def test_organisation_key_guesses_are_slowed_down_too(store):
    from workshop.security import GuessLimiter

    limiter = GuessLimiter(free=1, clock=lambda: 0.0)
    with pytest.raises(AccessDenied, match="not the organisation key"):
        actions.open_as_organisation(store, "guess", ORG, source="x", limiter=limiter)
    with pytest.raises(AccessDenied, match="Too many wrong keys"):
        actions.open_as_organisation(store, ORG, ORG, source="x", limiter=limiter)


@pytest.mark.parametrize(
    "weak", ["org-key", "choose-a-long-key", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababababab12"]
)
def test_a_weak_organisation_key_stops_the_start_and_opens_nothing(store, weak):
    from workshop.settings import check_secrets

    with pytest.raises(ValueError, match="COCREATE_ADMIN_KEY is too weak.*secrets.token_urlsafe"):
        check_secrets({"COCREATE_ADMIN_KEY": weak})
    with pytest.raises(ValueError, match="COCREATE_METRICS_TOKEN is too weak"):
        check_secrets({"COCREATE_ADMIN_KEY": ORG, "COCREATE_METRICS_TOKEN": weak})
    with pytest.raises(AccessDenied, match="too weak to open every workshop"):
        actions.open_as_organisation(store, weak, weak, source="x")
    check_secrets({"COCREATE_ADMIN_KEY": ORG})
    check_secrets({})


def test_the_organisation_key_is_checked_30_times_a_minute_from_everywhere(store):
    """Many addresses together cannot outrun the cap on the organisation key; the scraper's
    token is held back only by its own client's wrong keys."""
    from workshop.security import GuessLimiter

    now = [0.0]
    limiter = GuessLimiter(clock=lambda: now[0])
    for i in range(30):
        with pytest.raises(AccessDenied, match="not the organisation key"):
            source = "203.0.113.9" if i < 3 else f"198.51.100.{i}"
            actions.open_as_organisation(store, "guess", ORG, source=source, limiter=limiter)
    with pytest.raises(TooManyGuesses) as held:
        actions.open_as_organisation(store, ORG, ORG, source="192.0.2.1", limiter=limiter)
    assert held.value.wait == 61
    token = "a-scraper-token-for-metrics-Pq8Vn2"
    actions.check_scraper(token, ORG, token, source="192.0.2.1", limiter=limiter)
    with pytest.raises(TooManyGuesses):  # a guesser's own address waits for its wrong keys
        actions.check_scraper(token, ORG, token, source="203.0.113.9", limiter=limiter)
    now[0] += 61.0
    actions.open_as_organisation(store, ORG, ORG, source="192.0.2.1", limiter=limiter)


@pytest.mark.parametrize(
    "typed",
    ["https://evil.example/login", "see www.evil.example now", "mail boss@evil.example", "HTTP://X.IO"],
)
def test_text_for_markdown_keeps_addresses_from_becoming_links(typed):
    from workshop.text import WORD_JOINER, markdown_escape

    shown = markdown_escape(typed)
    # What a person reads is the same text; what Markdown reads has no address it would link.
    assert shown.replace(WORD_JOINER, "").replace("\\", "") == typed
    unescaped = shown.lower().replace("\\", "")
    assert "://" not in unescaped and "www." not in unescaped
    assert shown.count("@") == shown.count(f"{WORD_JOINER}@")


def test_one_person_writes_at_most_so_many_statements_and_needs_a_minute_and_in_all(db_path):
    from datetime import datetime, timedelta

    from workshop.errors import QuotaReached

    now = [datetime(2026, 12, 2, 9, 0)]
    store = Store(db_path, clock=lambda: now[0])
    room = make_room(store, participants=2)
    room.to(Phase.SHARE)
    writer, other = room.people
    per_minute, in_all = actions.STATEMENT_QUOTA
    for i in range(per_minute):
        actions.share(store, writer, room.theme_ids[0], f"Statement {i}")
    with pytest.raises(QuotaReached) as error:
        actions.share(store, writer, room.theme_ids[0], "One too many")
    assert error.value.message == (
        f"You have written {per_minute} statements in the last minute, the most one person can. "
        "Wait a minute, then share again."
    )
    actions.share(store, other, room.theme_ids[0], "Someone else is not held back")
    for minute in range(1, in_all // per_minute):
        now[0] += timedelta(seconds=61)
        for i in range(per_minute):
            actions.share(store, writer, room.theme_ids[0], f"Statement {minute}.{i}")
    now[0] += timedelta(minutes=5)
    with pytest.raises(QuotaReached, match=f"written {in_all} statements in this workshop"):
        actions.share(store, writer, room.theme_ids[0], "Still one too many")
    assert len(store.statements(room.workshop.id, by=writer.id)) == in_all  # nothing half-way

    room.to(Phase.PROPOSE)
    for i in range(actions.NEED_QUOTA[0]):
        actions.propose(store, other, room.theme_ids[0], f"Need number {i} of many")
    with pytest.raises(QuotaReached, match="needs in the last minute"):
        actions.propose(store, other, room.theme_ids[0], "A need too many")
    store.close()


def test_needs_without_words_are_alike_only_when_the_same():
    from workshop import similar

    assert similar.likeness("{}", "[]") == 0.0
    assert similar.likeness("???", "???") == 1.0
    assert similar.likeness("Data literacy", "{}") == 0.0


def test_a_template_file_is_refused_with_a_message_never_a_traceback(tmp_path, monkeypatch):
    """Nested past any sense, a number JSON should not have, a name that is no label, a
    built-in's name, one template too many: each a message, and no file written."""
    from workshop import templates

    saved = tmp_path / "saved"

    def imported(body: dict | bytes):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return templates.import_template(data, saved)

    good = {"name": "Autumn format", "title": "Autumn", "themes": [{"title": "Customers"}]}
    with pytest.raises(InvalidSetting, match="not a template"):
        imported(b"[" * 30_000 + b"]" * 30_000)
    with pytest.raises(InvalidSetting, match="not a template"):
        imported(b'{"name": "x", "dot_budget": Infinity, "themes": []}')
    with pytest.raises(InvalidText, match="limit is 80"):
        imported({**good, "name": "\u202eA\x00" + "n" * 50_000})
    with pytest.raises(InvalidSetting, match="built-in template"):
        imported({**good, "name": "start FROM scratch"})
    assert not saved.exists() or not list(saved.glob("*.json"))
    named = imported({**good, "name": "\u202eAutumn\x00 format"})  # cleaned as every label
    assert named.name == "Autumn format"
    monkeypatch.setattr(templates, "MAX_SAVED", 2)
    imported(good)
    with pytest.raises(InvalidSetting, match="at most 2 saved templates"):
        imported(good)
    assert len(list(saved.glob("*.json"))) == 2


def test_the_key_guess_limiter_forgets_old_counts_and_keeps_a_bounded_number():
    from workshop.security import GuessLimiter

    now = [0.0]

    class Small(GuessLimiter):
        MAX_KEPT = 50

    limiter = Small(clock=lambda: now[0])
    for _ in range(5):
        limiter.checked("workshop 1", "10.0.0.1", right=False)
    assert limiter.wait("workshop 1", "10.0.0.1") > 0
    now[0] += GuessLimiter.FORGET_AFTER + 1  # an hour without a wrong key: a fresh start
    assert limiter.wait("workshop 1", "10.0.0.1") == 0
    for i in range(1000):  # a flood of made-up sources …
        limiter.checked("workshop 2", f"10.1.{i // 256}.{i % 256}", right=False)
    assert len(limiter._failures) <= 50 and len(limiter._checked) <= 50  # … keeps at most so many


def test_the_stores_memory_lets_the_least_recently_used_go_when_full_not_everything():
    from workshop.memory import Kept

    kept = Kept(limit=3)
    reads = []

    def read(key):
        return lambda: reads.append(key) or f"value {key}"

    for key in "abc":
        kept.get(key, 1, read(key))
    kept.get("a", 1, read("a"))  # a is used again: b is now the least recently used
    kept.get("d", 1, read("d"))  # full: b goes, a and c stay
    assert reads == ["a", "b", "c", "d"]
    for key in "acd":
        assert kept.get(key, 1, read(key)) == f"value {key}"
    assert reads == ["a", "b", "c", "d"]  # none of them read again
    kept.get("b", 1, read("b"))
    assert reads[-1] == "b"
    assert kept.get("a", 2, read("a")) == "value a" and reads[-1] == "a"  # a new version reads anew
