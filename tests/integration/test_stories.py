"""Stories of practice: how a practice went for someone who tried it, told in the room or by
an action's owner, shown with the practice in the room and the library, moderated and
anonymous as statements are, and carried by every export; on DuckDB and PostgreSQL."""

from __future__ import annotations

import openpyxl
import pytest

from tests.conftest import make_room
from workshop import actions, exports, review, views
from workshop.errors import InvalidSetting, InvalidText, ItemNotFound, WrongPhase
from workshop.live import LiveCache
from workshop.model import Phase
from workshop.store import Store


def shared_practice(store: Store, **room):
    made = make_room(store, participants=0, **room)
    ann, bo = made.join("Ann", "Sales"), made.join("Bo", "Support")
    made.to(Phase.SHARE)
    practice = actions.share_practice(store, ann, made.theme_ids[0], "Weekly demo", "One thing a week.")
    return made, ann, bo, practice


def test_a_story_is_told_shown_with_its_practice_moderated_and_told_once(store: Store):
    room, ann, bo, practice = shared_practice(store)
    told = actions.tell_story(
        store, bo, practice, "We showed one thing on Fridays.", "Customers came back with ideas.", "yes", True
    )
    with pytest.raises(InvalidSetting, match="already"):
        actions.tell_story(store, bo, practice, "Again", "Again", "no")
    with pytest.raises(InvalidSetting, match="yes, partly or no"):
        actions.tell_story(store, ann, practice, "Tried", "Happened", "maybe")
    with pytest.raises(InvalidText, match="is empty"):
        actions.tell_story(store, ann, practice, "  ", "Happened", "partly")
    with pytest.raises(ItemNotFound):
        actions.tell_story(store, ann, practice + 999, "Tried", "Happened", "partly")
    assert [s["id"] for s in store.stories([practice])[practice]] == [told]  # nothing stored half-way

    live = LiveCache(store)
    (card,) = views.practice_cards(store, live, room.workshop, ann, lag=0.0)
    assert card["told"] == 1
    (story,) = card["stories"]
    assert (story["tried"], story["happened"], story["recommend"]) == (
        "We showed one thing on Fridays.",
        "Customers came back with ideas.",
        "yes",
    )
    assert story["verdict"] == "would recommend it"
    assert story["source"] == "Bo · Strategy 2027"  # the name shown, as chosen; a team of one not named

    actions.hide_story(store, room.access, told)
    (card,) = views.practice_cards(store, live, room.workshop, ann, lag=0.0)
    assert card["told"] == 0 and card["stories"] == []
    assert [s["hidden"] for s in store.workshop_stories(room.workshop.id)] == [
        True
    ]  # Facilitate still lists it
    other = make_room(store, participants=0, title="Elsewhere")
    with pytest.raises(ItemNotFound):
        actions.hide_story(store, other.access, told, False)  # only the workshop it was told in
    actions.hide_story(store, room.access, told, False)
    assert store.stories([practice])[practice][0]["id"] == told


def test_an_anonymous_workshop_never_names_the_teller_and_a_removed_person_takes_their_story(store: Store):
    room, ann, bo, practice = shared_practice(store, anonymous=True)
    with pytest.raises(WrongPhase):
        lobby = make_room(store, participants=1)
        actions.tell_story(store, lobby.people[0], practice, "Tried", "Happened", "no")
    actions.tell_story(store, bo, practice, "Tried it", "It worked", "partly", True)
    (story,) = store.stories([practice])[practice]
    assert story["author"] is None and story["team"] is None
    live = LiveCache(store)
    (card,) = views.practice_cards(store, live, room.workshop, ann, lag=0.0)
    assert "Bo" not in card["stories"][0]["source"]
    actions.remove_participant(store, room.access, bo.id)
    assert store.stories([practice])[practice] == []


def test_a_done_action_that_tried_a_practice_takes_its_owners_story_into_the_library_and_exports(
    store: Store, tmp_path
):
    room, ann, bo, practice = shared_practice(store)
    actions.tell_story(store, ann, practice, "We ran it in Sales.", "Fewer surprises.", "yes")
    made = actions.create_follow_up(
        store, room.access, "Try the weekly demo", [], owner="Cy", practices=[(practice, room.workshop.id)]
    )
    with pytest.raises(InvalidSetting, match="once the action is done"):
        actions.tell_story_of_action(store, room.access, made, practice, "Tried", "Happened", "yes")
    actions.update_follow_up(
        store, room.access, made, title="Try the weekly demo", owner="Cy", due_date=None, status="done"
    )
    actions.tell_story_of_action(
        store, room.access, made, practice, "Two teams ran it.", "Both kept it.", "yes"
    )
    stories = store.stories([practice])[practice]
    assert [(s["told_by"], s["follow_up_id"]) for s in stories] == [
        ("facilitator", made),
        ("participant", None),
    ]
    _total, (row,) = views.library(store)
    assert row["title"] == "Weekly demo"

    room.to(Phase.CLOSED)
    summary = review.session_summary(store, room.workshop.id, 3)
    assert list(summary.stories["what happened"]) == ["Both kept it.", "Fewer surprises."]
    assert list(summary.stories["who"]) == ["an action's owner · Strategy 2027", "Strategy 2027"]
    markdown = exports.markdown_report(summary, store.follow_ups([room.workshop.id]))
    assert "## How practices went (stories)" in markdown and "Fewer surprises." in markdown
    (xlsx,) = exports.export_tables(store, room.workshop.id, "xlsx", tmp_path, 3)
    book = openpyxl.load_workbook(xlsx)
    sheet = book["Stories of practice"]
    assert [c.value for c in sheet[1]] == ["practice", "tried", "what happened", "recommends", "who"]
    raw = book["practice_stories"]
    assert raw.max_row == 3  # both stories, with their ids
    csv = exports.export_tables(store, room.workshop.id, "csv", tmp_path / "csv", 3)
    assert any(path.name == "practice_stories.csv" for path in csv)
