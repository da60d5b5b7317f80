"""A live room in real browsers: facilitator, participant and projector in separate contexts."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.people import (
    board,
    by_key,
    create_workshop,
    join,
    new_page,
    next_phase,
    propose,
    propose_board,
    sees,
    share,
    share_board,
    shot,
)


def test_a_vote_reaches_the_projector_and_a_phase_change_reaches_the_participant(browser, server):
    """Test that a participant follows the facilitator's phase changes and a dot shows on the projector."""
    facilitator = new_page(browser, 1400, 1000)
    room = create_workshop(facilitator, server.url)
    code, presenter_link = room["code"], room["presenter"]

    participant = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    join(participant, server.url, code, "Ann", "Sales")
    expect(participant.get_by_text("The workshop starts soon")).to_be_visible()
    assert "t=" in participant.url and "code=" not in participant.url

    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    projector.goto(presenter_link.replace("http://localhost:8501", server.url))
    expect(projector.locator(".cc-code")).to_have_text(code)
    qr = projector.get_by_role("img", name=re.compile(rf"^QR code to join: http.*participate.code={code}$"))
    expect(qr).to_be_visible()
    # As wide as the lobby's column, to scan from the back. The screen draws itself again when
    # the room moves (someone joins), so the image is measured once it stays put.
    projector.wait_for_function(
        "() => [...document.querySelectorAll('img.cc-qr-large')].some(i => i.getBoundingClientRect().width > 200)"
    )

    def next_phase() -> None:
        by_key(facilitator, "phase_next").get_by_role("button").click()

    second = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    join(second, server.url, code, by_link=False)  # the code typed on the home page
    expect(second.get_by_text("The workshop starts soon")).to_be_visible()

    next_phase()  # share: the participants' screens follow without a reload
    sees(participant, participant.get_by_text("Your answer").first)
    sees(second, second.get_by_text("Your answer").first)
    share(participant, "[Click me](http://example.com) means **faster** service")
    expect(share_board(participant).get_by_role("group", name="You wrote")).to_be_visible()
    # Others' statements come by themselves, and the phase line says so (a live region).
    expect(board(second, "room_watch")).to_contain_text("1 new statement from others", timeout=5000)
    share_board(second).get_by_text("What others said (1)").click()
    expect(
        share_board(second).get_by_text("[Click me](http://example.com) means **faster** service  (Ann)")
    ).to_be_visible()
    # The author's own statement is not told to them as new: when the other person shares
    # one, the author is told of that one alone.
    share(second, "Faster answers by chat")
    expect(board(participant, "room_watch")).to_contain_text("1 new statement from others", timeout=5000)
    assert second.locator("a[href='http://example.com']").count() == 0
    next_phase()  # propose
    sees(participant, propose_board(participant))
    propose(participant, "Customer <img src=x onerror=alert(1)> interviews", theme="Data")
    mine = propose_board(participant).get_by_role("group", name="You proposed")
    expect(mine.get_by_text("Data · 0 backers")).to_be_visible()
    # Edited in place: the text and the theme, by the board's own request.
    mine.get_by_role("button", name="Edit").click()
    mine.get_by_role("combobox", name="Theme").select_option(label="Customers")
    mine.get_by_role("textbox", name="Your proposal").fill(
        "Customer <img src=x onerror=alert(1)> interviewing"
    )
    mine.get_by_role("button", name="Save changes").click()
    expect(mine.get_by_text("Customer <img src=x onerror=alert(1)> interviewing", exact=True)).to_be_visible()
    expect(mine.get_by_text("Customers · 0 backers")).to_be_visible()
    expect(propose_board(participant).get_by_role("status")).to_have_text("Saved.")
    next_phase()  # vote
    by_key(facilitator, "reveal").get_by_role("button").click()
    sees(participant, participant.get_by_text("Dots left"))

    board(participant, "vote_board").get_by_role("button", name="Add a dot").first.click()
    expect(projector.locator(".cc-big").nth(1)).to_have_text("1", timeout=3000)
    board(participant, "vote_board").get_by_role("button", name="Add a dot").first.click()
    expect(projector.locator(".cc-big").nth(1)).to_have_text("2", timeout=3000)
    assert participant.locator("img[src=x]").count() == 0

    for name, page in [("facilitate", facilitator), ("participate", participant), ("present", projector)]:
        shot(page, f"live-room-{name}")


def lobby_with_one_participant(browser, url: str):
    """A new workshop and one participant on a phone in its Lobby: (facilitator's page,
    participant's page, the participant's phase line)."""
    facilitator = new_page(browser)
    room = create_workshop(facilitator, url)
    participant = new_page(browser, 390, 844)
    participant.clock.install()  # its time passes as the test says, where nothing must happen
    join(participant, url, room["code"])
    expect(participant.get_by_text("The workshop starts soon")).to_be_visible()
    line = board(participant, "room_watch").get_by_role("status")
    expect(line).to_have_text("Phase: Lobby")
    return facilitator, participant, line


def test_the_phase_line_shows_the_facilitators_timer_counting_down(browser, server):
    facilitator, _, line = lobby_with_one_participant(browser, server.url)
    by_key(facilitator, "timer_start").get_by_role("button").click()  # 5 minutes
    expect(line).to_have_text(re.compile(r"^Phase: Lobby · ⏱ 4:5\d left$"), timeout=8000)
    first = line.inner_text()
    expect(line).not_to_have_text(first, timeout=3000)  # it ticks in the browser, every second
    expect(line).to_have_text(re.compile(r"^Phase: Lobby · ⏱ 4:[45]\d left$"))


