"""Practices in real browsers: shared on the practice board, marked by another person, and
found in the practice library by the facilitator, who shows it to a later room."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.people import by_key, create_workshop, fill, join, new_page, next_phase, press, sees


def practice_board(page):
    return by_key(page, "practice_board")


def test_a_practice_is_shared_marked_and_found_in_the_library_for_a_later_room(browser, server):
    facilitator = new_page(browser)
    room = create_workshop(facilitator, server.url, title="Spring workshop")
    ann, bo = new_page(browser, 390, 844), new_page(browser)
    join(ann, server.url, room["code"], "Ann", "Sales")
    join(bo, server.url, room["code"], "Bo", "Support")
    next_phase(facilitator, "Share")

    board = practice_board(ann)
    sees(ann, board.get_by_role("textbox", name="What you do, in a few words"), timeout=15_000)
    board.get_by_role("textbox", name="What you do, in a few words").fill("Weekly demo <b>")
    board.get_by_role("textbox", name="How you do it, and what it changed").fill(
        "We show customers one thing a week.\nThey tell us more."
    )
    board.get_by_label("Show my name with it").check()
    board.get_by_role("button", name="Share practice").click()
    expect(board.get_by_text("Shared. Others can now say they do it too")).to_be_visible(timeout=10_000)
    mine = board.get_by_role("group", name="Weekly demo <b>")
    expect(mine).to_contain_text("You shared this")
    expect(board.get_by_role("textbox", name="What you do, in a few words")).to_have_value("")

    bo.reload()  # the list is read when the page is drawn
    card = practice_board(bo).get_by_role("group", name="Weekly demo <b>")
    sees(bo, card, timeout=15_000)
    expect(card).to_contain_text("Ann")  # she chose to be named; a team of one is not
    expect(card).not_to_contain_text("Sales")
    card.get_by_role("button", name="We'd like to try this").click()
    expect(card.get_by_role("button", name="✓ We'd like to try this")).to_be_visible()
    expect(card).to_contain_text("1 would like to try it")
    assert bo.locator("b").count() == 0  # the title's markup stays text

    later = new_page(browser)
    next_room = create_workshop(later, server.url, title="Autumn workshop")
    later.goto(next_room["session"].replace("/facilitate", "/review"))
    tab = later.get_by_role("tab", name="Practice library")
    sees(later, tab, timeout=15_000)
    tab.click()
    fill(later, "library_search", "CUSTOMERS one thing")
    later.keyboard.press("Enter")
    found = later.get_by_text("Weekly demo <b>")
    sees(later, found, timeout=10_000)
    expect(later.get_by_text("1 would like to try it", exact=False)).to_be_visible()
    feature = by_key(later, "feature_1")
    press(later, "feature_1")
    expect(feature).to_contain_text("✓ Shown in my workshop", timeout=10_000)

    dee = new_page(browser)
    join(dee, server.url, next_room["code"], "Dee", "Ops")
    later.goto(next_room["session"])
    next_phase(later, "Share")
    featured = practice_board(dee).get_by_role("group", name="Weekly demo <b>")
    sees(dee, featured, timeout=15_000)
    expect(featured).to_contain_text("from “Spring workshop”")
