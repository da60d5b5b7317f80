"""The projector fits its screen in every phase, at 1920×1080 and at 1280×720: nothing on
it scrolls, Streamlit's own containers included, and what does not fit turns page by page."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import expect

from deploy.server import AppServer
from tests.e2e.people import ARTIFACTS, new_page, settled
from workshop.demo import DemoResult, create_demo
from workshop.model import Phase
from workshop.store import Store

SIZES = [(1920, 1080), (1280, 720)]
PHASES = [Phase.LOBBY, Phase.SHARE, Phase.PROPOSE, Phase.VOTE, Phase.RESULTS, Phase.CLOSED]

# Every element that scrolls, or could be scrolled, by more than a pixel: its selector-ish name.
SCROLLING = """() => {
  const found = [];
  for (const node of [document.scrollingElement, ...document.querySelectorAll('*')]) {
    const style = getComputedStyle(node);
    const scrolls = node === document.scrollingElement || /(auto|scroll)/.test(style.overflowY + style.overflowX);
    if (!scrolls) continue;
    if (node.scrollHeight > node.clientHeight + 1 || node.scrollWidth > node.clientWidth + 1) {
      found.push(`${node.tagName.toLowerCase()}.${node.className} ${node.scrollWidth}x${node.scrollHeight} in ${node.clientWidth}x${node.clientHeight}`);
    }
  }
  return found;
}"""
OUTSIDE = """() => [...document.querySelectorAll('.cc-screen *')].filter((node) => {
  const box = node.getBoundingClientRect();
  return box.width > 0 && (box.bottom > innerHeight + 1 || box.right > innerWidth + 1);
}).map((node) => `${node.tagName.toLowerCase()}.${node.className}`)"""


@pytest.fixture(scope="module")
def demos(tmp_path_factory) -> tuple[str, dict[Phase | str, DemoResult]]:
    """A server on a file with a demo workshop of 30 people in each phase, and one of 12 in
    Results held by the facilitator on a dark projector ("held"): (its address, the demos).
    The file is seeded before the server starts: DuckDB lets one process hold it."""
    folder: Path = tmp_path_factory.mktemp("projector")
    db = folder / "projector.duckdb"
    store = Store(db)
    made: dict[Phase | str, DemoResult] = {
        phase: create_demo(store, participants=30, until=phase) for phase in PHASES
    }
    held = made["held"] = create_demo(store, participants=12, until=Phase.RESULTS)
    workshop = held.created.workshop
    store.update_workshop(workshop.id, replace(store.workshop(workshop.id).draft(), projector_dark=True))
    store.set_projector_paused(workshop.id, True)
    store.close()
    server = AppServer(db, log=folder / "server.log")
    server.start()
    yield server.url, made
    server.stop()


@pytest.fixture(scope="module")
def presented(demos) -> tuple[str, dict[Phase, str]]:
    """(the server's address, the presenter link's token per phase)."""
    url, made = demos
    return url, {phase: demo.created.presenter_token for phase, demo in made.items()}


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("phase", PHASES, ids=lambda p: p.value)
def test_the_projector_fits_the_screen_in_every_phase(browser, presented, phase, width, height):
    url, tokens = presented
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{url}/present?p={tokens[phase]}")
    expect(page.locator(".cc-screen .cc-phase")).to_have_text(f"Phase: {phase.label}")
    if phase not in (Phase.LOBBY,):
        expect(page.locator(".cc-screen .cc-stage > *").first).to_be_visible()
    settled(page)
    # The charts drawn at their panel's size.
    expect(page.locator(".cc-stage .js-plotly-plot:not(:has(.main-svg))")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"present-{phase.index + 1}-{phase.value}-{width}x{height}.png"))
    assert page.evaluate(SCROLLING) == []
    assert page.evaluate(OUTSIDE) == []
    if phase in (Phase.RESULTS,):
        # Five charts: two on the screen (one on the last page), the others on the next pages,
        # and dots saying so.
        shown = page.locator(".cc-stage .js-plotly-plot")
        expect(shown.first).to_be_visible()
        expect(shown).to_have_count(1 if page.get_by_label("Page 3 of 3").count() else 2)
        expect(
            page.get_by_label("Page 1 of 3")
            .or_(page.get_by_label("Page 2 of 3"))
            .or_(page.get_by_label("Page 3 of 3"))
        ).to_be_visible()
    if phase is Phase.SHARE:
        # Each theme's panel asks the theme's own question (the template's, ending in "?").
        # (The panels turn every 12 s: the page with the themes comes within a turn or two.)
        expect(page.locator(".cc-question").first).to_have_text(
            re.compile(r"^(What|Where|How) .+\?$"), timeout=40_000
        )
    page.context.close()


def test_a_held_projector_keeps_its_page_and_a_dark_one_is_dark(browser, demos):
    url, made = demos
    page = new_page(browser, 1280, 720)
    page.clock.install()
    page.goto(f"{url}/present?p={made['held'].created.presenter_token}")
    expect(page.get_by_label("Page 1 of 3")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("held by the facilitator")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.cc-screen')).backgroundColor") == (
        "rgb(15, 20, 25)"
    )
    page.clock.run_for(13_000)  # longer than a turn passes at once
    expect(page.get_by_label("Page 1 of 3")).to_be_visible()


# What a participant's phone shows in each phase, for a person of the demo who took part.
PHONE_SHOWS = {
    Phase.LOBBY: "The workshop starts soon",
    Phase.SHARE: "What do you think of what others said?",
    Phase.PROPOSE: "What must your team learn or build",
    Phase.VOTE: "Dots left",
    Phase.RESULTS: "What the room chose",
    Phase.CLOSED: "This workshop has closed",
}


@pytest.mark.parametrize("phase", PHASES, ids=lambda p: p.value)
def test_a_phone_shows_every_phase_without_sideways_scrolling(browser, demos, phase):
    url, made = demos
    token = made[phase].participants[1][1]
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    phone.goto(f"{url}/participate?t={token}")
    expect(phone.get_by_text(PHONE_SHOWS[phase]).first).to_be_visible(timeout=15_000)
    expect(phone.get_by_text(f"Phase: {phase.label}")).to_be_visible()
    settled(phone)  # the components drawn at their size
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(
        path=str(ARTIFACTS / f"participate-phone-{phase.index + 1}-{phase.value}.png"), full_page=True
    )
    width = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    if phase is Phase.VOTE:
        # Dots left stays in sight when the person scrolls down the list of needs.
        phone.mouse.wheel(0, 5000)
        phone.wait_for_timeout(500)
        left = phone.get_by_text("Dots left")
        box = left.bounding_box()
        assert box is not None and 0 <= box["y"] <= 844, box
    phone.context.close()
