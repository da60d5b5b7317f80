"""Practices in real browsers: shared on the practice board, marked by another person, and
found in the practice library by the facilitator, who shows it to a later room; who can
help whom on Review and the projector, and a wish to try a practice turned into an action."""

from __future__ import annotations

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
)


def practice_board(page):
    return board(page, "practice_board")


def test_a_practice_is_shared_marked_and_found_in_the_library_for_a_later_room(browser, server):
    facilitator = new_page(browser)
    room = create_workshop(facilitator, server.url, title="Spring workshop")
    ann, bo = new_page(browser, 390, 844), new_page(browser)
    join(ann, server.url, room["code"], "Ann", "Sales")
    join(bo, server.url, room["code"], "Bo", "Support")
    next_phase(facilitator, "Share")

    shown = practice_board(ann)
    sees(ann, shown.get_by_role("textbox", name="What you do, in a few words"), timeout=15_000)
    shown.get_by_role("textbox", name="What you do, in a few words").fill("Weekly demo <b>")
    shown.get_by_role("textbox", name="How you do it, and what it changed").fill(
        "We show customers one thing a week.\nThey tell us more."
    )
    shown.get_by_label("Show my name with it").check()
    shown.get_by_role("button", name="Share practice").click()
    expect(shown.get_by_text("Shared. Others can now say they do it too")).to_be_visible(timeout=10_000)
    mine = shown.get_by_role("group", name="Weekly demo <b>")
    expect(mine).to_contain_text("You shared this")
    expect(shown.get_by_role("textbox", name="What you do, in a few words")).to_have_value("")

    # Bo's open screen lists it without a reload, and Ann's counts his mark.
    card = practice_board(bo).get_by_role("group", name="Weekly demo <b>")
    sees(bo, card, timeout=15_000)
    expect(card).to_contain_text("Ann")  # she chose to be named; a team of one is not
    expect(card).not_to_contain_text("Sales")
    card.get_by_role("button", name="We'd like to try this").click()
    expect(card.get_by_role("button", name="✓ We'd like to try this")).to_be_visible()
    expect(card).to_contain_text("1 would like to try it")
    assert bo.locator("b").count() == 0  # the title's markup stays text
    sees(ann, mine.get_by_text("1 would like to try it", exact=False), timeout=10_000)

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
    found_key = key_starting(later, "feature_")  # the one practice found
    feature = by_key(later, found_key)
    press(later, found_key)
    expect(feature).to_contain_text("✓ Shown in “", timeout=10_000)

    dee = new_page(browser)
    join(dee, server.url, next_room["code"], "Dee", "Ops")
    later.goto(next_room["session"])
    next_phase(later, "Share")
    featured = practice_board(dee).get_by_role("group", name="Weekly demo <b>")
    sees(dee, featured, timeout=15_000)
    expect(featured).to_contain_text("from “Spring workshop”")

    # Typing a need, Dee is offered the practice that speaks of it, and points the need to it.
    next_phase(later, "Propose")
    shown = board(dee, "propose_board")
    box = shown.get_by_role("textbox", name="A development need (a skill, practice or capability)")
    sees(dee, box, timeout=15_000)
    box.fill("Demos for customers")
    offered = shown.locator("[data-practice]", has_text="Weekly demo <b>")
    sees(dee, offered, timeout=10_000)
    offered.get_by_role("button", name="Learn from this").click()
    expect(offered.get_by_role("button", name="✓ Learn from this")).to_be_visible()
    shown.get_by_role("button", name="Propose", exact=True).click()
    expect(shown.get_by_role("group", name="You proposed")).to_contain_text("Demos for customers")
    later.get_by_role("tab", name="Development needs").click()
    sees(later, later.get_by_text("Learn from: Weekly demo <b>", exact=False), timeout=15_000)


