"""Follow-up actions: leaders turn needs into development actions, kept in the database."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import ORGANISATION_KEY as ORG
from tests.conftest import make_room
from workshop import actions
from workshop.errors import AccessDenied, InvalidSetting, InvalidText, ItemNotFound
from workshop.model import FollowUpStatus, Phase
from workshop.store import Store


@pytest.fixture
def rooms(store):
    mine, other = make_room(store), make_room(store, title="Other workshop")
    ids = {}
    for name, room in (("mine", mine), ("other", other)):
        room.to(Phase.PROPOSE)
        ids[name] = actions.propose(store, room.people[0], room.theme_ids[0], f"Need of {name}")
    return mine, other, ids


def test_a_follow_up_links_needs_and_survives_reopening(db_path, store, rooms):
    mine, _, ids = rooms
    fid = actions.create_follow_up(
        store, mine.access, "Coaching programme", [ids["mine"]], owner="HR: Aino", due_date="2027-03-31"
    )
    actions.update_follow_up(
        store,
        mine.access,
        fid,
        title="Coaching programme",
        owner="HR: Aino",
        due_date="2027-03-31",
        status="in progress",
    )
    wid = mine.workshop.id
    store.close()
    reopened = Store(db_path)
    (kept,) = reopened.follow_ups([wid])
    assert (kept.title, kept.owner, kept.due_date, kept.status) == (
        "Coaching programme",
        "HR: Aino",
        date(2027, 3, 31),
        FollowUpStatus.IN_PROGRESS,
    )
    assert kept.need_ids == (ids["mine"],)
    reopened.close()


def test_a_facilitator_links_only_needs_of_their_own_workshop(store, rooms):
    mine, _, ids = rooms
    with pytest.raises(AccessDenied, match="only its own workshop"):
        actions.create_follow_up(store, mine.access, "Mixed", [ids["mine"], ids["other"]])
    assert store.follow_ups() == []


def test_the_organisation_links_needs_across_workshops_and_sees_them_filtered(store, rooms):
    mine, other, ids = rooms
    org = actions.access_for(store, actions.open_as_organisation(store, ORG, ORG))
    fid = actions.create_follow_up(store, org, "Shared academy", [ids["mine"], ids["other"]])
    assert [f.id for f in actions.follow_ups(store, org, [other.workshop.id])] == [fid]
    assert actions.follow_ups(store, mine.access) == []  # it also answers a need the facilitator may not see


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"title": "  "}, InvalidText, "The action's title is empty"),
        ({"need_ids": []}, InvalidSetting, "Choose at least one need"),
        ({"need_ids": [999]}, ItemNotFound, "Need #999 is not on any list"),
        ({"due_date": "31.3.2027"}, InvalidSetting, "Write the due date as YYYY-MM-DD"),
        ({"status": "someday"}, InvalidSetting, "planned, in progress or done"),
    ],
)
def test_bad_follow_up_fields_are_refused_and_nothing_is_stored(store, rooms, kwargs, error, message):
    mine, _, ids = rooms
    values = {"title": "Action", "need_ids": [ids["mine"]], **kwargs}
    with pytest.raises(error, match=message):
        actions.create_follow_up(store, mine.access, values.pop("title"), values.pop("need_ids"), **values)
    assert store.follow_ups() == []


def test_a_hidden_need_cannot_be_followed_up(store, rooms):
    mine, _, ids = rooms
    actions.hide_need(store, mine.access, ids["mine"])
    with pytest.raises(ItemNotFound):
        actions.create_follow_up(store, mine.access, "Action", [ids["mine"]])
