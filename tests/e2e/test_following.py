"""Every screen follows the room without a reload: the facilitator's lists, the teams as
people typed them, and the tabs of a server that was restarted."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from deploy.server import AppServer
from tests.conftest import ORGANISATION_KEY
from tests.e2e.people import (
    add_dot,
    board,
    by_key,
    choose,
    create_workshop,
    join,
    need_id,
    new_page,
    next_phase,
    press,
    propose,
    propose_board,
    room_voting_on,
    sees,
    settled,
    share_board,
)


def test_a_new_need_shows_in_the_facilitators_moderation_list_within_two_seconds(browser, server):
    facilitator = new_page(browser, 1400, 1000)
    room = create_workshop(facilitator, server.url)
    person = new_page(browser)
    join(person, server.url, room["code"], "Ann", "Sales")
    next_phase(facilitator, "Share")
    next_phase(facilitator, "Propose")
    facilitator.get_by_role("tab", name="Development needs").click()
    expect(facilitator.get_by_text("No development needs yet.")).to_be_visible()

    sees(person, propose_board(person))
    propose(person, "Pricing conversations with customers")
    facilitator.bring_to_front()
    expect(facilitator.get_by_text("Pricing conversations with customers", exact=True)).to_be_visible(
        timeout=2500
    )
    expect(facilitator.get_by_text("No development needs yet.")).to_be_hidden()
    # The live counts follow too, and the tab the facilitator chose stays chosen.
    expect(facilitator.get_by_role("tab", name="Development needs")).to_have_attribute(
        "aria-selected", "true"
    )


def test_sales_and_sales_typed_in_lowercase_are_one_team(browser, server):
    facilitator = new_page(browser)
    room = create_workshop(facilitator, server.url)
    ann, bob = new_page(browser), new_page(browser)
    join(ann, server.url, room["code"], "Ann", "Sales")
    join(bob, server.url, room["code"], "Bob", "  sales ")
    expect(bob.get_by_text("Bob · Sales", exact=True)).to_be_visible()


def test_a_server_restarted_with_tabs_open_is_followed_again_within_five_seconds(browser, own_server):
    """(It stops its server, so the server is its own.)"""
    server = own_server
    facilitator = new_page(browser, 1400, 1000)
    room = create_workshop(facilitator, server.url)
    person = new_page(browser, 390, 844)
    join(person, server.url, room["code"], "Ann", "Sales")
    projector = new_page(browser, 1920, 1080)
    projector.goto(room["presenter"].replace("http://localhost:8501", server.url))
    expect(projector.locator(".cc-code")).to_have_text(room["code"])

    port = int(server.url.rsplit(":", 1)[1])
    stopping = time.monotonic()
    server.process.terminate()
    server.process.wait(timeout=10)
    stopped = time.monotonic() - stopping
    assert stopped < 5, f"the server took {stopped:.1f} s to stop with tabs open"
    again = AppServer(server.db, port=port, env={"COCREATE_ADMIN_KEY": ORGANISATION_KEY}, log=server.log)
    again.start()
    try:
        restarted = time.monotonic()
        facilitator.goto(room["session"])
        next_phase(facilitator, "Share")
        # The participant's tab and the projector find the new process by themselves.
        person.bring_to_front()
        expect(person.get_by_text("Your answer").first).to_be_visible(timeout=10000)
        projector.bring_to_front()
        expect(projector.get_by_text("Share", exact=False).first).to_be_visible(timeout=10000)
        assert time.monotonic() - restarted < 15
        expect(person.get_by_text("in use by another Cocreate process")).to_have_count(0)
    finally:
        again.stop()


def test_a_participants_votes_follow_a_merge_and_a_hide_within_two_seconds(browser, server):
    """Merged away, a need leaves the vote board with its dots on the need it joined; hidden,
    its dots come back to the person: without a reload."""
    room, voter = room_voting_on(
        browser, server.url, ["Pricing conversations", "Pricing talks with customers"], "Ann", "Sales"
    )
    facilitator = new_page(browser, 1400, 1000)
    facilitator.goto(room["session"])
    voter.bring_to_front()
    source, target = (
        need_id(voter, "vote_board", text) for text in ("Pricing conversations", "Pricing talks")
    )
    add_dot(voter, "Pricing conversations")
    add_dot(voter, "Pricing conversations")
    expect(voter.get_by_text("3 of 5")).to_be_visible()

    facilitator.bring_to_front()
    facilitator.get_by_role("tab", name="Development needs").click()
    choose(facilitator, "merge_source", f"#{source} Pricing conversations")
    choose(facilitator, "merge_target", f"#{target} Pricing talks with customers")
    press(facilitator, "merge_submit")
    expect(facilitator.get_by_text(f"merged from #{source}")).to_be_visible()

    voter.bring_to_front()
    shown = board(voter, "vote_board")
    expect(shown.locator(f"[data-need='{source}']")).to_have_count(0, timeout=2500)
    expect(shown.locator(f"[data-need='{target}']").get_by_text("your dots: ●●")).to_be_visible()
    expect(voter.get_by_text("3 of 5")).to_be_visible()

    facilitator.bring_to_front()
    by_key(facilitator, f"hide_need_{target}").get_by_role("button").click()
    voter.bring_to_front()
    expect(shown.locator(f"[data-need='{target}']")).to_have_count(0, timeout=2500)
    expect(voter.get_by_text("5 of 5")).to_be_visible()


def test_a_need_like_one_on_the_list_is_offered_with_me_too_while_typing(browser, server):
    facilitator = new_page(browser)
    room = create_workshop(facilitator, server.url)
    ann, bob = new_page(browser), new_page(browser, 390, 844)
    join(ann, server.url, room["code"], "Ann", "Sales")
    join(bob, server.url, room["code"], "Bob", "Support")
    next_phase(facilitator, "Share")
    next_phase(facilitator, "Propose")
    ann.bring_to_front()
    expect(propose_board(ann)).to_be_visible(timeout=10_000)
    propose(ann, "Customer interviews")
    first = (
        propose_board(ann)
        .locator("[data-need]", has_text="Customer interviews")
        .first.get_attribute("data-need")
    )

    bob.bring_to_front()
    shown = propose_board(bob)
    expect(shown).to_be_visible(timeout=10_000)
    box = shown.get_by_role("textbox", name="A development need (a skill, practice or capability)")
    box.press_sequentially("interviewing customers", delay=20)
    offer = shown.get_by_role("group", name="Customer interviews")
    expect(offer).to_be_visible(timeout=10_000)  # a moment after the typing stops
    expect(shown.get_by_text("Already on the list")).to_be_visible()
    offer.get_by_role("button", name="Me too").click()
    expect(offer.get_by_role("button", name="✓ You back this")).to_be_visible()
    expect(offer.get_by_text("1 backer")).to_be_visible()

    box.fill("customer interviews!")
    shown.get_by_role("button", name="Propose", exact=True).click()
    expect(shown.get_by_role("alert")).to_contain_text(
        f'already on the list (#{first}). Back it with "Me too"', timeout=10_000
    )


def test_the_projector_shows_a_need_proposed_after_a_live_switch_to_propose(browser, server):
    facilitator = new_page(browser, 1400, 1000)
    room = create_workshop(facilitator, server.url)
    person = new_page(browser)
    join(person, server.url, room["code"], "Ann", "Sales")
    projector = new_page(browser, 1920, 1080)
    projector.goto(room["presenter"].replace("http://localhost:8501", server.url))
    next_phase(facilitator, "Share")
    expect(projector.locator(".cc-phase")).to_have_text("Phase: Share", timeout=5000)
    next_phase(facilitator, "Propose")  # while the projector is open
    expect(projector.locator(".cc-phase")).to_have_text("Phase: Propose", timeout=5000)
    person.bring_to_front()
    sees(person, propose_board(person))
    propose(person, "Pricing conversations with customers")
    projector.bring_to_front()
    newest = projector.locator(".cc-panel", has_text="Newest needs")
    expect(newest.get_by_text("Pricing conversations with customers")).to_be_visible(timeout=5000)
    assert projector.evaluate("document.scrollingElement.scrollHeight <= innerHeight")


def test_a_person_taken_out_during_propose_is_told_at_once_and_the_screen_stops_asking(browser, server):
    """Test that a person the facilitator takes out of the room while they propose is told
    within seconds, loses their Edit and Withdraw, and that their screen asks nothing more."""
    facilitator = new_page(browser, 1400, 1000)
    room = create_workshop(facilitator, server.url)
    rude = new_page(browser)
    rude.clock.install()  # its time passes as the test says once it is out
    join(rude, server.url, room["code"], "Rude", "Sales")
    next_phase(facilitator, "Share")
    sees(rude, share_board(rude))
    next_phase(facilitator, "Propose")
    sees(rude, propose_board(rude))
    propose(rude, "Rude need")
    need = need_id(rude, "propose_board", "Rude need")
    facilitator.reload()
    facilitator.get_by_role("tab", name="Development needs").click()
    by_key(facilitator, f"need_{need}_remove").get_by_role("button").first.click()
    settled(facilitator)  # the popover open and still, as the facilitator sees it before confirming
    asked: list[str] = []
    rude.on("request", lambda request: asked.append(request.url) if "/api/" in request.url else None)
    press(facilitator, f"need_{need}_remove_confirm")

    notice = rude.get_by_role("alert")
    expect(notice).to_contain_text("taken this link out of the workshop", timeout=3000)
    expect(notice).to_contain_text("You are no longer in this workshop")
    expect(propose_board(rude)).to_have_count(0)
    expect(rude.get_by_role("button", name="Withdraw")).to_have_count(0)
    told = len(asked)
    rude.clock.run_for(60_000)  # a minute passes on its screen
    assert len(asked) == told, asked[told:]