def _spring_room(db):
    """A workshop in Results, seeded before the server starts: Sales (three people) rates a
    need important and itself weak and would like to try Support's practice; Support (three)
    rates itself strong; Duo (two, under the threshold of three) is strong and would like to
    try it too."""
    from tests.conftest import make_room
    from workshop import actions
    from workshop.model import Phase, PracticeReaction
    from workshop.store import Store

    store = Store(db)
    try:
        room = make_room(store, participants=0, title="Spring workshop", show_help_pairs=True)
        teams = {
            team: [room.join(f"{team} {i}", team) for i in range(n)]
            for team, n in (("Sales", 3), ("Support", 3), ("Duo", 2))
        }
        theme = room.theme_ids[0]
        room.to(Phase.SHARE)
        practice = actions.share_practice(
            store, teams["Support"][0], theme, "Weekly demo", "We show customers one thing a week."
        )
        for person in (*teams["Sales"][:2], *teams["Duo"]):
            actions.react_to_practice(store, person, practice, PracticeReaction.WANT_TO_TRY)
        room.to(Phase.PROPOSE)
        need = actions.propose(store, teams["Sales"][0], theme, "Showing our work to customers")
        room.to(Phase.VOTE)
        for team, (importance, capability) in (("Sales", (5, 1)), ("Support", (3, 5)), ("Duo", (3, 5))):
            for person in teams[team]:
                actions.rate(store, person, need, importance, capability)
        room.to(Phase.RESULTS)
        return room.created, practice
    finally:
        store.close()


def test_help_pairs_name_only_big_teams_and_interest_becomes_an_adopted_action(browser, tmp_path, request):
    """A leader reads who can help whom on Review (Duo, under the threshold, is never named),
    turns Sales's wish to try a practice into a follow-up action in the library, marks it done
    and sees the practice adopted; the projector's Results show the pairs too. (Its server is
    its own: the workshop is seeded before it starts, and its library holds only this one.)"""
    from tests.e2e.conftest import serving

    db = tmp_path / "spring.duckdb"
    created, practice = _spring_room(db)
    with serving(db, request) as server:
        leader = new_page(browser, 1400, 1000)
        leader.goto(f"{server.url}/review?s={created.session_token}")
        sees(
            leader,
            leader.get_by_text("Sales would learn: Need: Showing our work to customers"),
            timeout=20_000,
        )
        expect(leader.get_by_text("Sales would learn: Practice: Weekly demo")).to_be_visible()
        expect(
            leader.get_by_text("can learn from Support (rates its capability 5.0)", exact=False)
        ).to_be_visible()
        expect(leader.get_by_text("Duo", exact=False)).to_have_count(0)

        leader.get_by_role("tab", name="Practice library").click()
        sees(leader, leader.get_by_text("Weekly demo", exact=True), timeout=10_000)
        leader.get_by_role("button", name="Plan a follow-up").click()
        fill(leader, f"plan_owner_{practice}", "Dee")
        press(leader, f"plan_submit_{practice}")
        sees(leader, leader.get_by_text("1 follow-up action", exact=False), timeout=15_000)

        leader.get_by_role("tab", name="Follow-up actions").click()
        sees(leader, leader.get_by_text("Try “Weekly demo”", exact=True), timeout=10_000)
        expect(leader.get_by_text("tries “Weekly demo” · for Spring workshop", exact=False)).to_be_visible()
        choose(leader, "follow_status_1", "done")
        press(leader, "follow_save_1")
        sees(leader, leader.get_by_text("for Spring workshop · adopted", exact=False), timeout=15_000)
        leader.get_by_role("tab", name="Practice library").click()
        sees(leader, leader.get_by_text("adopted in 1 workshop", exact=False), timeout=10_000)

        projector = new_page(browser, 1920, 1080)
        projector.goto(f"{server.url}/present?p={created.presenter_token}")
        panel = projector.get_by_role("region", name="Who can help whom").or_(
            projector.locator("section.cc-panel", has_text="Who can help whom")
        )
        sees(projector, panel.first, timeout=60_000)  # its page comes round every few turns
        expect(panel.first).to_contain_text("Sales would learn")
        expect(panel.first).not_to_contain_text("Duo")
