"""Accessibility in the browser: axe-core on every page in every phase, on a laptop and a
phone, in English and Finnish, with the projector's light and dark screens; the phone page
at 320 px and at 200 % zoom; the projector's turning pages stopped from the keyboard."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serving
from tests.e2e.people import ARTIFACTS, board, by_key, english_on, new_page, settled, shot
from workshop import demo
from workshop.model import Phase
from workshop.store import Store

LAPTOP = (1280, 800)
PHONE = (320, 640)
PROJECTOR = (1920, 1080)
SERIOUS = ("serious", "critical")
# Streamlit fades what a rerun is replacing for a moment; such an element is about to go.
NOT_STALE = {"exclude": [["[data-stale='true']"]]}
SIDEWAYS = (Path(__file__).parent / "sideways_overflow.js").read_text()


@pytest.fixture(scope="module")
def rooms(tmp_path_factory, request):
    """The demo in English and in Finnish, left in each phase (the Results one with a dark
    projector), served by one server."""
    db = Path(tmp_path_factory.mktemp("a11y")) / "a11y.duckdb"
    store = Store(db)
    made = {}
    for language in ("en", "fi"):
        for phase in Phase:
            made[language, phase] = demo.create_demo(store, participants=5, until=phase, language=language)
        dark = made[language, Phase.RESULTS].created.workshop
        store.update_workshop(dark.id, replace(store.workshop(dark.id).draft(), projector_dark=True))
    store.close()
    with serving(db, request) as served:
        yield served, made


def violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stays: a page that has
    settled may still be drawing a chart (Plotly draws by script), so findings are looked at
    once more when every chart is drawn and the page has settled again, and only what is
    still there counts."""
    settled(page)  # Streamlit fades a page in as it draws: measure what stays
    found = serious(page)
    if found:
        expect(page.locator(".js-plotly-plot:not(:has(.main-svg))")).to_have_count(0)
        settled(page)
        found = serious(page)
    return found


def serious(page: Page) -> list[str]:
    found = Axe().run(page, context=NOT_STALE).response["violations"]
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[(n['html'][:200], n['failureSummary'][-300:]) for n in v['nodes'][:3]]}"
        for v in found
        if v["impact"] in SERIOUS
    ]


def opened(browser, url: str, size: tuple[int, int], ready: str, clock: bool = False) -> Page:
    """A new page at `url`, once `ready` shows; with `clock`, its time is Playwright's to move."""
    page = new_page(browser, *size)
    if clock:
        page.clock.install()
    page.goto(url)
    expect(page.locator(ready).first).to_be_visible(timeout=20000)
    return page


@pytest.mark.parametrize("language", ["en", "fi"])
@pytest.mark.parametrize("phase", list(Phase), ids=lambda p: p.value)
def test_every_page_has_no_serious_accessibility_violation(browser, rooms, language, phase):
    """Test that axe-core finds no serious or critical violation on any page of a workshop in this phase."""
    server, made = rooms
    room = made[language, phase]
    token = room.participants[0][1]
    screens = [
        ("participant, laptop", f"/participate?t={token}", LAPTOP, "h2.cc-title-line"),
        ("participant, phone", f"/participate?t={token}", PHONE, "h2.cc-title-line"),
        ("facilitator", f"/facilitate?s={room.created.session_token}", LAPTOP, "h1.cc-heading"),
        ("projector", f"/present?p={room.created.presenter_token}", PROJECTOR, ".cc-code"),
    ]
    if phase is Phase.CLOSED:
        screens.append(("review", f"/review?s={room.created.session_token}", LAPTOP, "h1"))
    if phase is Phase.LOBBY:
        screens.append(("home", f"/?lang={language}", LAPTOP, "h1"))
        screens.append(
            ("join", f"/participate?code={room.created.workshop.code}", PHONE, "[data-board=join] h2")
        )
    found = {}
    for name, path, size, ready in screens:
        page = opened(browser, server.url + path, size, ready)
        found[name] = violations(page)
        page.close()
    assert not any(found.values()), {name: shown for name, shown in found.items() if shown}


@pytest.mark.parametrize(("width", "height"), [PHONE, (640, 400)], ids=["320px", "200pct-zoom"])
def test_the_participant_page_fits_a_phone_without_sideways_scrolling(browser, rooms, width, height):
    """Test that a participant's page reads without scrolling sideways at 320 px and at 200 % zoom."""
    server, made = rooms
    for phase in (Phase.SHARE, Phase.PROPOSE, Phase.VOTE):
        room = made["fi", phase]
        page = opened(
            browser,
            f"{server.url}/participate?t={room.participants[1][1]}",
            (width, height),
            "h2.cc-title-line",
        )
        settled(page)  # Streamlit fades a page in as it draws: measure what stays
        overflow = page.evaluate(SIDEWAYS)
        assert overflow <= 0, (phase, overflow)
        page.close()


def shown_page(page: Page) -> int:
    """Which of the projector's pages is on the screen (its dot is filled)."""
    dots = page.locator(".cc-turns .cc-dot")
    (on,) = [i for i in range(dots.count()) if "cc-on" in (dots.nth(i).get_attribute("class") or "")]
    return on


