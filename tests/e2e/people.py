"""What people do in the browser, in the words of the tests."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ROOT

ARTIFACTS = Path(__file__).parent / "artifacts"
SETTLED = (Path(__file__).parent / "settled.js").read_text()
KEY_PATTERN = re.compile(r"([A-Z0-9]{5}-){4}[A-Z0-9]{5}")


def by_key(page: Page, key: str):
    """The element of the widget with this key (Streamlit gives it the class st-key-KEY);
    during a rerun Streamlit keeps the old one, marked stale, beside the new one."""
    return page.locator(f".st-key-{key}:not([data-stale='true'])")


def board(page: Page, name: str):
    """A part of the participant's app (ui/components/participant), by its `data-board`:
    share_board, react_card, practice_board, propose_board, back_board, vote_board,
    ranking, room_watch (the phase line), checkin, became, lobby, join."""
    return page.locator(f"[data-board={name}]")


def fill(page: Page, key: str, text: str) -> None:
    by_key(page, key).locator("input, textarea").first.fill(text)


def press(page: Page, key: str) -> None:
    """Click the button with this key, once a redraw that moves it (a list that changed) has
    left one of it on the page."""
    button = by_key(page, key).get_by_role("button")
    expect(button).to_have_count(1)
    button.click()


def need_card(page: Page, name: str, text: str):
    """The card of the need that reads `text` on the board `name` (vote_board, back_board)."""
    return board(page, name).locator("[data-need]", has_text=text)


def need_id(page: Page, name: str, text: str) -> int:
    """The id of the need that reads `text`, as its card on `board` gives it. Ids run across
    the workshops of the run's one server, so a test finds them rather than assumes them."""
    card = need_card(page, name, text).first
    expect(card).to_be_visible()
    return int(card.get_attribute("data-need") or "")


def key_starting(page: Page, prefix: str) -> str:
    """The key of the one widget whose key starts with `prefix` (a key that ends in an id)."""
    widget = page.locator(f"[class*='st-key-{prefix}']:not([data-stale='true'])")
    expect(widget).to_have_count(1)
    classes = (widget.get_attribute("class") or "").split()
    return next(c.removeprefix("st-key-") for c in classes if c.startswith(f"st-key-{prefix}"))


def add_dot(page: Page, need: str) -> None:
    """Click "Add a dot" on the card of the need that reads `need` on the vote board."""
    need_card(page, "vote_board", need).get_by_role("button", name="Add a dot").click()


def share_board(page: Page):
    """The Share phase's tabs of themes."""
    return board(page, "share_board")


def share(page: Page, text: str, by_keyboard: bool = False) -> None:
    """Write `text` in the answer box of the theme shown on the share board, and share it
    (with the Share button, or Ctrl+Enter in the box)."""
    board = share_board(page)
    box = board.get_by_role("textbox", name="Your answer")
    box.fill(text)
    if by_keyboard:
        box.press("Control+Enter")
    else:
        board.get_by_role("button", name="Share", exact=True).click()


def propose_board(page: Page):
    """The Propose phase's form and the person's proposals."""
    return board(page, "propose_board")


def propose(page: Page, text: str, theme: str | None = None) -> None:
    """Propose `text` on the propose board (on `theme`, by its title, when given), and see
    it listed among the person's proposals."""
    board = propose_board(page)
    if theme is not None:
        board.get_by_role("combobox", name="Theme").select_option(label=theme)
    board.get_by_role("textbox", name="A development need (a skill, practice or capability)").fill(text)
    board.get_by_role("button", name="Propose", exact=True).click()
    expect(board.get_by_role("group", name="You proposed").get_by_text(text, exact=True)).to_be_visible()