def test_the_phase_line_listens_to_the_room_and_a_hidden_tab_lets_go(browser, server):
    """The room watch holds one status stream, not a request every few seconds; a hidden
    tab closes it (a browser keeps six connections to a server for all its tabs) and, shown
    again, listens at once and follows the room."""
    facilitator, participant, line = lobby_with_one_participant(browser, server.url)
    asked: list[str] = []
    participant.on("request", lambda request: asked.append(request.url.split("?")[0].rsplit("/", 2)[-2:]))
    by_key(facilitator, "timer_start").get_by_role("button").click()
    expect(line).to_have_text(re.compile(r"^Phase: Lobby · ⏱"), timeout=3000)
    participant.clock.run_for(10_000)  # longer than the fallback's pause between asks
    assert ["room", "room"] not in asked  # nothing asked: the status came on the stream opened before

    def visible(shown: bool) -> None:
        participant.evaluate(
            "(shown) => { Object.defineProperty(document, 'hidden', {value: !shown, configurable: true});"
            " document.dispatchEvent(new Event('visibilitychange')); }",
            shown,
        )

    visible(False)
    by_key(facilitator, "phase_next").get_by_role("button").click()
    # Once a tab in sight follows the move, a hidden one would have too, had it listened.
    watcher = new_page(browser, 390, 844)
    watcher.goto(participant.url)
    expect(board(watcher, "room_watch").get_by_role("status")).to_have_text(re.compile(r"^Phase: Share"))
    participant.clock.run_for(10_000)  # nor does it ask instead
    expect(line).to_have_text(re.compile(r"^Phase: Lobby"))  # a hidden tab does not follow
    streams = asked.count(["room", "events"])
    visible(True)
    expect(participant.get_by_text("Your answer").first).to_be_visible(timeout=5000)
    expect(line).to_have_text(re.compile(r"^Phase: Share"))
    assert asked.count(["room", "events"]) > streams and ["room", "room"] not in asked


def test_the_facilitator_moves_the_room_and_times_it_by_keyboard(browser, server):
    """N, B, T and X on Facilitate do what Next, Back, Start timer and Clear timer do; typed
    into a field, they are just letters."""
    facilitator, participant, line = lobby_with_one_participant(browser, server.url)
    minutes = by_key(facilitator, "timer_minutes").locator("input")
    minutes.click()
    minutes.press("n")
    minutes.blur()
    facilitator.keyboard.press("t")
    # The timer starts in the Lobby: the letter typed into the field before it moved nothing.
    expect(line).to_have_text(re.compile(r"^Phase: Lobby · ⏱ [45]:\d\d left$"), timeout=8000)
    facilitator.keyboard.press("x")
    expect(line).to_have_text("Phase: Lobby", timeout=8000)
    facilitator.keyboard.press("n")
    expect(line).to_have_text("Phase: Share", timeout=8000)
    expect(by_key(facilitator, "phase_next")).to_contain_text("Next: Propose")
    facilitator.keyboard.press("b")
    expect(line).to_have_text("Phase: Lobby", timeout=8000)
    expect(participant.get_by_text("The workshop starts soon")).to_be_visible(timeout=8000)


def participant_page_runs(url: str) -> float:
    """How often the Participate page has run on the server (its `/metrics`)."""
    import urllib.request

    from tests.e2e.conftest import ORGANISATION_KEY

    asked = urllib.request.Request(f"{url}/metrics", headers={"Authorization": f"Bearer {ORGANISATION_KEY}"})
    with urllib.request.urlopen(asked) as answer:
        text = answer.read().decode()
    runs = re.findall(r'^cocreate_page_runs_total\{page="participate"\} (\S+)$', text, re.M)
    return float(runs[0]) if runs else 0.0  # the series starts with the page's first run


def test_a_person_joins_in_their_language_from_the_workshops_teams_and_the_page_runs_once(browser, server):
    """Test that the join form is the participant app's own: Finnish chosen on it, a team from the workshop's list, a refusal said on the form, and no page run after the link's own."""
    facilitator = new_page(browser, 1400, 1000)
    room = create_workshop(facilitator, server.url, teams="Myynti\nTuki")
    runs = participant_page_runs(server.url)

    me = new_page(browser, 390, 844)
    me.goto(f"{server.url}/participate?code={room['code']}")
    form = board(me, "join")
    expect(form.get_by_role("heading", name="Browser workshop")).to_be_visible()
    me.get_by_role("button", name="Suomi").click()
    name = form.get_by_label("Nimesi (valinnainen)")
    name.evaluate("box => box.removeAttribute('maxlength')")  # sent past the browser's own limit
    name.fill("N" * 41)
    teams = form.get_by_label("Tiimisi")
    expect(teams.locator("option")).to_have_text(["Valitse tiimisi", "Myynti", "Tuki", "Muu tiimi"])
    teams.select_option(label="Tuki")
    form.get_by_role("button", name="Liity työpajaan").click()
    expect(form.get_by_role("alert")).to_have_text(
        "Nimesi: 41 merkkiä; enimmäismäärä on 40. Lyhennä ja yritä uudelleen."
    )
    assert "t=" not in me.url
    name.fill("Aino")
    form.get_by_role("button", name="Liity työpajaan").click()
    expect(me.get_by_text("Aino · Tuki")).to_be_visible()
    expect(me.get_by_text("Vaihe: Odotus")).to_be_visible()
    assert "t=" in me.url and "lang=fi" in me.url and "code=" not in me.url

    next_phase(facilitator, "Share")
    sees(me, share_board(me).get_by_role("textbox", name="Vastauksesi").first)
    assert participant_page_runs(server.url) - runs == 1  # the join link's run, nothing after

    me.reload()  # the link is the way back in: the same person, in the language they chose
    expect(me.get_by_text("Aino · Tuki")).to_be_visible()
    expect(share_board(me)).to_be_visible()
