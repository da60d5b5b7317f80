"""The projector screen per phase: what it shows, and what it must not show yet."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.conftest import make_room
from workshop import actions, i18n, screens
from workshop.live import LiveCache
from workshop.model import Phase, ThemeDraft
from workshop.screens import TERMS_EVERY, present_screen


@pytest.fixture
def room(store):
    room = make_room(store, participants=4)
    a, b, c, d = room.people
    room.to(Phase.SHARE)
    s1 = actions.share(store, a, room.theme_ids[0], "Customer service must be digital")
    actions.share(store, b, room.theme_ids[1], "Lower emissions in logistics")
    actions.react(store, c, s1, "agree")
    room.to(Phase.PROPOSE)
    keep = actions.propose(store, a, room.theme_ids[0], "Chat writing skills")
    gone = actions.propose(store, b, room.theme_ids[0], "Secret hidden need")
    actions.hide_need(store, room.access, gone)
    room.to(Phase.VOTE)
    for person in (a, b, c, d):
        actions.place_dot(store, person, keep)
        actions.rate(store, person, keep, 5, 2)
    return room


def everything_shown(screen) -> str:
    parts = [str(n) for n in screen.numbers] + [str(screen.wall), str(screen.note)]
    parts += [figure.to_json() for _, figure in screen.charts] + [
        figure.to_json() for _, figure in screen.terms
    ]
    return "\n".join(parts)


def test_vote_with_hidden_results_shows_only_how_many_voted(store, room):
    screen = present_screen(store, room.workshop.id)
    assert [(n.value, n.label) for n in screen.numbers] == [
        (4, "joined"),
        (4, "dots placed"),
        (4, "have voted"),
    ]
    assert screen.charts == () and "reveals the results" in screen.note
    assert "Chat writing skills" not in everything_shown(screen)


def test_revealed_vote_shows_ranking_and_matrix(store, room):
    actions.reveal_results(store, room.access)
    screen = present_screen(store, room.workshop.id)
    assert [key for key, _ in screen.charts] == ["ranking", "matrix"]
    assert "Chat writing skills" in everything_shown(screen)
    totals = screen.charts[0][1].data[-1]
    assert list(totals.text) == [" 4"]  # whole dots, not "4.0"


def test_results_add_consensus_and_the_team_heatmap(store, room):
    room.to(Phase.RESULTS)
    screen = present_screen(store, room.workshop.id)
    assert [key for key, _ in screen.charts] == ["ranking", "matrix", "consensus", "teams", "themes"]


def test_share_shows_themes_agreement_key_terms_and_the_wall(store, room):
    room.to(Phase.SHARE)
    screen = present_screen(store, room.workshop.id)
    assert [key for key, _ in screen.charts] == ["per_theme", "agreement"]
    assert [theme for theme, _ in screen.terms] == ["Digital service", "Sustainability"]
    room.to(Phase.LOBBY)
    draft = room.workshop.draft()
    actions.edit_workshop(
        store, room.access, replace(draft, themes=(*draft.themes, ThemeDraft("Empty theme")))
    )
    room.to(Phase.SHARE)
    assert "Empty theme" not in [theme for theme, _ in present_screen(store, room.workshop.id).terms]
    assert screen.wall[0] == ("Sustainability", "Lower emissions in logistics")
    assert [(n.value, n.label) for n in screen.numbers][1:] == [(2, "statements"), (3, "have shared")]
    with i18n.using("fi"):  # "2 kommenttia", not "2 kommentit"
        assert [n.label for n in present_screen(store, room.workshop.id).numbers][1] == "kommenttia"


def test_propose_shows_new_needs_as_they_arrive(store, room):
    room.to(Phase.PROPOSE)
    screen = present_screen(store, room.workshop.id)
    assert screen.wall == (("Digital service", "Chat writing skills"),)
    assert (screen.numbers[1].value, screen.numbers[1].label) == (1, "need proposed")  # one, not "1 needs"
    with i18n.using("fi"):
        labels = [n.label for n in present_screen(store, room.workshop.id).numbers]
    assert labels == ["liittynyttä", "ehdotettu tarve", "on ehdottanut tai tukenut"]


@pytest.mark.parametrize("phase", list(Phase))
def test_a_hidden_need_never_reaches_the_projector(store, room, phase):
    actions.reveal_results(store, room.access)
    room.to(phase)
    assert "Secret hidden need" not in everything_shown(present_screen(store, room.workshop.id))


def test_the_lobby_shows_who_joined_and_no_chart(store):
    room = make_room(store)
    screen = present_screen(store, room.workshop.id)
    assert [(n.label, n.value) for n in screen.numbers] == [("joined", 3)] and screen.charts == ()


def test_key_terms_are_reused_until_a_statement_changes(store, room):
    """Test that reactions leave the key terms as they are, new statements change them
    within a few seconds, and a hidden statement leaves them at once."""
    room.to(Phase.SHARE)
    first = present_screen(store, room.workshop.id)
    a, b, c, d = room.people
    statement = store.statements(room.workshop.id)[0].id
    actions.react(store, d, statement, "pass")
    again = present_screen(store, room.workshop.id, previous=first, terms_every=0.0)
    assert again.terms is first.terms and again.terms_at == first.terms_at
    actions.share(store, d, room.theme_ids[0], "Customer feedback loops")
    kept = present_screen(store, room.workshop.id, previous=again, terms_every=60.0)
    assert kept.terms is first.terms and kept.terms_at == first.terms_at  # a new statement may wait
    changed = present_screen(store, room.workshop.id, previous=kept, terms_every=0.0)
    assert changed.terms is not first.terms and changed.terms_at > first.terms_at

    rude = actions.share(store, d, room.theme_ids[0], "Zanzibar zanzibar zanzibar nonsense")
    with_rude = present_screen(store, room.workshop.id, previous=changed, terms_every=0.0)
    assert "zanzibar" in str(with_rude.terms).lower()
    actions.hide_statement(store, room.access, rude)
    hidden = present_screen(store, room.workshop.id, previous=with_rude, terms_every=60.0)
    assert hidden.terms_at > with_rude.terms_at and "zanzibar" not in str(hidden.terms).lower()


def test_key_terms_kept_while_statements_came_in_are_made_again_once_the_room_is_quiet(store, room):
    """Test that the projector's view, whose key terms were kept while a burst of statements
    came in, is made again TERMS_EVERY after the last were made, with no change in between
    (the end of Share, when people stop typing, is when the room looks at them)."""
    now = [0.0]
    live = LiveCache(store, clock=lambda: now[0])
    room.to(Phase.SHARE)

    def terms(view: str) -> str:
        return json.dumps(json.loads(view)["terms"]).lower()

    _first, _ends, redo_at = screens.projector_view(store, live, room.workshop.id)
    assert redo_at is None
    now[0] = 1.0
    actions.share(store, room.people[3], room.theme_ids[0], "Zanzibar zanzibar zanzibar trips")
    kept, _ends, redo_at = screens.projector_view(store, live, room.workshop.id)
    assert redo_at == TERMS_EVERY and "zanzibar" not in terms(kept)  # the first terms, kept
    now[0] = TERMS_EVERY - 0.1  # still within: the same view, nothing made
    assert screens.projector_view(store, live, room.workshop.id)[0] is kept
    now[0] = TERMS_EVERY  # quiet since: made again, with the new words
    again, _ends, redo_at = screens.projector_view(store, live, room.workshop.id)
    assert redo_at is None and "zanzibar" in terms(again)


def test_results_show_who_can_help_whom_when_the_facilitator_asks_and_name_no_small_team(store):
    room = make_room(store, participants=0, show_help_pairs=True)
    sales = [room.join(f"S{i}", "Sales") for i in range(3)]
    support = [room.join(f"U{i}", "Support") for i in range(3)]
    pair = [room.join(f"P{i}", "Pair") for i in range(2)]  # under the threshold of three
    room.to(Phase.PROPOSE)
    need = actions.propose(store, sales[0], room.theme_ids[0], "Chat writing skills")
    room.to(Phase.VOTE)
    for person in sales:
        actions.rate(store, person, need, 5, 1)
    for person in (*support, *pair):
        actions.rate(store, person, need, 3, 5)
    room.to(Phase.RESULTS)
    screen = present_screen(store, room.workshop.id)
    assert screen.pairs == (
        ("Sales would learn", "Need: Chat writing skills — from Support (rates its capability 5.0)"),
    )
    from workshop.screens import projector_json

    assert '"pairs": [["Sales would learn"' in projector_json(screen)
    actions.show_help_pairs(store, room.access, False)
    assert present_screen(store, room.workshop.id).pairs == ()
