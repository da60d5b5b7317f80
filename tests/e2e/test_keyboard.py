"""A whole workshop by keyboard alone: a participant joins, shares, answers, proposes, votes
and rates with Tab, Enter, Space and arrows; the facilitator moves the room with its keys."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.people import (
    board,
    by_key,
    create_workshop,
    join,
    new_page,
    propose_board,
    sees,
    share,
    share_board,
)

# How long a screen may take to show what a key did: the whole suite's browsers and servers
# share two cores (seconds here are the machine's, not the product's).
WAIT = 20_000


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until `target` has the keyboard's focus (as a person tabs through a page).
    Each press is checked at once (`:focus`): a check that waited could let a slow machine's
    next press go past the target."""
    focused = page.locator("*:focus")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.and_(focused).count():
            return
    raise AssertionError(f"{target} was not reached with {limit} presses of Tab")


def next_phase_by_key(facilitator: Page, expected: str) -> None:
    """The facilitator's key N (Next phase), pressed where no field is being typed in."""
    facilitator.bring_to_front()
    facilitator.get_by_role(
        "heading", level=1
    ).first.click()  # the facilitator looks at the page, not a field
    facilitator.keyboard.press("n")
    expect(by_key(facilitator, "phase_next")).to_contain_text(f"Next: {expected}", timeout=WAIT)


def test_a_participant_takes_part_in_a_whole_workshop_by_keyboard(browser, server):
    """Test that a participant joins, shares, answers, proposes, votes and rates with the keyboard only."""
    facilitator = new_page(browser, 1400, 1000)
    room = create_workshop(facilitator, server.url, title="Keyboard workshop")
    other = new_page(browser)
    join(other, server.url, room["code"], "Mouse user", "Sales")

    me = new_page(browser)
    me.goto(f"{server.url}/participate?code={room['code']}")
    name = me.get_by_role("textbox", name="Your name (optional)")
    tab_to(me, name)
    me.keyboard.type("Keyboard user")
    me.keyboard.press("Tab")
    me.keyboard.type("Support")
    me.keyboard.press("Enter")  # sends the join form
    expect(me.get_by_text("Phase:")).to_be_visible(timeout=WAIT)

    next_phase_by_key(facilitator, "Propose")  # Share now
    sees(other, share_board(other).get_by_role("textbox", name="Your answer"), timeout=WAIT)
    share(other, "Customers should reach us on their own terms")

    me.bring_to_front()
    answer = share_board(me).get_by_role("textbox", name="Your answer")
    tab_to(me, answer)
    me.keyboard.type("Keyboard people need clear focus")
    me.keyboard.press("Control+Enter")
    expect(share_board(me).get_by_role("group", name="You wrote")).to_contain_text(
        "clear focus", timeout=WAIT
    )
    expect(answer).to_be_focused()  # the empty box again, for the next thought
    expect(answer).to_have_value("")

    agree = board(me, "react_card").get_by_role("button", name="👍 Agree")
    sees(me, agree, timeout=WAIT)  # others' statements come to the card by themselves
    tab_to(me, agree)
    me.keyboard.press("Enter")
    # The answer brings the next card (none left here): the focus stays on the card, which says so.
    expect(board(me, "react_card").get_by_text("You have answered every statement so far")).to_be_focused(
        timeout=WAIT
    )

    next_phase_by_key(facilitator, "Vote")  # Propose now
    box = propose_board(me).get_by_role(
        "textbox", name="A development need (a skill, practice or capability)"
    )
    sees(me, box, timeout=WAIT)
    tab_to(me, box)
    me.keyboard.type("Keyboard shortcuts for every tool")
    me.keyboard.press("Control+Enter")
    expect(propose_board(me).get_by_role("group", name="You proposed")).to_contain_text(
        "Keyboard shortcuts", timeout=WAIT
    )
    expect(box).to_be_focused()

    next_phase_by_key(facilitator, "Results")  # Vote now
    shown = board(me, "vote_board")
    add = shown.get_by_role("button", name="Add a dot")
    sees(me, add, timeout=WAIT)
    tab_to(me, add)
    me.keyboard.press("Enter")
    expect(shown.get_by_role("status")).to_contain_text("4 of 5", timeout=WAIT)  # "Dots left", said aloud
    expect(add).to_be_focused()  # the same button: another dot is one more Enter
    me.keyboard.press("Enter")
    expect(shown.get_by_role("status")).to_contain_text("3 of 5", timeout=WAIT)

    tab_to(me, shown.get_by_role("button", name="Rate it"))
    me.keyboard.press("Enter")
    dialog = me.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=WAIT)
    tab_to(me, dialog.get_by_role("radio").first)
    me.keyboard.press("ArrowRight")  # importance 2 … 5
    me.keyboard.press("ArrowRight")
    me.keyboard.press("ArrowRight")
    me.keyboard.press("ArrowRight")
    capability = (
        dialog.get_by_role("group", name="How well can your team do it today?").get_by_role("radio").first
    )
    tab_to(me, capability)
    me.keyboard.press("ArrowRight")
    tab_to(me, dialog.get_by_role("button", name="Save rating"))
    me.keyboard.press("Enter")
    rated = shown.get_by_role("button", name=re.compile(r"Rated: importance 5, capability 2"))
    expect(rated).to_be_visible(timeout=WAIT)

    next_phase_by_key(facilitator, "Closed")  # Results now: entering it reveals the results
    sees(me, me.get_by_role("heading", name="What the room chose"), timeout=WAIT)
    expect(board(me, "ranking")).to_contain_text("Keyboard shortcuts for every tool")
