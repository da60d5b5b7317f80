"""A self-paced workshop in the browser: made on Facilitate's form, its participants see
when the open phase closes in their own time zone and language, and download the phases as
a calendar file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from playwright.sync_api import expect

from tests.e2e.people import board, by_key, fill, join, next_phase, press, sees

HELSINKI, NEW_YORK = ZoneInfo("Europe/Helsinki"), ZoneInfo("America/New_York")
WEEKDAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "fi": ["ma", "ti", "ke", "to", "pe", "la", "su"],
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def shown(at: datetime, zone: ZoneInfo, language: str) -> tuple[str, str]:
    """A time as the participant's screen writes it where they are: ("Tue 8 Dec", "09:00"),
    ("ti 8.12.", "09.00")."""
    local = at.astimezone(zone)
    weekday = WEEKDAYS[language][local.weekday()]
    if language == "fi":
        return f"{weekday} {local.day}.{local.month}.", f"{local:%H}.{local:%M}"
    return f"{weekday} {local.day} {MONTHS[local.month - 1]}", f"{local:%H:%M}"


def participant(browser, url: str, code: str, zone: str, name: str):
    page = browser.new_context(
        viewport={"width": 420, "height": 900}, timezone_id=zone, accept_downloads=True
    ).new_page()
    join(page, url, code, name, "Sales")
    return page


def test_each_person_sees_when_the_phase_closes_in_their_own_time_and_language(browser, server, tmp_path):
    facilitator = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    facilitator.goto(f"{server.url}/facilitate")
    fill(facilitator, "create_title", "A week of strategy")
    fill(facilitator, "create_strategy", "We learn together, whenever it suits us.")
    fill(facilitator, "create_themes", "Customers\nData")
    by_key(facilitator, "create_pace").get_by_text("Self-paced", exact=False).click()
    zone = by_key(facilitator, "create_zone").get_by_role("combobox")
    zone.click()
    zone.fill("Europe/Helsinki")  # 500 zones: a person types to find theirs
    facilitator.keyboard.press("Enter")
    expect(zone).to_have_value("Europe/Helsinki")
    press(facilitator, "create_submit")
    expect(facilitator.get_by_text("Copy the facilitator key now")).to_be_visible(timeout=15_000)
    code = facilitator.locator(".cc-code").first.inner_text().strip()
    # The form's default: Share opens tomorrow at 09:00 in the schedule's zone, then 3, 2, 2, 2 days.
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    share = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, tzinfo=HELSINKI)
    results = share + timedelta(days=7)
    expect(by_key(facilitator, "schedule_pause")).to_be_visible()

    helsinki = participant(browser, server.url, code, "Europe/Helsinki", "Aino")
    new_york = participant(browser, server.url, code, "America/New_York", "Ben")
    for page, zone in ((helsinki, HELSINKI), (new_york, NEW_YORK)):
        day, time = shown(share, zone, "en")
        sees(page, board(page, "room_watch").get_by_text(f"Share opens {day} at {time}", exact=True))
        expect(board(page, "schedule")).to_contain_text("runs over several days")
    assert shown(share, HELSINKI, "en")[1] == "09:00" and shown(share, NEW_YORK, "en")[1] == "02:00"

    for phase in ("Lobby", "Share", "Propose"):  # moved by hand: the schedule still says when Vote ends
        next_phase(facilitator, phase)
    for page, zone in ((helsinki, HELSINKI), (new_york, NEW_YORK)):
        day, time = shown(results, zone, "en")
        sees(
            page,
            board(page, "room_watch").get_by_text(f"Vote closes {day} at {time}. Next: Results", exact=True),
        )
    helsinki.get_by_role("button", name="Suomi").click()
    new_york.get_by_role("button", name="Suomi").click()
    for page, zone in ((helsinki, HELSINKI), (new_york, NEW_YORK)):
        day, time = shown(results, zone, "fi")
        sees(
            page,
            board(page, "room_watch").get_by_text(
                f"Äänestä päättyy {day} klo {time}. Seuraavaksi: Tulokset", exact=True
            ),
        )

    with new_york.expect_download() as downloading:
        board(new_york, "room_watch").get_by_role("button", name="Lisää kalenteriini").click()
    saved = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(saved)
    assert saved.name == f"cocreate-{code}.ics"
    events = list(icalendar.Calendar.from_ical(saved.read_bytes()).walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [share + timedelta(days=d) for d in (0, 3, 5, 7, 9)]
    assert [str(e["summary"]) for e in events][2] == "A week of strategy: Äänestä"
