"""From people's words to an action and back, in real browsers: a statement starts a need
that cites it, the need wins dots, a leader adds an action on it, edits it and closes it, and
the person who said the words sees the outcome on their own link; a check-in after the
workshop reaches the person's open screen, and Review says when the change will show (one
person's answer is not a team's)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.people import (
    board,
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
    sees(ann, board(ann, "share_board").get_by_role("textbox", name="Your answer"), timeout=15_000)
    share(ann, "Customers wait too long for our answers")
    expect(board(ann, "share_board")).to_contain_text("Customers wait too long for our answers")

    next_phase(facilitator, "Propose")
    shown = board(bo, "propose_board")
    words = shown.get_by_text("Turn what people said into a need")
    sees(bo, words, timeout=15_000)
    words.click()
    said = shown.locator("[data-statement]", has_text="Customers wait too long for our answers")
    said.get_by_role("button", name="Turn this into a need").click()
    expect(shown).to_contain_text("Your need will cite what was said:")
    shown.get_by_role("textbox", name="A development need (a skill, practice or capability)").fill(
        "Writing for chat"
    )
    shown.get_by_role("button", name="Propose", exact=True).click()
    expect(shown.get_by_role("group", name="You proposed")).to_contain_text("Writing for chat")

    next_phase(facilitator, "Vote")
    card = board(bo, "vote_board").locator("[data-need]", has_text="Writing for chat")
    sees(bo, card, timeout=15_000)
    expect(card).to_contain_text("From what was said: “Customers wait too long for our answers”")
    card.get_by_role("button", name="Add a dot").click()
    expect(card).to_contain_text("your dots: ●")
    card.get_by_role("button", name="Rate it").click()
    dialog = bo.get_by_role("dialog", name="Rate this need")
    expect(dialog).to_contain_text("Writing for chat")
    dialog.get_by_role("group", name="How important is it for the strategy?").get_by_role(
        "radio", name=re.compile(r"^5")
    ).check()
    dialog.get_by_role("group", name="How well can your team do it today?").get_by_role(
        "radio", name=re.compile(r"^2")
    ).check()
    dialog.get_by_role("button", name="Save rating").click()
    expect(dialog).to_have_count(0)
    expect(card.get_by_role("button", name="Rated: importance 5, capability 2")).to_be_visible()
    next_phase(facilitator, "Results")
    next_phase(facilitator, "Closed")
    # Ann keeps her screen open from here: what leaders do reaches it without a reload.
    sees(ann, board(ann, "became").get_by_text("No follow-up action yet", exact=False), timeout=15_000)

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

    sees(ann, ann.get_by_text(re.compile(r"^done · Dee")), timeout=15_000)
    expect(ann.get_by_text("Writing for chat", exact=True)).to_be_visible()
    expect(ann.get_by_text("it cites what you said", exact=False)).to_be_visible()
    expect(ann.get_by_text("→ Chat writing course")).to_be_visible()
    expect(ann.get_by_text(re.compile(r"^done · Dee"))).to_be_visible()
    expect(ann.get_by_text("What came of it: Answers got shorter")).to_be_visible()  # she is told

    # The check-in: the leader opens it, Bo rates his team's capability again, the chart moves.
    leader.get_by_role("tab", name="Session summary").click()
    press(leader, "checkin_toggle")
    sees(
        leader,
        by_key(leader, "checkin_toggle").get_by_role("button", name="Close the check-in"),
        timeout=15_000,
    )
    checkin = board(bo, "checkin")  # on his open screen, without a reload
    sees(bo, checkin.get_by_text("Check-in: how well can your team do these today?"), timeout=15_000)
    expect(checkin.get_by_text("At the workshop you said 2 of 5.")).to_be_visible()
    checkin.get_by_role("radio", name="4").check()
    checkin.get_by_role("button", name="Save").click()
    sees(bo, checkin.get_by_text("Saved: thank you"), timeout=15_000)
    leader.reload()
    # One person's answer is not shown as a team's change: Review says when it will be.
    sees(leader, leader.get_by_text("The change shows here once 3 people", exact=False), timeout=20_000)
    expect(leader.locator(".js-plotly-plot", has_text="at the check-in")).to_have_count(0)
