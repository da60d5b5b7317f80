"""Practices: what already works for people, shared in a workshop, marked by others,
featured in later workshops and pointed to by needs; on DuckDB and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import make_room
from workshop import actions, views
from workshop.analytics import HELP_RULE
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
    before = store.version(earlier.workshop.id)
    actions.react_to_practice(store, newcomer, practice, PracticeReaction.WANT_TO_TRY)
    assert store.version(earlier.workshop.id) != before  # the earlier room's lists count it at once
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

    from tests.conftest import Ran, run_cli

    def cli(*args: str) -> Ran:
        return run_cli(*args, "--db", str(db))

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
        # Teams stand out on some needs: the demo pairs them, on needs and on practices.
        kinds = {p["kind"] for p in store.help_pairs(earlier.id, 3, HELP_RULE)}
        assert kinds == {"need", "practice"}
        titles = [p["title"] for p in store.library(least=1)[1]]
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


def _rate(store: Store, people, need: int, importance: int, capability: int) -> None:
    for person in people:
        actions.rate(store, person, need, importance, capability)


def test_who_can_help_whom_pairs_teams_by_ratings_and_practices_and_never_names_a_small_team(store: Store):
    """Sales rates the need important and itself weak; Support rates itself strong and
    shares a practice the need points to; Ops does that practice too. Tiny (two people)
    rates itself strong and wants the practice, and is never named. A team's mean needs
    two of its raters."""
    room = make_room(store, participants=0)
    teams = {
        team: [room.join(f"{team} {i}", team) for i in range(size)]
        for team, size in (("Sales", 3), ("Support", 3), ("Ops", 3), ("Tiny", 2))
    }
    theme = room.theme_ids[0]
    room.to(Phase.SHARE)
    practice = actions.share_practice(store, teams["Support"][0], theme, "Weekly demo", "One thing a week.")
    for person in (*teams["Sales"][:2], *teams["Tiny"]):
        actions.react_to_practice(store, person, practice, PracticeReaction.WANT_TO_TRY)
    actions.react_to_practice(store, teams["Ops"][0], practice, PracticeReaction.DO_TOO)
    actions.react_to_practice(store, teams["Tiny"][0], practice, PracticeReaction.DO_TOO)
    room.to(Phase.PROPOSE)
    need = actions.propose(store, teams["Sales"][0], theme, "Showing our work to customers")
    for person in (teams["Support"][2], *teams["Ops"][1:]):  # each team: three who took part
        actions.back(store, person, need)
    actions.link_need_to_practice(store, room.access, need, practice)
    room.to(Phase.VOTE)
    _rate(store, teams["Sales"], need, 5, 1)
    _rate(store, teams["Support"][:2], need, 3, 5)
    _rate(store, teams["Tiny"], need, 5, 5)
    _rate(store, teams["Ops"][:1], need, 3, 5)  # one rater: not the team's view yet

    pairs = store.help_pairs(room.workshop.id, 3, HELP_RULE)
    found = {(p["kind"], p["learner"], p["helper"], p["how"]) for p in pairs}
    assert found == {
        ("need", "Sales", "Support", (("rates", 5.0), ("shares", "Weekly demo"))),
        ("practice", "Sales", "Support", (("shared", None),)),
        ("practice", "Sales", "Ops", (("does", None),)),
    }
    need_pair = next(p for p in pairs if p["kind"] == "need")
    assert (need_pair["about"], need_pair["importance"], need_pair["capability"]) == (
        "Showing our work to customers",
        5.0,
        1.0,
    )
    assert all("Tiny" not in (p["learner"], p["helper"]) for p in pairs)
    # With a threshold of two, Tiny is named too: strong on the need, wanting the practice.
    with_tiny = store.help_pairs(room.workshop.id, 2, HELP_RULE)
    assert {("need", "Sales", "Tiny"), ("practice", "Tiny", "Support"), ("practice", "Tiny", "Ops")} <= {
        (p["kind"], p["learner"], p["helper"]) for p in with_tiny
    }
    # Ops's second rater makes its mean count.
    actions.rate(store, teams["Ops"][1], need, 3, 4)
    assert ("need", "Sales", "Ops") in {
        (p["kind"], p["learner"], p["helper"]) for p in store.help_pairs(room.workshop.id, 3, HELP_RULE)
    }
    # The rule is the caller's: asking helpers for a capability of 5 leaves Ops (4.5) out.
    strict = replace(HELP_RULE, strong=5.0)
    assert {
        (p["helper"], p["how"]) for p in store.help_pairs(room.workshop.id, 3, strict) if p["kind"] == "need"
    } == {("Support", (("rates", 5.0), ("shares", "Weekly demo")))}

    from workshop import analytics, i18n, review

    grouped = analytics.who_can_help(store.help_pairs(room.workshop.id, 3, HELP_RULE))
    assert grouped[0] == {
        "team": "Sales",
        "would learn": "Need: Showing our work to customers",
        "because": "rates it 5.0 important, its capability 1.0",
        "from": "Support (rates its capability 5.0; shares “Weekly demo”), Ops (rates its capability 4.5)",
    }
    summary = review.session_summary(store, room.workshop.id, 3)
    assert list(summary.help_pairs["team"]) == ["Sales", "Sales"]
    assert "Tiny" not in summary.help_pairs.to_string()
    frames = store.session_frames(room.workshop.id, 3, HELP_RULE)
    assert sorted(frames["help_pairs"]["helper"]) == ["Ops", "Ops", "Support", "Support"]
    assert "rates its capability 5.0; shares “Weekly demo”" in set(frames["help_pairs"]["how"])
    with i18n.using("fi"):
        finnish = analytics.who_can_help(store.help_pairs(room.workshop.id, 3, HELP_RULE))
    assert finnish[0]["from"] == (
        "Support (arvioi osaamisensa 5,0; jakaa käytännön ”Weekly demo”), Ops (arvioi osaamisensa 4,5)"
    )
    assert list(frames["practices"]["title"]) == ["Weekly demo"]
    assert (frames["practices"]["want_to_try"].iloc[0], frames["practices"]["do_too"].iloc[0]) == (4, 2)


def test_the_team_sharing_a_practice_in_an_anonymous_workshop_is_not_named_as_a_helper(store: Store):
    room = make_room(store, participants=0, anonymous=True)
    sales = [room.join(None, "Sales") for _ in range(3)]
    support = [room.join(None, "Support") for _ in range(3)]
    room.to(Phase.SHARE)
    practice = actions.share_practice(
        store, support[0], room.theme_ids[0], "Weekly demo", "One thing a week."
    )
    for person in support[1:]:  # Support: three who took part, big enough to be named
        actions.share(store, person, room.theme_ids[0], "Customers come first")
    for person in sales:
        actions.react_to_practice(store, person, practice, PracticeReaction.WANT_TO_TRY)
    assert store.help_pairs(room.workshop.id, 3, HELP_RULE) == []
    actions.react_to_practice(
        store, support[1], practice, PracticeReaction.DO_TOO
    )  # a mark is not authorship
    assert [
        (p["learner"], p["helper"], p["how"]) for p in store.help_pairs(room.workshop.id, 3, HELP_RULE)
    ] == [("Sales", "Support", (("does", None),))]


def test_wanting_to_try_a_practice_becomes_a_follow_up_and_done_it_is_adopted(store: Store):
    earlier = make_room(store, participants=0)
    author = earlier.join("Ann", "Sales")
    earlier.to(Phase.SHARE)
    practice = actions.share_practice(store, author, earlier.theme_ids[0], "Weekly demo", "One thing a week.")
    later = make_room(store, participants=0, title="Later workshop")
    actions.feature_practice(store, later.access, practice)
    for person in (later.join("Cy", "Ops"), later.join("Di", "Ops")):
        actions.react_to_practice(store, person, practice, PracticeReaction.WANT_TO_TRY)
    assert store.practice_interest([practice]) == {practice: {later.workshop.id: 2}}

    with pytest.raises(Exception, match="only its own workshop"):
        actions.create_follow_up(
            store, later.access, "Try it", [], practices=[(practice, earlier.workshop.id)]
        )
    with pytest.raises(Exception, match="at least one need"):
        actions.create_follow_up(store, later.access, "Try it", [])
    made = actions.create_follow_up(
        store,
        later.access,
        "Try the weekly demo in Ops",
        [],
        owner="Cy",
        practices=[(practice, later.workshop.id)],
    )
    (follow_up,) = actions.follow_ups(store, later.access)
    assert (follow_up.id, follow_up.practice_ids, follow_up.need_ids) == (made, (practice,), ())
    assert follow_up.workshop_ids == (later.workshop.id,) and follow_up.done_at is None
    assert actions.follow_ups(store, earlier.access) == []  # earlier's key does not open it
    _, (row,) = store.library(least=1)
    assert (row["follow_ups"], row["adopted"]) == (1, 0)
    assert store.adoptions().empty

    actions.update_follow_up(
        store, later.access, made, title=follow_up.title, owner="Cy", due_date=None, status="done"
    )
    _, (row,) = store.library(least=1)
    assert (row["follow_ups"], row["adopted"]) == (1, 1)
    adopted = store.adoptions()
    assert list(adopted["practice"]) == ["Weekly demo"] and list(adopted["workshop_id"]) == [
        later.workshop.id
    ]
    (done,) = store.follow_ups([later.workshop.id])
    assert done.done_at is not None
    frames = store.session_frames(later.workshop.id, 3, HELP_RULE)
    assert list(frames["follow_ups"]["title"]) == ["Try the weekly demo in Ops"]
    assert list(frames["follow_up_practices"]["practice_id"]) == [practice]
    actions.update_follow_up(
        store, later.access, made, title=done.title, owner="Cy", due_date=None, status="planned"
    )
    assert store.adoptions().empty and store.follow_ups()[0].done_at is None

    actions.hide_practice(store, earlier.access, practice)
    with pytest.raises(ItemNotFound, match="no longer in the library"):
        actions.create_follow_up(store, later.access, "Again", [], practices=[(practice, later.workshop.id)])


def test_the_library_is_searched_by_words_theme_team_and_date_and_counts_every_match(store: Store):
    from datetime import timedelta

    room = make_room(store, participants=0)
    sales = [room.join(f"S{i}", "Sales") for i in range(3)]
    solo = room.join("Solo", "Solo team")
    room.to(Phase.SHARE)
    digital, green = room.theme_ids
    actions.share(store, sales[2], digital, "Customers first")  # Sales: three who took part
    made = [
        actions.share_practice(store, sales[0], digital, "Weekly demo", "We show customers one thing."),
        actions.share_practice(store, sales[1], green, "Green checklist", "100% of trips checked_once."),
        actions.share_practice(store, solo, digital, "Pair calls", "Two of us on every customer call."),
    ]
    total, rows = store.library(least=3)
    assert total == 3 and [r["id"] for r in rows] == made[::-1]  # newest first
    assert {r["title"]: r["team"] for r in rows} == {
        "Weekly demo": "Sales",
        "Green checklist": "Sales",
        "Pair calls": None,
    }
    assert store.library("CUSTOMER", least=3)[0] == 2
    assert [r["title"] for r in store.library("100%", least=3)[1]] == ["Green checklist"]
    assert store.library("0_", least=3)[0] == 0  # % and _ are letters here, not wildcards
    assert [r["title"] for r in store.library(theme="SUSTAIN", least=3)[1]] == ["Green checklist"]
    assert store.library(team="Sales", least=3)[0] == 2
    assert store.library(team="Solo team", least=3)[0] == 0  # too small to be found by name
    assert store.library(since=store.now() + timedelta(minutes=1), least=3) == (0, [])
    total, page = store.library(least=3, limit=2)
    assert (total, len(page)) == (3, 2)
    assert store.library_teams(3) == ["Sales"]
    # How many teams do it (the author's and those marking it), how many would like to try it.
    actions.react_to_practice(store, solo, made[0], PracticeReaction.DO_TOO)
    actions.react_to_practice(store, sales[2], made[0], PracticeReaction.DO_TOO)
    actions.react_to_practice(store, solo, made[1], PracticeReaction.WANT_TO_TRY)
    counted = {
        r["title"]: (r["do_too"], r["teams_doing"], r["want_to_try"], r["teams_wanting"])
        for r in store.library(least=3)[1]
    }
    assert counted["Weekly demo"] == (2, 2, 0, 0) and counted["Green checklist"] == (0, 1, 1, 1)

    import csv
    import io

    from workshop import exports

    formula = actions.share_practice(store, sales[2], digital, "=SUM(A1)", "@cmd a formula")
    rows = list(csv.DictReader(io.StringIO(exports.library_csv(views.library(store)[1]).decode())))
    assert [r["title"] for r in rows][0] == "'=SUM(A1)" and rows[0]["description"] == "'@cmd a formula"
    assert rows[0]["id"] == str(formula)
    assert {r["title"]: r["team"] for r in rows}["Pair calls"] == ""  # Solo team is too small to name


def test_a_duplicate_practice_is_merged_with_its_marks_links_and_actions_and_one_is_archived(store: Store):
    earlier = make_room(store, participants=0)
    ann, bo = earlier.join("Ann", "Sales"), earlier.join("Bo", "Ops")
    earlier.to(Phase.SHARE)
    first = actions.share_practice(store, ann, earlier.theme_ids[0], "Weekly demo", "One thing a week.")
    again = actions.share_practice(store, bo, earlier.theme_ids[0], "Weekly demos", "We demo weekly.")
    later = make_room(store, participants=0, title="Later workshop")
    cy = later.join("Cy", "Ops")
    actions.feature_practice(store, later.access, again)
    actions.react_to_practice(store, cy, again, PracticeReaction.WANT_TO_TRY)
    assert store.viewer_state(later.workshop.id, cy.id).marks == {(again, "want_to_try")}
    actions.react_to_practice(store, ann, again, PracticeReaction.DO_TOO)
    actions.react_to_practice(
        store, ann, first, PracticeReaction.DO_TOO
    )  # the same mark on both: counted once
    earlier.to(Phase.PROPOSE)
    need = actions.propose(store, ann, earlier.theme_ids[0], "Showing our work")
    actions.link_need_to_practice(store, earlier.access, need, again)
    action = actions.create_follow_up(
        store, later.access, "Try it", [], practices=[(again, later.workshop.id)]
    )

    with pytest.raises(Exception, match="only the practices shared in its own workshop"):
        actions.merge_practices(store, later.access, again, first)
    with pytest.raises(Exception, match="another practice"):
        actions.merge_practices(store, earlier.access, again, again)
    actions.merge_practices(store, earlier.access, again, first)

    assert [r["title"] for r in store.library(least=1)[1]] == ["Weekly demo"]
    (kept,) = store.practices(earlier.workshop.id)
    assert (kept.id, kept.do_too, kept.want_to_try) == (first, 1, 1)
    assert [(p.id, p.featured) for p in store.practices(later.workshop.id, viewer_id=cy.id)] == [
        (first, True)
    ]
    assert store.practices(later.workshop.id, viewer_id=cy.id)[0].i_want is True
    assert store.viewer_state(later.workshop.id, cy.id).marks == {(first, "want_to_try")}  # kept, moved too
    assert store.need_practices(earlier.workshop.id) == {need: [first]}
    assert store.follow_ups()[0].practice_ids == (first,) and store.follow_ups()[0].id == action
    with pytest.raises(ItemNotFound):
        actions.merge_practices(store, earlier.access, again, first)  # merged already

    with pytest.raises(Exception, match="only the practices shared in its own workshop"):
        actions.archive_practice(store, later.access, first)
    actions.archive_practice(store, earlier.access, first)
    assert store.library(least=1) == (0, [])
    assert [r["title"] for r in store.library(least=1, archived=True)[1]] == ["Weekly demo"]
    assert store.practices(earlier.workshop.id) == [] and store.practices(later.workshop.id) == []
    with pytest.raises(ItemNotFound):
        actions.react_to_practice(store, cy, first, PracticeReaction.DO_TOO)
    actions.archive_practice(store, earlier.access, first, archived=False)
    assert [p.id for p in store.practices(later.workshop.id)] == [first]
