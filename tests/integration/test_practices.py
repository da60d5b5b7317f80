"""Practices: what already works for people, shared in a workshop, marked by others,
featured in later workshops and pointed to by needs; on DuckDB and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import make_room
from workshop import actions
from workshop.errors import InvalidText, ItemNotFound, NotYours, QuotaReached, WrongPhase
from workshop.model import Phase, PracticeReaction
from workshop.store import Store


def test_a_practice_is_shared_marked_and_shown_as_its_author_chose(store: Store):
    room = make_room(store, participants=0)
    ann, bo = room.join("Ann", "Sales"), room.join("Bo", "Support")
    theme = room.theme_ids[0]
    with pytest.raises(WrongPhase):
        actions.share_practice(store, ann, theme, "Weekly demo", "We show one thing a week.")
    room.to(Phase.SHARE)
    named = actions.share_practice(
        store,
        ann,
        theme,
        "  Weekly   demo ",
        "We show the customers one thing a week.\n\nThey tell us more.",
        True,
    )
    quiet = actions.share_practice(store, ann, theme, "<b>Pair calls</b>", "Two of us on every hard call.")
    with pytest.raises(InvalidText, match="title is empty"):
        actions.share_practice(store, ann, theme, "\u200b ", "Something")
    with pytest.raises(InvalidText, match="the limit is 80"):
        actions.share_practice(store, ann, theme, "x" * 81, "Something")
    with pytest.raises(InvalidText, match="description is empty"):
        actions.share_practice(store, ann, theme, "A title", "   ")

    actions.react_to_practice(store, bo, named, PracticeReaction.WANT_TO_TRY)
    actions.react_to_practice(store, bo, named, "want_to_try")  # once is once
    actions.react_to_practice(store, bo, quiet, PracticeReaction.DO_TOO)
    actions.react_to_practice(store, bo, quiet, PracticeReaction.DO_TOO, on=False)

    seen = {p.id: p for p in store.practices(room.workshop.id, viewer_id=bo.id)}
    assert seen[named].title == "Weekly demo"
    assert seen[named].description == "We show the customers one thing a week.\n\nThey tell us more."
    assert (seen[named].author, seen[named].team) == ("Ann", "Sales")
    assert (seen[named].want_to_try, seen[named].do_too, seen[named].i_want) == (1, 0, True)
    assert seen[quiet].title == "<b>Pair calls</b>"  # stored as typed, shown as text
    assert seen[quiet].author is None and seen[quiet].do_too == 0  # she did not choose to be named

    actions.hide_practice(store, room.access, quiet)
    assert [p.id for p in store.practices(room.workshop.id)] == [named]
    with pytest.raises(ItemNotFound):
        actions.react_to_practice(store, bo, quiet, PracticeReaction.DO_TOO)


def test_an_anonymous_workshop_never_names_the_author_and_a_person_shares_at_most_so_many(store: Store):
    room = make_room(store, participants=0, anonymous=True)
    person = room.join(None, "Sales")
    room.to(Phase.SHARE)
    theme = room.theme_ids[0]
    first = actions.share_practice(store, person, theme, "Checklists", "We use them.", show_name=True)
    assert store.practices(room.workshop.id)[0].author is None
    for i in range(actions.PRACTICE_QUOTA[0] - 1):
        actions.share_practice(store, person, theme, f"Practice {i}", "Described.")
    with pytest.raises(QuotaReached, match="in the last minute"):
        actions.share_practice(store, person, theme, "One too many", "Described.")
    assert len(store.practices(room.workshop.id)) == actions.PRACTICE_QUOTA[0]
    assert first in [p.id for p in store.practices(room.workshop.id)]


def test_a_workshop_that_does_not_ask_for_practices_refuses_them(store: Store):
    room = make_room(store, participants=1, ask_practices=False)
    room.to(Phase.SHARE)
    with pytest.raises(WrongPhase, match="does not ask for practices"):
        actions.share_practice(store, room.people[0], room.theme_ids[0], "Checklists", "We use them.")
    assert store.workshop(room.workshop.id).ask_practices is False
    room.to(Phase.LOBBY)
    actions.edit_workshop(store, room.access, replace(room.workshop.draft(), ask_practices=True))
    assert store.workshop(room.workshop.id).ask_practices is True


def test_a_practice_featured_in_a_later_workshop_is_seen_and_marked_there(store: Store):
    earlier = make_room(store, participants=0)
    author = earlier.join("Ann", "Sales")
    earlier.to(Phase.SHARE)
    practice = actions.share_practice(store, author, earlier.theme_ids[0], "Weekly demo", "One thing a week.")
    later = make_room(store, participants=0, title="Later workshop")
    newcomer = later.join("Cy", "Ops")
    with pytest.raises(ItemNotFound, match="not part of this workshop"):
        actions.react_to_practice(store, newcomer, practice, PracticeReaction.WANT_TO_TRY)
    with pytest.raises(Exception, match="shared in this workshop"):
        actions.feature_practice(store, earlier.access, practice)

    actions.feature_practice(store, later.access, practice)
    shown = store.practices(later.workshop.id, viewer_id=newcomer.id)
    assert [(p.id, p.featured) for p in shown] == [(practice, True)]
    actions.react_to_practice(store, newcomer, practice, PracticeReaction.WANT_TO_TRY)
    actions.react_to_practice(store, author, practice, PracticeReaction.DO_TOO)
    # Counted across workshops, in both.
    for room in (earlier, later):
        (seen,) = store.practices(room.workshop.id)
        assert (seen.do_too, seen.want_to_try) == (1, 1)
    actions.feature_practice(store, later.access, practice, featured=False)
    assert store.practices(later.workshop.id) == []


def test_a_need_points_to_practices_that_answer_it(store: Store):
    room = make_room(store, participants=0)
    ann, bo = room.join("Ann", "Sales"), room.join("Bo", "Sales")
    theme = room.theme_ids[0]
    room.to(Phase.SHARE)
    practice = actions.share_practice(store, ann, theme, "Weekly demo", "One thing a week.")
    room.to(Phase.PROPOSE)
    need = actions.propose(store, bo, theme, "Showing our work to customers")
    with pytest.raises(NotYours):
        actions.link_need_to_practice(store, ann, need, practice)
    actions.link_need_to_practice(store, bo, need, practice)
    assert store.need_practices(room.workshop.id) == {need: [practice]}
    actions.link_need_to_practice(store, room.access, need, practice, linked=False)
    assert store.need_practices(room.workshop.id) == {}
    other = make_room(store, participants=0, title="Another workshop")
    with pytest.raises(Exception, match="controls of that workshop|not part of this workshop"):
        actions.link_need_to_practice(store, other.access, need, practice)


def test_removing_a_participant_hides_their_practices_and_takes_back_their_marks(store: Store):
    room = make_room(store, participants=0)
    ann, bo = room.join("Ann", "Sales"), room.join("Bo", "Sales")
    room.to(Phase.SHARE)
    practice = actions.share_practice(store, ann, room.theme_ids[0], "Weekly demo", "One thing a week.")
    theirs = actions.share_practice(store, bo, room.theme_ids[0], "Rude", "Rude.")
    actions.react_to_practice(store, bo, practice, PracticeReaction.DO_TOO)
    done = actions.remove_participant(store, room.access, bo.id)
    assert (done["practices"], done["practice_reactions"]) == (1, 1)
    assert [(p.id, p.do_too) for p in store.practices(room.workshop.id)] == [(practice, 0)]
    assert theirs not in [p.id for p in store.practices(room.workshop.id)]


def test_two_demo_workshops_reuse_a_practice_and_the_command_line_lists_the_library(tmp_path):
    """`python -m workshop demo` twice: the second workshop features practices of the first,
    its people mark them, its needs point to practices; `python -m workshop practices` lists
    the library, searched by words and theme, as text or JSON, naming only big-enough teams."""
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "workshop", *args, "--db", str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )

    db = tmp_path / "demo.duckdb"
    first = json.loads(cli("demo", "--json").stdout)["code"]
    second = json.loads(cli("demo", "--json", "--seed", "9").stdout)["code"]
    store = Store(db)
    try:
        earlier, later = (actions.find_workshop(store, code) for code in (first, second))
        own = store.practices(earlier.id)
        reused = [p for p in store.practices(later.id) if p.featured]
        assert own and reused and {p.id for p in reused} <= {p.id for p in own}
        assert all(p.origin == earlier.title for p in reused)
        assert sum(p.do_too + p.want_to_try for p in store.practices(later.id)) > 0
        assert store.need_practices(earlier.id)
        titles = [p["title"] for p in store.library(least=1)]
        assert len(titles) == len(set(titles))  # the second demo shares what is not in the library yet
    finally:
        store.close()

    listed = json.loads(cli("practices", "--json").stdout)
    assert len(listed) == len(titles)
    assert all(p["team"] in (None, "Sales", "Customer support", "Operations", "Product") for p in listed)
    searched = json.loads(cli("practices", "--json", "--search", "CUSTOMER CASE").stdout)
    assert [p["title"] for p in searched] == ["Shared customer case of the month"]
    by_theme = json.loads(cli("practices", "--json", "--theme", "data").stdout)
    assert by_theme and all(p["theme"] == "Decisions based on data" for p in by_theme)
    text = cli("practices", "--search", "no such words").stdout
    assert text.strip() == "No practices found."
    shown = cli("practices", "--theme", "across").stdout
    assert "Shared customer case of the month  [Working across teams]" in shown and "do this too" in shown
