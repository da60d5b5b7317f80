"""From people's words to an action and back, in real browsers: a statement starts a need
that cites it, the need wins dots, a leader adds an action on it, edits it and closes it, and
the person who said the words sees the outcome on their own link; a check-in after the
workshop moves the capability chart."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.people import (
    by_key,
    choose,
    create_workshop,
    fill,
    join,
    key_starting,
    new_page,
    next_phase,
    press,
    sees,
    share,
)


def test_a_statement_becomes_a_need_an_action_and_an_outcome_its_author_sees(browser, server):
    facilitator = new_page(browser, 1400, 1000)
    room = create_workshop(facilitator, server.url, title="Trace workshop")
    ann, bo = new_page(browser), new_page(browser)
    join(ann, server.url, room["code"], "Ann", "Sales")
    join(bo, server.url, room["code"], "Bo", "Ops")

    next_phase(facilitator, "Share")
    sees(ann, by_key(ann, "share_board").get_by_role("textbox", name="Your answer"), timeout=15_000)
    share(ann, "Customers wait too long for our answers")
    expect(by_key(ann, "share_board")).to_contain_text("Customers wait too long for our answers")

    next_phase(facilitator, "Propose")
    board = by_key(bo, "propose_board")
    words = board.get_by_text("Turn what people said into a need")
    sees(bo, words, timeout=15_000)
    words.click()
    said = board.locator("[data-statement]", has_text="Customers wait too long for our answers")
    said.get_by_role("button", name="Turn this into a need").click()
    expect(board).to_contain_text("Your need will cite what was said:")
    board.get_by_role("textbox", name="A development need (a skill, practice or capability)").fill(
        "Writing for chat"
    )
    board.get_by_role("button", name="Propose", exact=True).click()
    expect(board.get_by_role("group", name="You proposed")).to_contain_text("Writing for chat")

    next_phase(facilitator, "Vote")
    card = by_key(bo, "vote_board").locator("[data-need]", has_text="Writing for chat")
    sees(bo, card, timeout=15_000)
    need = card.get_attribute("data-need")  # ids run across the run's workshops
    expect(card).to_contain_text("From what was said: “Customers wait too long for our answers”")
    card.get_by_role("button", name="Add a dot").click()
    expect(card).to_contain_text("your dots: ●")
    card.get_by_role("button", name="Rate it").click()
    sees(bo, by_key(bo, f"importance_{need}"), timeout=15_000)
    by_key(bo, f"importance_{need}").get_by_text("5", exact=True).click()
    by_key(bo, f"capability_{need}").get_by_text("2", exact=True).click()
    press(bo, f"rate_submit_{need}")
    sees(bo, bo.get_by_text("Rating saved"), timeout=15_000)
    next_phase(facilitator, "Results")
    next_phase(facilitator, "Closed")

    leader = facilitator
    leader.goto(room["session"].replace("/facilitate", "/review"))
    tab = leader.get_by_role("tab", name="Follow-up actions")
    sees(leader, tab, timeout=15_000)
    tab.click()
    fill(leader, "follow_title", "Chat writing course")
    by_key(leader, "follow_needs").get_by_role("combobox").click()
    leader.get_by_role("option", name=re.compile("Writing for chat")).click()
    leader.keyboard.press("Escape")
    press(leader, "follow_submit")
    sees(leader, leader.get_by_text("Chat writing course", exact=True), timeout=15_000)
    leader.get_by_role("button", name="Trace: where it came from").or_(
        leader.get_by_text("Trace: where it came from")
    ).first.click()
    expect(leader.get_by_text("“Customers wait too long for our answers”")).to_be_visible()

    leader.get_by_role("button", name="Edit", exact=True).click()
    action = key_starting(leader, "edit_owner_").removeprefix("edit_owner_")
    fill(leader, f"edit_owner_{action}", "Dee")
    fill(leader, f"edit_outcome_{action}", "Answers got shorter")
    press(leader, f"edit_save_{action}")
    sees(leader, leader.get_by_text("Outcome: Answers got shorter"), timeout=15_000)
    choose(leader, f"follow_status_{action}", "done")
    press(leader, f"follow_save_{action}")
    sees(leader, leader.get_by_text("→ done", exact=False), timeout=15_000)

    ann.reload()
    sees(ann, ann.get_by_text("What became of your needs"), timeout=15_000)
    expect(ann.get_by_text("Writing for chat", exact=True)).to_be_visible()
    expect(ann.get_by_text("it cites what you said", exact=False)).to_be_visible()
    expect(ann.get_by_text("→ Chat writing course")).to_be_visible()
    expect(ann.get_by_text(re.compile(r"^done · Dee"))).to_be_visible()

    # The check-in: the leader opens it, Bo rates his team's capability again, the chart moves.
    leader.get_by_role("tab", name="Session summary").click()
    press(leader, "checkin_toggle")
    sees(
        leader,
        by_key(leader, "checkin_toggle").get_by_role("button", name="Close the check-in"),
        timeout=15_000,
    )
    bo.reload()
    sees(bo, bo.get_by_text("Check-in: how well can your team do these today?"), timeout=15_000)
    expect(bo.get_by_text("At the workshop you said 2 of 5.")).to_be_visible()
    by_key(bo, f"checkin_{need}").get_by_text("4", exact=True).click()
    press(bo, f"checkin_save_{need}")
    sees(bo, bo.get_by_text("Saved: thank you"), timeout=15_000)
    leader.reload()
    moved = leader.locator(".js-plotly-plot", has_text="Capability at the workshop and at the check-in")
    sees(leader, moved, timeout=20_000)
    expect(moved).to_contain_text("at the check-in")
    expect(moved).to_contain_text("4.0")
    expect(moved).to_contain_text("2.0")
