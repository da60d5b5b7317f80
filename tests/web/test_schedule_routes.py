"""A self-paced workshop as the participant's app reads it through the routes: the phase
line's next phase and when it opens, the Lobby's schedule, and the calendar file."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from tests.conftest import make_room
from tests.web.conftest import ROUTES, Screen
from web import feeds
from workshop import actions, schedule, timezones
from workshop.model import Phase


@pytest.fixture(autouse=True)
def status_read_each_time(monkeypatch):
    """Every look reads the room's status afresh (a tab sees a change within FRESH_FOR)."""
    monkeypatch.setattr(feeds, "FRESH_FOR", 0.0)


def screen_of(room) -> Screen:
    _, token = actions.join(room.store, room.created.workshop.code, "Reader", "Sales")
    return Screen(token)


def test_the_app_reads_when_the_open_phase_closes_and_downloads_the_phases_as_a_calendar(app_store):
    opens = schedule.default_schedule("Europe/Helsinki", app_store.now())
    room = make_room(app_store, participants=1, self_paced=True, time_zone="Europe/Helsinki", schedule=opens)
    screen = screen_of(room)
    lobby = screen.view()
    share_at = opens[0][1].isoformat() + "Z"
    assert lobby["status"]["next"] == {"phase": "share", "at": share_at}
    assert lobby["room"]["workshop"]["self_paced"]
    assert lobby["room"]["workshop"]["schedule"][0] == ["share", share_at]
    room.to(Phase.VOTE)
    assert screen.view()["status"]["next"] == {"phase": "results", "at": opens[3][1].isoformat() + "Z"}

    reply = ROUTES.get(
        "/" + screen.data["urls"]["calendar"], headers=screen.header | {"Accept-Language": "fi"}
    )
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/calendar")
    assert f'filename="cocreate-{room.created.workshop.code}.ics"' in reply.headers["content-disposition"]
    events = list(icalendar.Calendar.from_ical(reply.content).walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [
        f"Strategy 2027: {label}" for label in ("Jaa", "Ehdota", "Äänestä", "Tulokset", "Päättynyt")
    ]
    starts = [e.decoded("dtstart") for e in events]
    assert {str(start.tzinfo) for start in starts} == {"Europe/Helsinki"}
    assert [s.astimezone(timezones.zone("UTC")).replace(tzinfo=None) for s in starts] == [
        at for _p, at in opens
    ]
    assert f"participate?t={screen.token}" in str(events[0]["description"])


def test_a_live_or_paused_workshop_says_no_closing_time_and_has_no_calendar(app_store):
    room = make_room(app_store, participants=1)
    screen = screen_of(room)
    assert screen.view()["status"]["next"] is None
    code, answer = screen.send("calendar", method="GET")
    assert code == 404 and "runs live" in answer["error"]
    opens = schedule.default_schedule("UTC", app_store.now() - timedelta(days=2))
    actions.set_schedule(app_store, room.access, True, "UTC", opens)
    assert screen.view()["status"]["next"]["phase"] == "share"
    # Paused, the room moves when the facilitator moves it: no time to promise.
    actions.pause_schedule(app_store, room.access)
    assert screen.view()["status"]["next"] is None


def test_the_courier_sends_a_queued_post_once_and_tries_a_refused_one_again_later(app_store, monkeypatch):
    from deploy.wire import run_sync
    from tests.conftest import Chat
    from web import scheduler

    monkeypatch.delenv("COCREATE_PUBLIC_URL", raising=False)
    chat, refusing = Chat(), Chat(refuse=1)
    try:
        room = make_room(app_store, participants=1)
        actions.set_webhook(app_store, room.access, chat.url)
        other = make_room(app_store, participants=1, title="Elsewhere")
        actions.set_webhook(app_store, other.access, refusing.url)
        room.to(Phase.SHARE)
        other.to(Phase.SHARE)
        assert run_sync(scheduler.deliver_once()) == 1
        (text,) = chat.texts
        assert text.startswith("“Strategy 2027”: Share is open.")
        assert (
            f"Take part with the code {room.created.workshop.code} on Cocreate." in text
        )  # no public address set
        assert len(refusing.refused) == 1 and refusing.texts == []
        (post,) = app_store.posts(other.created.workshop.id)
        assert (post[3], post[4], post[5]) == (1, None, "HTTP 500")  # tried once, not sent, why
        assert run_sync(scheduler.deliver_once()) == 0  # sent once; the refused one waits its pause
        assert len(chat.texts) == 1
    finally:
        chat.close()
        refusing.close()
