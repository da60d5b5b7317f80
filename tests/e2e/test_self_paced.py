"""A self-paced workshop in the browser: made on Facilitate's form, its participants see
when the open phase closes in their own time zone and language, and download the phases as
a calendar file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from playwright.sync_api import expect

from tests.e2e.people import (
    board,
    by_key,
    create_workshop,
    fill,
    join,
    next_phase,
    press,
    sees,
    share,
    share_board,
)

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

    for phase in ("Share", "Propose", "Vote"):  # moved by hand: the schedule still says when Vote ends
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


def test_a_person_coming_back_sees_what_is_new_and_their_unsent_text_and_tells_how_a_practice_went(
    browser, server
):
    facilitator = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    room = create_workshop(facilitator, server.url, title="Come and go")
    next_phase(facilitator, "Share")
    ann_context = browser.new_context(viewport={"width": 420, "height": 900})
    ann = ann_context.new_page()
    join(ann, server.url, room["code"], "Ann", "Sales")
    practices = board(ann, "practice_board")
    practices.get_by_role("textbox", name="What you do, in a few words").fill("Weekly demo")
    practices.get_by_role("textbox", name="How you do it, and what it changed").fill("One thing a week.")
    practices.get_by_role("button", name="Share practice").click()
    sees(ann, practices.get_by_role("group", name="Weekly demo"))
    share_board(ann).get_by_role("textbox", name="Your answer").fill("Half a thought, not sent")
    link = ann.url
    ann.evaluate("window.dispatchEvent(new Event('pagehide'))")  # leaving: the tab keeps its visit
    ann.close()

    bo = browser.new_context(viewport={"width": 420, "height": 900}).new_page()
    join(bo, server.url, room["code"], "Bo", "Support")
    share(bo, "Customers first, always")
    expect(
        share_board(bo).get_by_role("group", name="You wrote").get_by_text("Customers first, always")
    ).to_be_visible()
    card = board(bo, "practice_board").get_by_role("group", name="Weekly demo")
    card.get_by_role("button", name="How it went").click()
    card.get_by_role("textbox", name="What did you try?").fill("A demo on Fridays")
    card.get_by_role("textbox", name="What happened?").fill("Two customers came back with ideas")
    card.get_by_label("Partly").check()
    card.get_by_role("button", name="Tell how it went").click()
    expect(card.get_by_text("✓ You told how it went")).to_be_visible()
    expect(card.get_by_text("1 story of how it went")).to_be_visible()
    expect(card.get_by_text("What happened: Two customers came back with ideas")).to_be_visible()
    expect(card.get_by_text("would partly recommend it · Come and go")).to_be_visible()

    # Ann comes back an hour later: her clock says so.
    back = ann_context.new_page()
    back.clock.install(time=datetime.now(UTC) + timedelta(hours=1))
    back.goto(link)
    welcome = board(back, "welcome_back")
    sees(back, welcome)
    expect(welcome).to_contain_text("Welcome back. Since your last visit")
    expect(welcome).to_contain_text("1 new statement from others")
    expect(welcome).not_to_contain_text("new practice")  # her own practice is not news to her
    expect(welcome).to_contain_text("What you had typed and not sent is still in its box.")
    expect(share_board(back).get_by_role("textbox", name="Your answer")).to_have_value(
        "Half a thought, not sent"
    )
    expect(board(back, "practice_board").get_by_text("1 story of how it went")).to_be_visible()
    welcome.get_by_role("button", name="Got it").click()
    expect(welcome).to_be_hidden()
