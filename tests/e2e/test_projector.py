"""The projector fits its screen in every phase, at 1920×1080 and at 1280×720: nothing on
it scrolls, Streamlit's own containers included, what does not fit turns page by page, and
every text reads from the back of a room (legible.js)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import expect

from deploy.server import AppServer
from tests.e2e.people import ARTIFACTS, new_page, settled
from workshop import actions, analytics
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
    made["moved"] = _moved(store)
    store.close()
    server = AppServer(db, log=folder / "server.log")
    server.start()
    yield server.url, made
    server.stop()


def _moved(store: Store) -> DemoResult:
    """A dark room of 12 in Results whose dots moved after the reveal, with who can help whom
    on the projector: every chart and panel Results can show."""
    moved = create_demo(store, participants=12, until=Phase.VOTE)
    workshop = moved.created.workshop
    store.update_workshop(
        workshop.id, replace(store.workshop(workshop.id).draft(), projector_dark=True, show_help_pairs=True)
    )
    access = actions.access_for(store, moved.created.session_token)
    actions.reveal_results(store, access)
    needs = analytics.needs_ranking(store, workshop.id)["id"].tolist()
    for person, _token in moved.participants[:4]:  # a dot each from their last choice to the leader
        dots = store.viewer_state(workshop.id, person.id).dots
        taken = next(n for n in reversed(needs) if dots.get(n))
        actions.remove_dot(store, person, taken)
        actions.place_dot(store, person, next(n for n in needs if n != taken and dots.get(n, 0) < 3))
    actions.set_phase(store, access, Phase.RESULTS)
    return moved


@pytest.fixture(scope="module")
def presented(demos) -> tuple[str, dict[Phase, str]]:
    """(the server's address, the presenter link's token per phase)."""
    url, made = demos
    return url, {phase: demo.created.presenter_token for phase, demo in made.items()}


# The smallest type readable from the back of a room: at 1280×720 and at 1920×1080.
LEAST = {720: 18, 1080: 24}
LEGIBLE = (Path(__file__).parent / "legible.js").read_text()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("phase", PHASES, ids=lambda p: p.value)
def test_the_projector_fits_the_screen_and_reads_from_the_back_in_every_phase(
    browser, presented, phase, width, height
):
    """On every page of every phase: nothing scrolls or lies off the screen, no text under
    the size readable from 10 m, none cut by its panel, chart or plot area, none over another."""
    url, tokens = presented
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.clock.install()
    page.goto(f"{url}/present?p={tokens[phase]}")
    expect(page.locator(".cc-screen .cc-phase")).to_have_text(f"Phase: {phase.label}")
    turns = page.locator(".cc-turns")
    count = 1
    if phase is not Phase.LOBBY:
        expect(page.locator(".cc-screen .cc-stage > *").first).to_be_visible()
        count = len(page.locator(".cc-turns .cc-dot").all()) or 1
    ARTIFACTS.mkdir(exist_ok=True)
    for shown in range(1, count + 1):
        if count > 1:
            while not page.get_by_label(f"Page {shown} of {count}").count():
                page.clock.run_for(12_000)  # a turn
        settled(page)
        # The charts drawn at their panel's size.
        expect(page.locator(".cc-stage .js-plotly-plot:not(:has(.main-svg))")).to_have_count(0)
        page_name = f"-p{shown}" if count > 1 else ""
        page.screenshot(
            path=str(ARTIFACTS / f"present-{phase.index + 1}-{phase.value}{page_name}-{width}x{height}.png")
        )
        assert page.evaluate(SCROLLING) == [], shown
        assert page.evaluate(OUTSIDE) == [], shown
        assert page.evaluate(LEGIBLE, LEAST[height]) == [], shown
    if phase is Phase.VOTE:
        expect(page.locator(".cc-note")).to_have_text(
            "The ranking appears when the facilitator reveals the results."
        )
    if phase in (Phase.RESULTS, Phase.CLOSED):
        # Each chart has a page of its own: Results' five, Closed's three.
        assert count == {Phase.RESULTS: 5, Phase.CLOSED: 3}[phase]
        expect(page.locator(".cc-stage .js-plotly-plot")).to_have_count(1)
        expect(turns).to_contain_text("turns every 12 s")
    if phase is Phase.SHARE:
        # Each theme's panel asks the theme's own question (the template's, ending in "?").
        questions = page.locator(".cc-question")
        while not questions.count():
            page.clock.run_for(12_000)
        expect(questions.first).to_have_text(re.compile(r"^(What|Where|How) .+\?$"))
    page.context.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_panel_results_can_show_reads_from_the_back_on_a_dark_projector(
    browser, presented, width, height
):
    """Results with dots moved after the reveal and who can help whom, dark: every page's text
    large enough, nothing cut (the moved dots' "+2" and "-2" among them), and the chart
    notes light on the dark ground."""
    url, tokens = presented
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.clock.install()
    page.goto(f"{url}/present?p={tokens['moved']}")
    # Drawn, on whichever page the clock's turn shows (the projectors of a room turn together,
    # by the time: the first may be who can help whom, which has no chart).
    expect(page.locator(".cc-screen .cc-stage > *").first).to_be_visible(timeout=10_000)
    expect(page.get_by_label(re.compile(r"^Page \d+ of \d+$"))).to_be_visible()
    count = len(page.locator(".cc-turns .cc-dot").all())
    seen = set()
    for shown in range(1, count + 1):
        while not page.get_by_label(f"Page {shown} of {count}").count():
            page.clock.run_for(12_000)
        # The page's title drawn first: the first chart waits for Plotly.js to load, and an
        # empty stage passed every check below (seen once, its title then read a turn later).
        title = page.locator(".cc-stage h2, .cc-stage .gtitle").first
        expect(title).to_be_visible()
        settled(page)
        expect(page.locator(".cc-stage .js-plotly-plot:not(:has(.main-svg))")).to_have_count(0)
        expect(page.get_by_label(f"Page {shown} of {count}")).to_be_visible()  # not turned since
        page.screenshot(path=str(ARTIFACTS / f"present-dark-results-p{shown}-{width}x{height}.png"))
        assert page.evaluate(LEGIBLE, LEAST[height]) == [], shown
        assert page.evaluate(OUTSIDE) == [], shown
        seen.add(title.text_content())
        notes = page.locator(".cc-stage .annotation-text")
        for i in range(notes.count()):
            assert notes.nth(i).evaluate("(n) => getComputedStyle(n).fill") == "rgb(201, 204, 209)"
    assert any(title and "moved after the reveal" in title for title in seen), seen
    assert "Who can help whom" in seen, seen
    assert count == len(seen) == 7, seen  # the five charts, how dots moved, who can help whom
    page.context.close()


def test_a_held_projector_keeps_its_page_and_a_dark_one_is_dark(browser, demos):
    url, made = demos
    page = new_page(browser, 1280, 720)
    page.clock.install()
    page.goto(f"{url}/present?p={made['held'].created.presenter_token}")
    expect(page.get_by_label("Page 1 of 5")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("held by the facilitator")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.cc-screen')).backgroundColor") == (
        "rgb(15, 20, 25)"
    )
    page.clock.run_for(13_000)  # longer than a turn passes at once
    expect(page.get_by_label("Page 1 of 5")).to_be_visible()


# What a participant's phone shows in each phase, for a person of the demo who took part.
PHONE_SHOWS = {
    Phase.LOBBY: "The workshop starts soon",
    Phase.SHARE: "What do you think of what others said?",
    Phase.PROPOSE: "What must your team learn or build",
    Phase.VOTE: "Dots left",
    Phase.RESULTS: "What the room chose",
    Phase.CLOSED: "This workshop has closed",
}


# Whether the page has been scrolled down: Streamlit's main section scrolls, not the window.
SCROLLED = "() => [document.scrollingElement, ...document.querySelectorAll('*')].some(e => e.scrollTop > 300)"


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
        phone.wait_for_function(SCROLLED)  # down the list of needs
        left = phone.get_by_text("Dots left")
        box = left.bounding_box()
        assert box is not None and 0 <= box["y"] <= 844, box
        # The rating scales fit the phone: 1 to 5 on one row each.
        phone.get_by_role("button", name=re.compile(r"^(Rate it|Rated)")).first.click()
        dialog = phone.get_by_role("dialog", name="Rate this need")
        for scale in ("How important is it for the strategy?", "How well can your team do it today?"):
            points = dialog.get_by_role("group", name=scale).get_by_role("radio")
            expect(points).to_have_count(5)
            tops = {round(points.nth(i).bounding_box()["y"]) for i in range(5)}
            assert len(tops) == 1, (scale, tops)
    phone.context.close()