def choose(page: Page, key: str, option: str) -> None:
    """Pick the option whose text contains `option` in a selectbox."""
    choice = page.get_by_role("option", name=re.compile(re.escape(option))).first
    for _ in range(3):  # a redraw of a live list may close it as it opens: a person opens it again
        by_key(page, key).get_by_role("combobox").click()
        try:
            choice.wait_for(timeout=5000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    choice.click()
    expect(by_key(page, key).get_by_role("combobox")).to_have_value(re.compile(re.escape(option)))


def new_page(browser: Browser, width: int = 1280, height: int = 900) -> Page:
    return browser.new_context(viewport={"width": width, "height": height}).new_page()


def create_workshop(
    page: Page, url: str, title: str = "Browser workshop", themes: str = "Customers\nData", teams: str = ""
) -> dict:
    """Create a workshop on Facilitate (with the `teams` people pick from, one per line);
    returns code, key, presenter link and the session link."""
    page.goto(f"{url}/facilitate")
    fill(page, "create_title", title)
    fill(page, "create_strategy", "We learn together.")
    fill(page, "create_themes", themes)
    if teams:
        fill(page, "create_teams", teams)
    press(page, "create_submit")
    # The first run of a workshop's Facilitate page draws it all (the whole suite's browsers
    # and servers share two cores): seconds, not a promise of the product.
    expect(page.get_by_text("Copy the facilitator key now")).to_be_visible(timeout=15_000)
    expect(page.locator("[data-testid=stCode]")).to_have_count(
        3, timeout=15_000
    )  # key, presenter link, join link
    codes = [c.strip() for c in page.locator("[data-testid=stCode]").all_inner_texts()]
    return {
        "code": page.locator(".cc-code").first.inner_text().strip(),
        "key": next(c for c in codes if KEY_PATTERN.fullmatch(c)),
        "presenter": next(c for c in codes if "/present?p=" in c),
        "session": page.url,
    }


def join(
    page: Page, url: str, code: str, name: str | None = None, team: str | None = None, *, by_link=True
) -> None:
    """Join by the link, or by typing the code on the home page."""
    if by_link:
        page.goto(f"{url}/participate?code={code}")
    else:
        page.goto(url)
        fill(page, "home_code", code.lower())
        press(page, "home_join")
    form = board(page, "join")
    if name:
        form.get_by_label("Your name (optional)").fill(name)
    if team:
        teams = form.get_by_label("Your team")  # a list when the workshop names its teams
        if teams.evaluate("box => box.tagName") == "SELECT":
            teams.select_option(label=team)
        else:
            teams.fill(team)
    form.get_by_role("button", name="Join the workshop").click()
    expect(page.get_by_text("Phase:")).to_be_visible()


def sees(page: Page, locator, timeout: float = 8000) -> None:
    """What a person looking at this screen sees within a few seconds of the room moving
    (`timeout` ms: here eight browser pages, the server and the tests share two cores, and
    every page redraws at once). The page comes to the front first, as a person's own
    screen is: Chromium holds back drawing in pages behind others, by seconds."""
    page.bring_to_front()
    expect(locator).to_be_visible(timeout=timeout)


PHASES = ["Lobby", "Share", "Propose", "Vote", "Results", "Closed"]


def next_phase(facilitator: Page, expected: str) -> None:
    """Move the room on, and wait until Facilitate shows it in `expected`."""
    press(facilitator, "phase_next")
    following = PHASES.index(expected) + 1
    label = f"Next: {PHASES[following]}" if following < len(PHASES) else "Next"
    expect(by_key(facilitator, "phase_next")).to_contain_text(label)


def room_voting_on(browser: Browser, url: str, needs: list[str], name: str, team: str) -> tuple[dict, Page]:
    """A new workshop moved to the Vote phase after one participant proposed `needs`;
    returns the workshop (as create_workshop) and that participant's page."""
    facilitator = new_page(browser)
    room = create_workshop(facilitator, url)
    author = new_page(browser)
    join(author, url, room["code"], name, team)
    # Each move waits until the author's screen has followed it, as a facilitator watching
    # the room does: two moves within half a second can leave a participant's page a move
    # behind until the room's next status (the participant app without page runs ends this).
    next_phase(facilitator, "Share")
    sees(author, share_board(author))
    next_phase(facilitator, "Propose")
    sees(author, propose_board(author))
    for text in needs:
        propose(author, text)
    next_phase(facilitator, "Vote")
    sees(author, author.get_by_text("Dots left"))
    return room, author


def settled(page: Page, timeout: float = 15_000) -> None:
    """Wait until the page has settled (settled.js): its script run over, nothing stale,
    no fade under way; what a person then sees stays."""
    page.wait_for_function(SETTLED, timeout=timeout)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _english_patterns() -> list[re.Pattern]:
    """The English texts the Finnish catalog translates otherwise, as patterns of a whole
    text ("{n} dots" matches "3 dots"); texts of under four letters are left out."""
    with (ROOT / "workshop/locale/fi/LC_MESSAGES/cocreate.po").open("rb") as file:
        catalog = read_po(file)
    patterns = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            pieces = re.split(r"\{[a-z_]*\}", english or "")
            if len("".join(pieces).strip()) < 4 or english in strings or message.fuzzy:
                continue
            patterns.append(re.compile(r"\S.*?".join(re.escape(piece) for piece in pieces)))
    return patterns


ENGLISH_PATTERNS = _english_patterns()
BILINGUAL = {"Language · Kieli"}  # the language picker names itself in both, on purpose
TEXTS = """() => {
  const where = (element) => element.outerHTML.slice(0, 160);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (element.closest("script, style, [data-stale='true']")) continue;
    if (!element.checkVisibility({ visibilityProperty: true }) && !element.closest("[role=tabpanel]")) continue;
    const text = node.textContent.trim();
    if (text) texts.push([text, where(element)]);
  }
  // Streamlit's own controls (a toast's Close, a select's Open) speak Streamlit's English.
  for (const element of document.querySelectorAll("[aria-label], [title], input[placeholder]")) {
    if (element.closest("[data-testid=stToast], [data-baseweb], [data-rac]")) continue;
    for (const name of ["aria-label", "title", "placeholder"]) {
      const text = (element.getAttribute(name) || "").trim();
      if (text) texts.push([text, where(element)]);
    }
  }
  return texts;
}"""


def english_on(page: Page) -> list[str]:
    """The page's texts (and its labels, titles and placeholders) that are English the
    Finnish catalog would translate: a whole text, or a part of one between " · ", each with
    the start of the element it is in."""
    found = []
    for text, element in page.evaluate(TEXTS):
        if text in BILINGUAL:
            continue
        for part in {text, *text.split(" · ")}:
            if any(pattern.fullmatch(part.strip()) for pattern in ENGLISH_PATTERNS):
                found.append(f"{part!r} in {element}")
    return sorted(set(found))