def test_the_projector_stops_turning_its_pages_from_the_keyboard(browser, rooms):
    """Test that anyone at the projector can stop its pages turning, and start them again, by keyboard."""
    server, made = rooms
    room = made["en", Phase.RESULTS]
    page = opened(
        browser, f"{server.url}/present?p={room.created.presenter_token}", PROJECTOR, ".cc-code", clock=True
    )
    hold = page.get_by_role("button", name="Pause")
    expect(hold).to_be_visible()
    hold.focus()
    page.keyboard.press("Enter")
    resume = page.get_by_role("button", name="Turn the pages again")
    expect(resume).to_be_focused()
    expect(resume).to_have_attribute("aria-pressed", "true")
    # It says it is held, not that it turns.
    expect(page.locator(".cc-turns")).to_contain_text("held on this screen")
    expect(page.locator(".cc-turns")).not_to_contain_text("turns every")
    at = shown_page(page)
    page.clock.run_for(13_000)  # longer than a turn (12 s) passes at once
    assert shown_page(page) == at
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Pause")).to_be_focused()
    # Turning again, the screen shows the page whose turn came while it was held.
    expect(page.locator(".cc-turns .cc-dot").nth(at)).not_to_have_class(re.compile(r"\bcc-on\b"))


def test_a_finnish_walkthrough_is_photographed(browser, rooms):
    """Test that the Finnish demo shows Finnish on every screen, photographing each (docs/screenshots/fi-*)."""
    server, made = rooms
    for phase in Phase:
        room = made["fi", phase]
        step = f"{phase.index + 1}-{phase.value}"
        phone = opened(
            browser, f"{server.url}/participate?t={room.participants[0][1]}", (390, 844), "h2.cc-title-line"
        )
        expect(phone.get_by_text("Vaihe:")).to_be_visible()
        settled(phone)
        shot(phone, f"fi-participate-phone-{step}")
        projector = opened(
            browser, f"{server.url}/present?p={room.created.presenter_token}", PROJECTOR, ".cc-code"
        )
        expect(projector.locator(".cc-phase")).to_contain_text("Vaihe:")
        settled(projector)
        expect(projector.locator(".cc-stage .js-plotly-plot:not(:has(.main-svg))")).to_have_count(0)
        projector.screenshot(path=str(ARTIFACTS / f"fi-present-{step}-1920x1080.png"))
        for page in (phone, projector):
            page.close()
    closed = made["fi", Phase.CLOSED]
    facilitator = opened(
        browser, f"{server.url}/facilitate?s={closed.created.session_token}", LAPTOP, "h1.cc-heading"
    )
    expect(facilitator.get_by_text("Esityslinkki").first).to_be_visible()
    shot(facilitator, "fi-facilitate-6-closed")
    review = opened(browser, f"{server.url}/review?s={closed.created.session_token}", LAPTOP, "h1")
    expect(review.get_by_role("tab", name="Työpajan yhteenveto")).to_be_visible()
    settled(review)
    shot(review, "fi-review-6-closed")


def test_a_finnish_room_rates_in_finnish_and_a_person_may_switch_to_english(browser, rooms):
    """Test that the rating dialog speaks the room's language, and that the language switch
    turns the whole screen, its dialog too, to English and back, kept in the link."""
    server, made = rooms
    room = made["fi", Phase.VOTE]
    page = opened(
        browser, f"{server.url}/participate?t={room.participants[2][1]}", LAPTOP, "h2.cc-title-line"
    )
    expect(page.get_by_text("Pisteitä jäljellä")).to_be_visible()
    rate = board(page, "vote_board").locator("[data-need]").first.get_by_role("button").nth(2)
    rate.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Arvioi tämä tarve")
    expect(dialog).to_contain_text("Kuinka tärkeä se on strategian kannalta?")
    dialog.get_by_role("button", name="Sulje").click()
    expect(dialog).to_have_count(0)
    expect(rate).to_be_focused()  # the keyboard is back where the person was

    page.get_by_role("button", name="English").click()
    expect(board(page, "room_watch").get_by_role("status")).to_have_text(re.compile(r"^Phase: Vote"))
    expect(page.get_by_text("Dots left")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"^At most \d dots on one need"))
    ).to_be_visible()  # the route's words too
    rate.click()
    expect(dialog).to_contain_text("Rate this need")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.reload()  # the link keeps the choice
    expect(page.get_by_text("Dots left")).to_be_visible()
    page.get_by_role("button", name="Suomi").click()
    expect(page.get_by_text("Pisteitä jäljellä")).to_be_visible()


@pytest.mark.parametrize("phase", [Phase.SHARE, Phase.PROPOSE, Phase.VOTE], ids=lambda p: p.value)
def test_a_finnish_facilitators_console_stays_finnish_as_its_live_parts_redraw(browser, rooms, phase):
    """Test that Facilitate in a Finnish room has no English the catalog translates, also
    after its live counts and moderation lists have redrawn on their own (a fragment's rerun
    starts without the page's language), and after a click's callback."""
    server, made = rooms
    room = made["fi", phase]
    page = new_page(browser, *LAPTOP)
    with page.expect_websocket() as opening:
        page.goto(f"{server.url}/facilitate?s={room.created.session_token}")
    socket = opening.value
    expect(page.locator("h1.cc-heading")).to_be_visible(timeout=20000)
    settled(page)
    assert english_on(page) == []
    for _ in range(2):  # two redraws of the live parts, each asked by the page's own timer
        with socket.expect_event("framesent", timeout=10_000):
            pass
        settled(page)
    expect(page.get_by_role("tab", name="Kommentit")).to_be_visible()
    assert english_on(page) == []
    by_key(page, "timer_start").get_by_role("button").click()
    expect(page.get_by_text("Ajastin käynnistetty")).to_be_visible()
    with socket.expect_event("framesent", timeout=10_000):
        pass
    settled(page)
    assert english_on(page) == []
    by_key(page, "timer_clear").get_by_role("button").click()  # the room as the other tests left it
    expect(page.get_by_test_id("stMetric").filter(has_text="Ajastin")).to_contain_text("—")
    page.close()
