"""Every page through Streamlit's AppTest, driven by widget key, on a real DuckDB file."""

from __future__ import annotations

import json
import time

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

import web
from tests.conftest import ROOT, make_room
from ui.components import participant, projector
from workshop import actions, analytics
from workshop.database import current_database, open_database
from workshop.errors import AccessDenied, WrongPhase
from workshop.model import VOTES_LOCKED, Phase
from workshop.views import SHARED_MAX_AGE

TIMEOUT = 30


class Later:
    """The live values' clock, moved on by the test instead of waiting for real seconds."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.ahead


def others_show_up() -> None:
    """What others did reaches a participant's lists within SHARED_MAX_AGE (one list serves
    the room): that much time passes on the clock of the app's live values."""
    live = current_database().live
    if not isinstance(live.clock, Later):
        live.clock = Later()
    live.clock.ahead += SHARED_MAX_AGE + 0.01


@pytest.fixture
def app_store(db_path, monkeypatch):
    """The very Store the pages and the routes use (one per process and database)."""
    monkeypatch.setenv("COCREATE_DB", str(db_path))
    monkeypatch.delenv("COCREATE_ADMIN_KEY", raising=False)
    return open_database(str(db_path)).store


def page(path: str, **query: str) -> AppTest:
    return run_page(path, {}, **query)


def run_page(path: str, state: dict, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page(path)
    at.query_params.update(query)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def open_review(tab: str, **query: str) -> AppTest:
    """Review opened on its tab `tab` (only the open tab runs)."""
    return run_page("pages/review.py", {"review_tab": tab}, **query)


def texts(at: AppTest) -> str:
    """Everything a person reads on the page, joined."""
    parts = [e.value for e in at.text] + [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.error] + [e.value for e in at.info] + [e.value for e in at.success]
    parts += [str(m.value) for m in at.metric] + [m.label for m in at.metric]
    parts += [e.proto.body for e in at.get("html")]
    return "\n".join(str(p) for p in parts)


def table_with(at: AppTest, column: str):
    """The first table on the page that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


REVIEW_TABS = 5  # Session summary, Across sessions, Follow-up actions, Exports, Practice library


def review_tab(at: AppTest, label: str) -> AppTest:
    """Open Review's tab `label`, as a click on it does (only the open tab runs)."""
    at.session_state["review_tab"] = label
    return at.run()


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return at.run()


def component(at: AppTest, key: str) -> dict:
    """What the page gave its custom component `key` to draw (the vote board, the react card)."""
    (found,) = [e.proto for e in at.get("bidi_component") if e.proto.component_name.endswith(key)]
    return json.loads(found.json)


def projected(at: AppTest) -> dict:
    """What the Present page gave its projector component to draw (ui/components/projector.py)."""
    return json.loads(component(at, projector.KEY)["view"])


ROUTES = TestClient(Starlette(routes=web.routes))


def request(at: AppTest, route: str, method: str, body: dict | None = None) -> tuple[int, dict]:
    """What the participant's app sends to `route` (a name of its `urls`: dots, share …),
    with the link's token, answered by the routes of web/. Returns the status and answer."""
    data = component(at, participant.KEY)
    headers = {data["header"]: data["token"]} if data["token"] else {}
    reply = ROUTES.request(method, "/" + data["urls"][route], headers=headers, json=body)
    return reply.status_code, reply.json()


def join(at: AppTest, name: str | None = None, team: str | None = None) -> AppTest:
    """Join from the app's join form (`POST api/join`), then the link the app moves to
    (`?t=`), opened as a reload opens it."""
    code, answer = request(at, "join", "POST", {"code": joining(at)["code"], "name": name, "team": team})
    assert code == 200, answer
    return page("pages/participate.py", t=answer["token"])


def joining(at: AppTest) -> dict:
    """What the app's join form shows: the workshop's `code`, `title`, whether it is
    `anonymous`, its `teams` (null when the page shows no join form)."""
    data = component(at, participant.KEY)
    assert not data["token"]
    return data["join"]


def screen(at: AppTest) -> dict:
    """What the participant's app draws now: its `GET api/view` (`status`, `room`, `me`)."""
    code, answer = request(at, "view", "GET")
    assert code == 200, answer
    return answer


def cards(at: AppTest) -> list[dict]:
    """The needs the person's screen lists, each with their own part laid over as the app
    lays it: `backed`, `mine` (their dots), `own`, and the totals as they are now."""
    shown = screen(at)
    me = shown["me"]
    totals, own = me.get("totals", {}), {n["id"] for n in me["needs"]}
    listed = []
    for need in shown["room"].get("needs", []):
        now = totals.get(str(need["id"]), {})
        listed.append(
            need
            | {
                "backers": now.get("backers", need["backers"]),
                "dots": now["dots"] if now.get("dots") is not None else need["dots"],
                "backed": need["id"] in me["backed"],
                "mine": me["dots"].get(str(need["id"]), 0),
                "own": need["id"] in own,
            }
        )
    return listed


def others_said(at: AppTest, theme: int) -> tuple[int, list[str]]:
    """How many statements of others the theme's tab counts, and the lines it lists (newest
    first, each with who wrote it as others may see it)."""
    shown = screen(at)
    room, mine = shown["room"], {s["id"] for s in shown["me"]["statements"]}
    of_theme = [s for s in room["statements"] if s["theme"] == theme]
    others = [s for s in of_theme if s["id"] not in mine]
    count = room["statement_counts"][str(theme)] - (len(of_theme) - len(others))
    return count, [s["text"] + (f"  ({s['byline']})" if s["byline"] else "") for s in reversed(others)]


def practices_shown(at: AppTest) -> list[dict]:
    """The practices on the person's screen, with their own part laid over as the app lays
    it: `mine` (they shared it), `i_do` and `i_want` (their marks)."""
    shown = screen(at)
    me = shown["me"]
    marks = {(p, kind) for p, kind in me.get("marks", [])}
    return [
        practice
        | {
            "mine": practice["id"] in me.get("practices", []),
            "i_do": (practice["id"], "do_too") in marks,
            "i_want": (practice["id"], "want_to_try") in marks,
        }
        for practice in shown["room"].get("practices", [])
    ]


def press(at: AppTest, need_id: int, change: int = 1) -> tuple[int, dict]:
    """The vote board's "Add a dot" (1) or "Take one back" (-1) on a need."""
    return request(at, "dots", "POST", {"need": need_id, "change": change})


def write(at: AppTest, body: dict) -> tuple[int, dict]:
    """The share board's "Share", "Save changes" or "Withdraw"."""
    return request(at, "share", "POST", body)


def propose(at: AppTest, body: dict) -> tuple[int, dict]:
    """The propose board's "Propose", "Save changes" or "Withdraw"."""
    return request(at, "propose", "POST", body)


def react_to(at: AppTest, statement_id: int, kind: str) -> tuple[int, dict]:
    """The react card's "Agree", "Disagree" or "Pass" on a statement."""
    return request(at, "react", "POST", {"statement": statement_id, "kind": kind})


def test_home_renders_the_join_box(app_store):
    at = page("pages/home.py")
    assert not at.exception
    assert at.text_input(key="home_code").label == "Workshop code"
    at.text_input(key="home_code").input("NOPE22")
    click(at, "home_join")
    assert at.error[0].value == "No workshop has the code NOPE22. Check the code on the projector."


def test_home_join_with_a_real_code_opens_the_join_form(app_store):
    room = make_room(app_store, participants=0)
    at = page("pages/home.py")
    at.text_input(key="home_code").input(room.workshop.code.lower())
    click(at, "home_join")
    assert not at.exception
    assert at.query_params == {"code": room.workshop.code}
    form = joining(at)
    assert (form["title"], form["teams"], form["anonymous"]) == (
        room.workshop.title,
        [],
        room.workshop.anonymous,
    )


@pytest.mark.parametrize(
    ("path", "query", "message"),
    [
        ("pages/participate.py", {"t": "tampered-token"}, "This participant link is not valid"),
        ("pages/participate.py", {"code": "ZZZZZZ"}, "No workshop has the code ZZZZZZ"),
        ("pages/present.py", {}, "This presenter link is not valid"),
        ("pages/present.py", {"p": "guess"}, "This presenter link is not valid"),
        ("pages/facilitate.py", {"s": "guess"}, "This link no longer opens the workshop"),
        ("pages/review.py", {"s": "guess"}, "This link no longer opens the workshop"),
    ],
)
def test_a_bad_link_shows_a_clear_message_and_no_data(app_store, path, query, message):
    room = make_room(app_store)
    at = page(path, **query)
    assert not at.exception
    assert message in at.error[0].value
    assert room.workshop.title not in texts(at)


def test_a_join_the_room_refuses_says_why_and_stores_no_one(app_store):
    """The app's join form sends `POST api/join`; a refusal is its answer's message."""
    room = make_room(app_store, participants=1)
    at = page("pages/participate.py", code=room.workshop.code)
    room.to(Phase.CLOSED)  # the workshop closes while the form is open
    code, answer = request(
        at, "join", "POST", {"code": room.workshop.code, "name": "Late Larry", "team": None}
    )
    assert (code, answer) == (
        409,
        {"error": "This workshop has closed; it no longer takes new participants."},
    )
    assert analytics.participation(app_store, room.workshop.id, Phase.LOBBY)["joined"] == 1
    at = page("pages/participate.py", code=room.workshop.code)  # the link opened again
    assert "This workshop has closed, so it takes no new participants." in texts(at)
    assert not at.get("bidi_component")  # no form to try again with


def test_a_closed_workshops_link_shows_what_the_room_chose_not_a_join_form(app_store):
    room = make_room(app_store, participants=2, hide_results=False)
    room.to(Phase.PROPOSE)
    need = actions.propose(app_store, room.people[0], room.theme_ids[0], "Customer interviews")
    room.to(Phase.VOTE)
    actions.place_dot(app_store, room.people[1], need)
    room.to(Phase.CLOSED)
    at = page("pages/participate.py", code=room.workshop.code)
    assert not at.exception
    assert "This workshop has closed, so it takes no new participants." in texts(at)
    assert "What the room chose" in [h.value for h in at.subheader]
    assert [c.value for c in at.caption if "dot" in c.value] == [
        f"{room.created.workshop.themes[0].title} · 1 dot"
    ]
    assert "1. Customer interviews" in [t.value for t in at.text]
    assert not at.button and not at.text_input  # nothing to join with


def test_results_show_the_ranking_with_the_persons_own_dots(app_store):
    room = make_room(app_store, participants=1)
    viewer, token = actions.join(app_store, room.workshop.code, "Viewer", "Sales")
    room.to(Phase.PROPOSE)
    first = actions.propose(app_store, room.people[0], room.theme_ids[0], "Customer interviews")
    second = actions.propose(app_store, room.people[0], room.theme_ids[0], "Data literacy")
    room.to(Phase.VOTE)
    for _ in range(2):
        actions.place_dot(app_store, viewer, second)
    actions.place_dot(app_store, room.people[0], first)
    room.to(Phase.RESULTS)
    at = page("pages/participate.py", t=token)
    assert not at.exception
    shown = cards(at)
    assert [(n["text"], n["dots"]) for n in shown] == [("Data literacy", 2), ("Customer interviews", 1)]
    assert [n["mine"] for n in shown] == [2, 0]  # this person's dots, on the need that holds them


def test_every_page_renders_in_every_phase(app_store):
    room = make_room(app_store)
    token = actions.join(app_store, room.workshop.code, "Viewer", "Sales")[1]
    for phase in Phase:
        room.to(phase)
        for path, query in [
            ("pages/participate.py", {"t": token}),
            ("pages/present.py", {"p": room.created.presenter_token}),
            ("pages/facilitate.py", {"s": room.created.session_token}),
            ("pages/review.py", {"s": room.created.session_token}),
        ]:
            at = page(path, **query)
            assert not at.exception, (phase, path, at.exception)
            if path.endswith("present.py"):
                view = projected(at)
                assert (view["title"], view["phase"]) == (room.workshop.title, phase.value)
            elif path.endswith("participate.py"):
                workshop = screen(at)["room"]["workshop"]
                assert (workshop["title"], workshop["phase"]) == (room.workshop.title, phase.value)
            else:
                assert room.workshop.title in texts(at) or path.endswith("review.py"), (phase, path)


def test_review_without_a_key_shows_only_the_sign_in(app_store):
    make_room(app_store)
    at = page("pages/review.py")
    at.text_input(key="review_org_key").input("guess")
    click(at, "review_org_submit")
    assert "No organisation key is configured" in at.error[0].value
    assert not at.dataframe


def test_review_with_the_organisation_key_lists_every_workshop(app_store, monkeypatch):
    first = make_room(app_store)
    second = make_room(app_store, title="Second workshop")
    monkeypatch.setenv("COCREATE_ADMIN_KEY", "org-secret-key-7Qm2xW9pLr4T")
    at = page("pages/review.py")
    at.text_input(key="review_org_key").input("org-secret-key-7Qm2xW9pLr4T")
    click(at, "review_org_submit")
    assert not at.exception
    options = at.selectbox(key="review_workshop").options
    assert len(options) == 2
    assert any(first.workshop.code in o for o in options) and any(second.workshop.code in o for o in options)


def test_review_with_a_facilitator_key_shows_only_its_workshop(app_store):
    mine = make_room(app_store)
    make_room(app_store, title="Someone else's")
    at = page("pages/review.py")
    at.text_input(key="review_code").input(mine.workshop.code)
    at.text_input(key="review_key").input(mine.created.facilitator_key)
    click(at, "review_submit")
    assert not at.exception
    (only,) = at.selectbox(key="review_workshop").options
    assert mine.workshop.code in only


def test_a_whole_workshop_run_through_the_pages(app_store):
    """Facilitator creates; three people join, share, react, propose, back and vote; merge and hide."""
    fac = page("pages/facilitate.py")
    fac.text_input(key="create_title").input("Learning 2.0 day")
    fac.text_area(key="create_strategy").input("We grow by learning from each other.")
    fac.text_area(key="create_themes").input("Customer focus | What does it mean for you?\nData")
    fac.checkbox(key="create_anonymous").uncheck()
    click(fac, "create_submit")
    assert not fac.exception
    key_shown = [c.value for c in fac.code]
    session = fac.query_params["s"]
    workshop = actions.access_for(app_store, session)
    wid = workshop.workshop_id
    created = app_store.workshop(wid)
    assert any(len(v) == 29 and v.count("-") == 4 for v in key_shown)  # the facilitator key, once
    assert "Learning 2.0 day" in texts(fac)

    people = []
    for name, team in [("Ann", "Sales"), ("Bo", "Sales"), ("Cy", "Support")]:
        at = join(page("pages/participate.py", code=created.code), name, team)
        assert not at.exception
        people.append(at)
    assert analytics.participation(app_store, wid, Phase.LOBBY)["joined"] == 3

    fac = page("pages/facilitate.py", s=session)
    click(fac, "phase_next")
    assert app_store.workshop(wid).phase is Phase.SHARE
    theme_ids = [t.id for t in created.themes]

    ann, bo, cy = people
    for at in people:
        at.run()
    themes = screen(ann)["room"]["workshop"]["themes"]
    assert [t["title"] for t in themes] == [t.title for t in created.themes]
    assert write(ann, {"do": "share", "theme": theme_ids[0], "text": "   "}) == (
        409,
        {"error": "Your statement is empty. Write something and send it again."},
    )
    code, answer = write(
        ann, {"do": "share", "theme": theme_ids[0], "text": "Customers <b>first</b>, always"}
    )
    assert code == 200 and answer["done"] == "Shared."
    (statement,) = app_store.statements(wid)
    assert answer["mine"] == [
        {"id": statement.id, "theme": theme_ids[0], "text": "Customers <b>first</b>, always"}
    ]
    ann.run()
    assert screen(ann)["me"]["statements"] == answer["mine"]  # drawn again: what is stored
    others_show_up()
    bo.run()
    card = screen(bo)["me"]["card"]
    assert (card["id"], card["text"], card["byline"]) == (
        statement.id,
        "Customers <b>first</b>, always",
        "Ann",  # her team has fewer people than COCREATE_MIN_TEAM_SIZE: not named
    )
    assert react_to(bo, statement.id, "agree") == (200, {"card": None, "waiting": 0})  # none left for Bo
    cy.run()
    assert react_to(cy, statement.id, "disagree")[0] == 200
    assert (app_store.statements(wid)[0].agree, app_store.statements(wid)[0].disagree) == (1, 1)
    assert react_to(ann, statement.id, "agree") == (
        409,
        {"error": "This is your own statement; react to what others wrote."},
    )
    assert screen(ann)["me"]["card"] is None

    fac.run()
    click(fac, "phase_next")
    for at, text in [
        (ann, "Customer journey design"),
        (bo, "Designing customer journeys"),
        (cy, "Rude joke"),
    ]:
        at.run()
        code, answer = propose(at, {"do": "propose", "theme": theme_ids[0], "text": text})
        assert (code, [n["text"] for n in answer["mine"]]) == (200, [text])
    needs = {n.text: n.id for n in app_store.needs(wid)}
    others_show_up()
    cy.run()
    offered = [n for n in cards(cy) if not n["own"]]
    assert sorted(n["text"] for n in offered) == ["Customer journey design", "Designing customer journeys"]
    assert all(n["backers"] == 0 and not n["backed"] for n in offered)
    journey = needs["Customer journey design"]
    assert request(cy, "back", "POST", {"need": journey, "backed": True}) == (
        200,
        {"backed": True, "backers": 1},
    )
    assert request(cy, "back", "POST", {"need": needs["Rude joke"], "backed": True}) == (
        409,
        {"error": "This is your own proposal; others can back it."},
    )
    assert app_store.needs(wid, viewer_id=-1)[0].backers == 1
    cy.run()  # a reload draws what is stored
    assert {n["id"]: n["backed"] for n in cards(cy)}[journey] is True

    fac.run()
    fac.selectbox(key="merge_source").select(needs["Designing customer journeys"])
    fac.selectbox(key="merge_target").select(needs["Customer journey design"])
    click(fac, "merge_submit")
    click(fac, f"hide_need_{needs['Rude joke']}")
    click(fac, "phase_next")
    assert app_store.workshop(wid).phase is Phase.VOTE

    target = needs["Customer journey design"]
    for at in people:
        at.run()
        assert not at.exception
        assert [n["text"] for n in cards(at)] == ["Customer journey design"]  # not the hidden one
        answers = [press(at, target) for _ in range(3)]
        assert answers == [
            (200, {"used": 1, "mine": 1, "dots": None}),
            (200, {"used": 2, "mine": 2, "dots": None}),
            (200, {"used": 3, "mine": 3, "dots": None}),
        ]
    code, answer = press(ann, target)
    assert code == 409 and "at most 3 of your dots" in answer["error"]
    assert press(ann, needs["Rude joke"])[0] == 409  # hidden: no dots on it
    ann.run()  # what a reload draws is what is stored
    shown = screen(ann)
    assert shown["me"]["used"] == 3 and shown["room"]["workshop"]["budget"] == 5
    assert cards(ann)[0]["mine"] == 3 and cards(ann)[0]["dots"] is None  # hidden until reveal
    assert '"dots": 9' not in json.dumps(shown)  # nor anywhere in what the browser is sent

    presenter = actions.new_presenter_link(app_store, actions.access_for(app_store, session))
    present = page("pages/present.py", p=presenter)
    assert {"value": 9, "label": "dots placed"} in projected(present)["numbers"]
    assert not projected(present)["charts"]  # ranking hidden until reveal

    fac.run()
    click(fac, "reveal")
    present.run()
    # the ranking and the importance × capability matrix
    assert [c["key"] for c in projected(present)["charts"]] == ["ranking", "matrix"]
    ann.run()
    assert cards(ann)[0]["dots"] == 9
    summary = analytics.summary(app_store, wid)
    visible = [n for n in summary["needs"] if not n["hidden"]]
    assert [(n["text"], n["dots"], n["backers"]) for n in visible] == [("Customer journey design", 9, 2)]
    assert summary["participants"] == 3 and summary["dots_total"] == 9 and summary["statements"] == 1

    review = page("pages/review.py", s=session)
    assert not review.exception
    assert [m.value for m in review.metric] == ["3", "3", "1", "1", "9", "100%"]
    table = review.dataframe[0].value
    assert list(table["need"]) == ["Customer journey design"] and list(table["dots"]) == [9]


def test_the_share_board_writes_edits_and_withdraws_only_what_is_ones_own(app_store):
    """Test that a person shares, edits and withdraws their statements from the share board,
    that others see them listed as text under the theme with who wrote them, that a refused
    text stores nothing and says what to do, and that nobody edits another's statement."""
    room = make_room(app_store, participants=0)
    room.to(Phase.SHARE)
    first, second = room.theme_ids[:2]
    _, ann_token = actions.join(app_store, room.workshop.code, "Ann", "Sales")
    _, bo_token = actions.join(app_store, room.workshop.code, "Bo", None)
    ann, bo = page("pages/participate.py", t=ann_token), page("pages/participate.py", t=bo_token)

    code, answer = write(ann, {"do": "share", "theme": first, "text": "<script>alert(1)</script> **now**"})
    assert code == 200 and answer["done"] == "Shared."
    (said,) = answer["mine"]
    for refused, message in [
        ({"do": "share", "theme": first, "text": "x" * 501}, "the limit is 500. Shorten it"),
        ({"do": "share", "theme": 999_999, "text": "Elsewhere"}, "Choose one of the themes shown"),
        ({"do": "edit", "statement": said["id"], "text": ""}, "Your statement is empty"),
        ({"do": "shout", "theme": first, "text": "Hello"}, "not understood"),
        ({"do": "share", "theme": str(first), "text": "Hello"}, "not understood"),
    ]:
        code, answer = write(ann, refused)
        assert code in (400, 409) and message in answer["error"], (refused, answer)
    for i in range(actions.STATEMENT_QUOTA[0]):  # a person writing faster than anyone does
        assert write(bo, {"do": "share", "theme": second, "text": f"Quick {i}"})[0] == 200
    code, answer = write(bo, {"do": "share", "theme": second, "text": "One more"})
    assert code == 429 and answer["error"].startswith("You have written 10 statements in the last minute")
    for said_quickly in app_store.statements(room.workshop.id, by=actions.resume(app_store, bo_token).id):
        assert write(bo, {"do": "withdraw", "statement": said_quickly.id})[0] == 200
    assert [s.text for s in app_store.statements(room.workshop.id)] == [said["text"]]

    others_show_up()
    bo.run()
    assert others_said(bo, first) == (1, ["<script>alert(1)</script> **now**  (Ann)"])
    assert screen(bo)["me"]["statements"] == []
    code, answer = write(bo, {"do": "edit", "statement": said["id"], "text": "Hijacked"})
    assert code == 409 and "your own" in answer["error"]
    assert write(bo, {"do": "withdraw", "statement": said["id"]})[0] == 409

    code, answer = write(ann, {"do": "edit", "statement": said["id"], "text": "Customers first"})
    assert (code, answer["done"]) == (200, "Saved.")
    assert answer["mine"] == [{"id": said["id"], "theme": first, "text": "Customers first"}]
    code, answer = write(ann, {"do": "share", "theme": second, "text": "Fewer handovers"})
    assert [s["theme"] for s in answer["mine"]] == [first, second]
    code, answer = write(ann, {"do": "withdraw", "statement": said["id"]})
    assert (code, answer["done"], [s["text"] for s in answer["mine"]]) == (
        200,
        "Withdrawn.",
        ["Fewer handovers"],
    )
    ann.run()
    assert [s["text"] for s in screen(ann)["me"]["statements"]] == ["Fewer handovers"]
    room.to(Phase.PROPOSE)
    code, answer = write(ann, {"do": "share", "theme": first, "text": "Too late"})
    assert code == 409 and "only in" in answer["error"]


def test_others_never_see_who_wrote_a_statement_in_an_anonymous_workshop_nor_a_small_team(app_store):
    """An anonymous workshop shows no name and no team beside a statement, however big the
    team; a named one names a team only when COCREATE_MIN_TEAM_SIZE (3) of its people took
    part (people who only joined do not count)."""
    for anonymous, expected in ((True, ["", ""]), (False, ["Ceo", "Sam · Sales"])):
        room = make_room(app_store, participants=0, anonymous=anonymous)
        ceo, _ = actions.join(app_store, room.workshop.code, "Ceo", "CEO office")  # a team of one
        sales = [
            actions.join(app_store, room.workshop.code, name, "Sales")[0] for name in ("Sam", "Sia", "Sol")
        ]
        _, token = actions.join(app_store, room.workshop.code, "Reader", None)
        room.to(Phase.SHARE)
        actions.share(app_store, ceo, room.theme_ids[0], "We must cut the travel budget")
        actions.share(app_store, sales[0], room.theme_ids[0], "Customers first")
        for person in sales[1:]:  # Sales: three who took part
            actions.share_practice(app_store, person, room.theme_ids[0], f"Demo by {person.name}", "Weekly.")
        reader = page("pages/participate.py", t=token)
        _count, said = others_said(reader, room.theme_ids[0])
        assert said == [
            "Customers first" + (f"  ({expected[1]})" if expected[1] else ""),
            "We must cut the travel budget" + (f"  ({expected[0]})" if expected[0] else ""),
        ], anonymous
        bylines = []
        for _ in range(2):
            card = screen(reader)["me"]["card"]
            bylines.append(card["byline"])
            react_to(reader, card["id"], "pass")
            reader.run()
        assert sorted(bylines) == sorted(expected), anonymous
        assert "CEO office" not in json.dumps(screen(reader))


def test_the_propose_board_writes_edits_and_withdraws_only_what_is_ones_own(app_store):
    """Test that a person proposes, edits (text and theme) and withdraws their needs from the
    propose board, with the backing others give shown on them; that a refused text stores
    nothing and says what to do; and that nobody edits or withdraws another's need."""
    room = make_room(app_store, participants=0)
    room.to(Phase.PROPOSE)
    first, second = room.theme_ids[:2]
    _, ann_token = actions.join(app_store, room.workshop.code, "Ann", "Sales")
    _, bo_token = actions.join(app_store, room.workshop.code, "Bo", None)
    ann, bo = page("pages/participate.py", t=ann_token), page("pages/participate.py", t=bo_token)
    drawn = screen(ann)
    assert component(ann, participant.KEY)["words"]["en"]["ask"] == (
        "A development need (a skill, practice or capability)"
    )
    assert drawn["me"]["needs"] == []
    assert [t["id"] for t in drawn["room"]["workshop"]["themes"]] == room.theme_ids

    code, answer = propose(ann, {"do": "propose", "theme": first, "text": "<b>Customer</b> interviews"})
    assert (code, answer["done"]) == (200, "Proposed.")
    (need,) = answer["mine"]
    for refused, message in [
        ({"do": "propose", "theme": first, "text": "x" * 501}, "the limit is 500. Shorten it"),
        ({"do": "propose", "theme": 999_999, "text": "Elsewhere"}, "Choose one of the themes shown"),
        ({"do": "edit", "need": need["id"], "theme": first, "text": "\x00\n"}, "Your proposal is empty"),
        ({"do": "edit", "need": need["id"], "text": "No theme"}, "not understood"),
        ({"do": "share", "theme": first, "text": "Hello"}, "not understood"),
    ]:
        code, answer = propose(ann, refused)
        assert code in (400, 409) and message in answer["error"], (refused, answer)
    assert [n.text for n in app_store.needs(room.workshop.id)] == ["<b>Customer</b> interviews"]

    others_show_up()
    bo.run()
    assert [n["text"] for n in cards(bo) if not n["own"]] == ["<b>Customer</b> interviews"]
    assert screen(bo)["me"]["needs"] == []
    moved = {"do": "edit", "need": need["id"], "theme": second, "text": "Hijacked"}
    code, answer = propose(bo, moved)
    assert code == 409 and "your own" in answer["error"]
    assert propose(bo, {"do": "withdraw", "need": need["id"]})[0] == 409
    assert request(bo, "back", "POST", {"need": need["id"], "backed": True})[0] == 200

    code, answer = propose(
        ann, {"do": "edit", "need": need["id"], "theme": second, "text": "Customer interviews"}
    )
    assert (code, answer["done"]) == (200, "Saved.")
    assert answer["mine"] == [
        {"id": need["id"], "theme": second, "text": "Customer interviews", "backers": 1}
    ]
    ann.run()
    assert screen(ann)["me"]["needs"] == answer["mine"]
    code, answer = propose(ann, {"do": "withdraw", "need": need["id"]})
    assert (code, answer["done"], answer["mine"]) == (200, "Withdrawn.", [])
    assert app_store.needs(room.workshop.id) == []
    room.to(Phase.VOTE)
    code, answer = propose(ann, {"do": "propose", "theme": first, "text": "Too late"})
    assert code == 409 and "only in" in answer["error"]


def test_a_need_like_one_on_the_list_is_offered_to_back_and_the_same_words_are_refused(app_store):
    """Test that the propose board offers others' needs like what is being typed, with what
    backing them answers, and that a need in the very words of one on the list is refused."""
    room = make_room(app_store, participants=0)
    room.to(Phase.PROPOSE)
    first = room.theme_ids[0]
    _, ann_token = actions.join(app_store, room.workshop.code, "Ann", "Sales")
    _, bo_token = actions.join(app_store, room.workshop.code, "Bo", "sales")
    ann, bo = page("pages/participate.py", t=ann_token), page("pages/participate.py", t=bo_token)
    for text in ("Data literacy for everyone", "Coaching skills", "Data literacy: reading reports"):
        assert propose(ann, {"do": "propose", "theme": first, "text": text})[0] == 200

    def alike(at: AppTest, text: str) -> list[dict]:
        code, answer = request(at, "similar", "POST", {"text": text})
        assert code == 200, answer
        return answer["needs"]

    others_show_up()
    offered = alike(bo, "data literacy for all")
    assert [n["text"] for n in offered] == ["Data literacy for everyone", "Data literacy: reading reports"]
    assert offered[0]["theme"] == "Digital service" and (offered[0]["backers"], offered[0]["backed"]) == (
        0,
        False,
    )
    assert alike(bo, "Negotiation") == [] and alike(bo, "Da") == []
    assert alike(ann, "data literacy for all") == []  # one's own needs are not offered back
    # "Me too" from the offer is the back board's request.
    assert request(bo, "back", "POST", {"need": offered[0]["id"], "backed": True}) == (
        200,
        {"backed": True, "backers": 1},
    )
    assert alike(bo, "data literacy for all")[0]["backed"] is True

    code, answer = propose(bo, {"do": "propose", "theme": first, "text": "  DATA literacy, for everyone! "})
    assert code == 409 and answer["error"] == (
        f'That need is already on the list (#{offered[0]["id"]}). Back it with "Me too" instead of proposing it again.'
    )
    code, answer = propose(bo, {"do": "propose", "theme": first, "text": "Data literacy for all"})
    assert code == 200  # alike is not the same: the person decides
    (mine,) = answer["mine"]
    code, answer = propose(bo, {"do": "edit", "need": mine["id"], "theme": first, "text": "coaching SKILLS"})
    assert code == 409 and "already on the list" in answer["error"]
    assert sorted(n.text for n in app_store.needs(room.workshop.id)) == [
        "Coaching skills",
        "Data literacy for all",
        "Data literacy for everyone",
        "Data literacy: reading reports",
    ]


def test_the_vote_list_is_each_persons_own_order(app_store):
    """Test that each person gets the needs in an order of their own, which keeps across
    reloads and gives away nothing of the hidden totals. (The app lists eight at a time,
    with every need holding one of their dots: the browser tests see that.)"""
    room = make_room(app_store, participants=4)  # five needs each: as many as one person may propose a minute
    room.to(Phase.PROPOSE)
    themes = room.theme_ids
    ids = [
        actions.propose(app_store, room.people[i % 4], themes[i % len(themes)], f"Need {i}")
        for i in range(20)
    ]
    room.to(Phase.VOTE)
    for voter in [room.join(f"Voter {i}") for i in range(3)]:
        for need_id in ids[:5]:
            actions.place_dot(app_store, voter, need_id)
    ranked = [n.id for n in app_store.needs(room.workshop.id)]
    assert set(ranked[:5]) == set(ids[:5])  # the totals order the room's list
    _, ann = actions.join(app_store, room.workshop.code, "Ann", None)
    _, bo = actions.join(app_store, room.workshop.code, "Bo", None)

    first = page("pages/participate.py", t=ann)
    shown = screen(first)
    order = shown["me"]["order"]
    assert sorted(order) == sorted(ids)
    assert order[:5] != ranked[:5] and set(order[:5]) != set(ranked[:5])
    # Nor does the room's list give the totals away: most backed first, then oldest.
    assert [n["id"] for n in shown["room"]["needs"]] == sorted(ids)
    assert screen(page("pages/participate.py", t=ann))["me"]["order"] == order  # a reload keeps it
    assert screen(page("pages/participate.py", t=bo))["me"]["order"] != order  # Bo has an order of his own
    assert press(first, order[-1]) == (200, {"used": 1, "mine": 1, "dots": None})
    assert screen(first)["me"]["order"] == order  # a dot moves nothing


def test_the_facilitator_merges_a_group_of_likely_duplicates_in_one_click(app_store):
    room = make_room(app_store, participants=3)
    room.to(Phase.PROPOSE)
    ann, bo, cy = room.people
    first = room.theme_ids[0]
    interviews = actions.propose(app_store, ann, first, "Customer interviews")
    again = actions.propose(app_store, bo, first, "Interviewing customers")
    typo = actions.propose(app_store, cy, first, "Custmer interveiws")
    actions.propose(app_store, cy, first, "Negotiation training")
    actions.back(app_store, ann, again)
    at = page("pages/facilitate.py", s=room.created.session_token)
    assert not at.exception
    assert "Likely duplicates (1)" in texts(at)
    key = f"group_{again}_{interviews}_{typo}"  # the most backed first: the one kept unless chosen
    assert at.selectbox(key=f"{key}_keep").value == again
    at.selectbox(key=f"{key}_keep").set_value(interviews)
    click(at, f"{key}_merge")
    assert not at.exception
    assert [t.value for t in at.toast] == ["Merged 2 needs"]
    needs = {n.id: n for n in app_store.needs(room.workshop.id)}
    assert set(needs) == {interviews, interviews + 3}
    assert sorted(needs[interviews].merged_from) == [again, typo]
    # Bo and Cy, who proposed the others, back the one kept (Ann backed one of them, but
    # the one kept is her own).
    assert needs[interviews].backers == 2
    assert "Likely duplicates" not in texts(at)

    # Undone one by one, exactly: Bo's need is on the list again, backed by Ann as before.
    click(at, f"unmerge_{again}")
    assert not at.exception
    assert [t.value for t in at.toast] == [f"Need #{again} is back on the list"]
    needs = {n.id: n for n in app_store.needs(room.workshop.id)}
    assert needs[again].backers == 1 and needs[interviews].merged_from == (typo,)
    assert "Likely duplicates (1)" in texts(at)


def test_facilitate_opens_with_the_key_and_refuses_a_wrong_one(app_store):
    room = make_room(app_store)
    at = page("pages/facilitate.py", code=room.workshop.code)
    assert at.text_input(key="open_code").value == room.workshop.code
    at.text_input(key="open_key").input("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")
    click(at, "open_submit")
    assert at.error[0].value.startswith(f"That is not the facilitator key of workshop {room.workshop.code}.")
    assert "phase_next" not in [b.key for b in at.button]
    at.text_input(key="open_key").input(room.created.facilitator_key)
    click(at, "open_submit")
    assert not at.exception and "s" in at.query_params
    click(at, "phase_next")
    assert app_store.workshop(room.workshop.id).phase is Phase.SHARE


def test_a_template_fills_the_form_and_the_lobby_edit_saves(app_store):
    at = page("pages/facilitate.py")
    at.selectbox(key="create_template").select("sustainability").run()
    assert at.text_input(key="create_title").value == "Our path to net zero"
    assert at.text_area(key="create_themes").value.splitlines()[0].startswith("Low-carbon operations | ")
    click(at, "create_submit")
    assert not at.exception
    wid = actions.access_for(app_store, at.query_params["s"]).workshop_id
    assert [t.title for t in app_store.workshop(wid).themes][0] == "Low-carbon operations"
    at.text_input(key="edit_title").input("Net zero, together")
    at.text_area(key="edit_themes").input("Operations\nOffering")
    click(at, "edit_submit")
    assert not at.exception
    saved = app_store.workshop(wid)
    assert saved.title == "Net zero, together" and [t.title for t in saved.themes] == [
        "Operations",
        "Offering",
    ]
    at.text_area(key="edit_themes").input("")
    click(at, "edit_submit")
    assert at.error[0].value == "A workshop has 1 to 8 strategy themes; this one has 0. Add or remove themes."


def test_the_template_list_speaks_the_facilitators_language_and_names_the_others(app_store):
    english = page("pages/facilitate.py").selectbox(key="create_template")
    assert english.options[0] == "Start from scratch" and "Aloita tyhjästä" not in english.options
    assert set(english.options[1:4]) == {
        "Customer-centred growth",
        "Strategy over a week, self-paced",
        "Sustainability transition",
    }
    assert english.options[4:] == [
        "Asiakaslähtöinen kasvu · in Finnish",
        "Kestävä siirtymä · in Finnish",
        "Strategia viikon aikana, omaan tahtiin · in Finnish",
    ]
    finnish = page("pages/facilitate.py", lang="fi").selectbox(key="create_template")
    assert finnish.options[0] == "Aloita tyhjästä" and "Start from scratch" not in finnish.options
    assert finnish.options[4:] == [
        "Customer-centred growth · englanniksi",
        "Strategy over a week, self-paced · englanniksi",
        "Sustainability transition · englanniksi",
    ]


def test_the_facilitators_team_list_is_what_people_pick_from_when_they_join(app_store):
    at = page("pages/facilitate.py")
    at.selectbox(key="create_template").select("customer-growth").run()
    at.text_area(key="create_teams").input("Sales\nCustomer support\n")
    click(at, "create_submit")
    assert not at.exception
    wid = actions.access_for(app_store, at.query_params["s"]).workshop_id
    workshop = app_store.workshop(wid)
    assert workshop.teams == ("Sales", "Customer support")
    # The Lobby's edit form shows the list to change.
    assert at.text_area(key="edit_teams").value == "Sales\nCustomer support"

    form = page("pages/participate.py", code=workshop.code)
    assert joining(form)["teams"] == ["Sales", "Customer support"]
    assert joining(form)["other_team"] == "Other team"  # the app adds it last, in the reader's words
    joined = join(form, "Ann", "Customer support")
    assert not joined.exception
    ann = actions.resume(app_store, joined.query_params["t"])
    assert (ann.name, ann.team) == ("Ann", "Customer support")
    assert (screen(joined)["me"]["name"], screen(joined)["me"]["team"]) == ("Ann", "Customer support")


def test_the_facilitator_holds_the_projector_on_its_page_and_sets_it_dark(app_store):
    room = make_room(app_store, participants=1)
    at = page("pages/facilitate.py", s=room.created.session_token)
    click(at, "projector_pause")
    assert not at.exception and room.workshop.projector_paused
    assert at.button(key="projector_pause").label == "Let the projector turn its pages"
    at.checkbox(key="edit_dark").check()
    click(at, "edit_submit")
    assert room.workshop.projector_dark
    shown = projected(page("pages/present.py", p=room.created.presenter_token))
    assert (shown["paused"], shown["dark"]) == (True, True)
    click(at, "projector_pause")
    assert not room.workshop.projector_paused
    # Once the room has started (no edit form), the screen still turns light and dark.
    room.to(Phase.SHARE)
    at = page("pages/facilitate.py", s=room.created.session_token)
    assert at.button(key="projector_dark").label == "Light projector screen"
    click(at, "projector_dark")
    assert not room.workshop.projector_dark
    assert not projected(page("pages/present.py", p=room.created.presenter_token))["dark"]
    click(at, "projector_dark")
    assert room.workshop.projector_dark


def test_a_facilitator_who_locks_voting_after_the_reveal_sees_the_board_lock(app_store):
    room = make_room(app_store, participants=1)
    _, token = actions.join(app_store, room.workshop.code, "Ann", None)
    facilitate = page("pages/facilitate.py", s=room.created.session_token)
    facilitate.checkbox(key="edit_lock").check()
    click(facilitate, "edit_submit")
    assert room.workshop.lock_after_reveal
    room.to(Phase.PROPOSE)
    need = actions.propose(app_store, room.people[0], room.theme_ids[0], "Customer interviews")
    room.to(Phase.VOTE)
    voter = page("pages/participate.py", t=token)
    assert screen(voter)["room"]["workshop"]["locked"] == ""
    assert screen(voter)["room"]["workshop"]["rules"].endswith("Then voting locks.")
    assert press(voter, need)[0] == 200
    click(page("pages/facilitate.py", s=room.created.session_token), "reveal")
    voter = page("pages/participate.py", t=token)
    assert screen(voter)["room"]["workshop"]["locked"] == VOTES_LOCKED  # every button says why it is off
    assert press(voter, need) == (409, {"error": VOTES_LOCKED})
    assert press(voter, need, -1) == (409, {"error": VOTES_LOCKED})
    assert app_store.viewer_state(room.workshop.id, voter_id(app_store, token)).dots == {need: 1}


def voter_id(store, token: str) -> int:
    return actions.resume(store, token).id


def test_present_keeps_the_ranking_hidden_until_the_reveal(app_store):
    room = make_room(app_store)
    a, b, _ = room.people
    room.to(Phase.PROPOSE)
    need = actions.propose(app_store, a, room.theme_ids[0], "Negotiation skills")
    room.to(Phase.VOTE)
    actions.place_dot(app_store, b, need)
    at = page("pages/present.py", p=room.created.presenter_token)
    assert not at.exception and not projected(at)["charts"]
    assert "Negotiation skills" not in component(at, projector.KEY)["view"]
    assert "reveals the results" in projected(at)["note"]
    actions.reveal_results(app_store, room.access)
    at.run()
    ranking, matrix = projected(at)["charts"]
    assert "Negotiation skills" in ranking["figure"] and matrix["key"] == "matrix"
    room.to(Phase.RESULTS)
    at.run()
    assert [c["key"] for c in projected(at)["charts"]] == [
        "ranking",
        "matrix",
        "consensus",
        "teams",
        "themes",
    ]


def test_review_follow_ups_across_sessions_and_exports(app_store, monkeypatch):
    monkeypatch.setenv("COCREATE_ADMIN_KEY", "org-key-for-review-pages-K4v8")
    rooms = [make_room(app_store, title="Spring"), make_room(app_store, title="Autumn")]
    needs = []
    for room, text in zip(
        rooms, ["Coaching skills for team leads", "Coaching for team leaders"], strict=True
    ):
        room.to(Phase.PROPOSE)
        needs.append(actions.propose(app_store, room.people[0], room.theme_ids[0], text))
        room.to(Phase.VOTE)
        actions.place_dot(app_store, room.people[1], needs[-1])
    token = actions.open_as_organisation(
        app_store, "org-key-for-review-pages-K4v8", "org-key-for-review-pages-K4v8"
    )
    at = page("pages/review.py", s=token)
    assert not at.exception
    groups = table_with(review_tab(at, "Across sessions"), "workshops")
    assert groups["workshops"].tolist()[0] == 2  # the coaching need recurs in both workshops

    review_tab(at, "Follow-up actions")
    at.text_input(key="follow_title").input("Coaching academy")
    at.text_input(key="follow_owner").input("L&D")
    at.multiselect(key="follow_needs").set_value(needs)
    click(at, "follow_submit")
    assert not at.exception
    (saved,) = app_store.follow_ups()
    assert (saved.title, saved.owner, saved.need_ids) == ("Coaching academy", "L&D", tuple(sorted(needs)))
    at.selectbox(key=f"follow_status_{saved.id}").select("done")
    click(at, f"follow_save_{saved.id}")
    assert app_store.follow_ups()[0].status.value == "done"
    needs_table = table_with(review_tab(at, "Session summary"), "follow-up")
    assert "Coaching academy (done)" in needs_table["follow-up"].tolist()

    click(review_tab(at, "Exports"), "export_prepare")
    assert not at.exception
    assert {b.key for b in at.get("download_button")} >= {
        "dl_html",
        "dl_md",
        "dl_xlsx",
        "dl_csv",
        "dl_parquet",
    }


def test_the_facilitator_takes_out_a_person_who_only_voted_from_the_people_list(app_store):
    """Facilitate's People tab lists everyone in the room, found by name or team, each with
    "Take out of the workshop": also a person who wrote nothing, whose dots then count no more."""
    room = make_room(app_store, participants=0)
    code, wid = room.created.workshop.code, room.workshop.id
    voter, _ = actions.join(app_store, code, "Vic Voter", "Sales")
    author, _ = actions.join(app_store, code, "Ann", "Support")
    room.to(Phase.PROPOSE)
    need = actions.propose(app_store, author, room.theme_ids[0], "Chat writing")
    room.to(Phase.VOTE)
    actions.place_dot(app_store, voter, need)

    fac = page("pages/facilitate.py", s=room.created.session_token)
    assert {"Vic Voter · Sales", "Ann · Support"} <= set(texts(fac).split("\n"))
    fac.text_input(key="people_find").input("sales")
    fac.run()
    assert "Vic Voter · Sales" in texts(fac) and "Ann · Support" not in texts(fac)
    assert fac.button(key=f"person_{voter.id}_remove_confirm").label == "Remove Vic Voter"
    click(fac, f"person_{voter.id}_remove_confirm")
    assert not fac.exception
    assert [t.value for t in fac.toast] == ["Vic Voter is out of the workshop"]
    assert app_store.removed_participants(wid) == {voter.id}
    assert analytics.needs_ranking(app_store, wid)["dots"].tolist() == [0]


def test_the_facilitator_hides_a_story_of_practice_and_takes_its_teller_out(app_store):
    """A story told on a practice is on Facilitate's Practices tab as text, with Hide / Show
    and "Remove author" as under a statement: taking the teller out hides the story."""
    room = make_room(app_store, participants=0)
    code, wid = room.created.workshop.code, room.workshop.id
    ann, _ = actions.join(app_store, code, "Ann", "Sales")
    bo, _ = actions.join(app_store, code, "Bo <i>", "Sales")
    room.to(Phase.SHARE)
    practice = actions.share_practice(app_store, ann, room.theme_ids[0], "Weekly demo", "Fridays.")
    story = actions.tell_story(app_store, bo, practice, "Ran it <b>twice</b>", "Customers came back", "yes")

    def hidden() -> bool:
        return next(s["hidden"] for s in app_store.workshop_stories(wid) if s["id"] == story)

    fac = page("pages/facilitate.py", s=room.created.session_token)
    assert any("Ran it <b>twice</b>" in t.value for t in fac.text)  # as typed, never markup
    click(fac, f"hide_story_{story}")
    assert hidden() and fac.button(key=f"hide_story_{story}").label == "Show"
    click(fac, f"hide_story_{story}")
    assert not hidden()
    assert (
        fac.button(key=f"story_{story}_remove_confirm").label.replace("\\", "") == "Remove Bo <i>"
    )  # as shown
    click(fac, f"story_{story}_remove_confirm")
    assert not fac.exception
    assert app_store.removed_participants(wid) == {bo.id} and hidden()
    assert "Author removed" in texts(fac)


def test_the_facilitator_removes_the_author_of_a_rude_statement(app_store):
    """Facilitate's "Remove author" under a statement, confirmed with a second click: the
    author's link opens nothing any more (the page and the boards' requests say why), what
    they wrote is hidden, and the others carry on."""
    room = make_room(app_store, participants=0)
    code, wid, theme = room.created.workshop.code, room.workshop.id, room.theme_ids[0]
    kind, kind_token = actions.join(app_store, code, "Kind", "Sales")
    rude, rude_token = actions.join(app_store, code, "Rude <b>", "Sales")
    room.to(Phase.SHARE)
    actions.share(app_store, kind, theme, "Customers first")
    rude_statement = actions.share(app_store, rude, theme, "Something rude")
    rude_page = page("pages/participate.py", t=rude_token)
    assert screen(rude_page)["room"]["workshop"]["phase"] == "share"

    fac = page("pages/facilitate.py", s=room.created.session_token)
    confirm = fac.button(key=f"statement_{rude_statement}_remove_confirm")
    assert confirm.label == "Remove Rude \\<b\\>"  # a name is text, not markup
    click(fac, f"statement_{rude_statement}_remove_confirm")
    assert not fac.exception
    assert [t.value for t in fac.toast] == ["Rude \\<b\\> is out of the workshop"]
    assert "Author removed" in texts(fac)
    assert {s.id: s.hidden for s in app_store.statements(wid, include_hidden=True)}[rude_statement] is True
    assert analytics.participation(app_store, wid, Phase.SHARE)["joined"] == 1

    code_, said = write(rude_page, {"do": "share", "theme": theme, "text": "More rudeness"})
    assert code_ == 404 and said["error"].startswith("The facilitator has taken this link out")
    assert request(rude_page, "view", "GET")[0] == 404  # the open screen stops (browser tests)
    rude_page.run()  # a reload
    assert "The facilitator has taken this link out of the workshop" in texts(rude_page)
    assert not rude_page.get("bidi_component")
    kind_page = page("pages/participate.py", t=kind_token)
    assert write(kind_page, {"do": "share", "theme": theme, "text": "Data next"})[0] == 200


def test_a_practice_is_shared_on_its_board_and_marked_by_another_person(app_store):
    """The Share phase asks "What already works for you here?": a practice shared by the
    board's request shows on everyone's board with where it comes from, and another person's
    "We'd like to try this" counts; the Propose phase lists the practices too."""
    room = make_room(app_store, participants=0, teams=("Sales", "Support"))
    code, wid, theme = room.created.workshop.code, room.workshop.id, room.theme_ids[0]
    tokens = [actions.join(app_store, code, name, "Sales")[1] for name in ("Ann", "Bo", "Cy")]
    room.to(Phase.SHARE)
    for token in tokens:  # Sales is named: three of its people took part
        actions.share(app_store, actions.resume(app_store, token), theme, "Customers first")
    ann, bo = page("pages/participate.py", t=tokens[0]), page("pages/participate.py", t=tokens[1])
    shown = screen(ann)["room"]
    assert shown["workshop"]["ask_practices"] and not shown["workshop"]["anonymous"]
    assert shown["practices"] == []

    code_, said = request(
        ann,
        "practices",
        "POST",
        {
            "do": "share",
            "theme": theme,
            "title": "Weekly demo",
            "description": "<i>One</i> thing a week.",
            "show_name": True,
        },
    )
    assert code_ == 200 and said["done"].startswith("Shared.")
    (mine,) = said["practices"]
    assert (mine["title"], mine["description"], mine["mine"]) == (
        "Weekly demo",
        "<i>One</i> thing a week.",
        True,
    )
    assert request(
        ann,
        "practices",
        "POST",
        {"do": "share", "theme": theme, "title": "", "description": "x", "show_name": False},
    ) == (
        409,
        {"error": "The practice's title is empty. Name it in a few words and send it again."},
    )

    others_show_up()
    bo.run()
    (seen,) = practices_shown(bo)
    assert (seen["source"], seen["mine"], seen["want_to_try"]) == ("Ann · Sales", False, 0)
    code_, said = request(
        bo,
        "practices",
        "POST",
        {"do": "mark", "practice": seen["id"], "kind": "want_to_try", "on": True},
    )
    assert (
        code_ == 200 and said["practices"][0]["want_to_try"] == 1 and said["practices"][0]["i_want"] is True
    )
    assert (
        request(bo, "practices", "POST", {"do": "mark", "practice": 999, "kind": "do_too", "on": True})[0]
        == 409
    )

    room.to(Phase.PROPOSE)
    bo.run()
    assert screen(bo)["room"]["workshop"]["phase"] == "propose"  # listed, no form
    assert practices_shown(bo)[0]["i_want"] is True
    assert app_store.practices(wid)[0].want_to_try == 1

    fac = page("pages/facilitate.py", s=room.created.session_token)
    assert "Weekly demo" in texts(fac)
    click(fac, f"hide_practice_{seen['id']}")
    assert fac.button(key=f"hide_practice_{seen['id']}").label == "Show"
    bo.run()
    assert practices_shown(bo) == []


def test_a_facilitator_finds_a_practice_in_the_library_and_shows_it_to_their_room(app_store):
    """The practice library, opened from Facilitate's session: found by a word of its
    description, shown to the facilitator's own room with one click, and then on the boards
    of its people, saying where it comes from."""
    earlier = make_room(app_store, participants=0, title="Spring workshop")
    tokens = [actions.join(app_store, earlier.created.workshop.code, n, "Sales")[1] for n in ("A", "B", "C")]
    author = actions.resume(app_store, tokens[0])
    earlier.to(Phase.SHARE)
    practice = actions.share_practice(
        app_store, author, earlier.theme_ids[0], "Weekly demo", "We show customers one thing a week."
    )
    other_practice = actions.share_practice(
        app_store, author, earlier.theme_ids[1], "Pair calls", "Two of us on a hard call."
    )
    for token in tokens[1:]:  # Sales is named: three of its people took part
        actions.share(app_store, actions.resume(app_store, token), earlier.theme_ids[0], "Customers first")
    later = make_room(app_store, participants=0, title="Autumn workshop")
    _, token = actions.join(app_store, later.created.workshop.code, "Dee", "Ops")
    later.to(Phase.SHARE)

    library = open_review("Practice library", s=later.created.session_token)
    assert not library.exception
    assert "2 practices found" in [h.value for h in library.subheader]
    assert library.get("download_button")[0].proto.label == "Download 2 practices found (CSV)"
    library.text_input(key="library_search").input("CUSTOMERS")
    library.run()
    assert "1 practice found" in [h.value for h in library.subheader]
    assert "Weekly demo" in texts(library) and "Pair calls" not in texts(library)
    assert "Sales" in texts(library) and "from “Spring workshop”" in texts(library)  # 3 people: named
    assert library.button(key=f"feature_{practice}").label == "Show in “Autumn workshop”"  # which one
    click(library, f"feature_{practice}")
    assert library.button(key=f"feature_{practice}").label == "✓ Shown in “Autumn workshop”"

    person = page("pages/participate.py", t=token)
    (shown,) = practices_shown(person)
    assert (shown["title"], shown["featured"], shown["source"]) == (
        "Weekly demo",
        True,
        "Sales · from “Spring workshop”",
    )

    outsider = open_review("Practice library", s=token)  # a participant link opens nothing here
    assert "Weekly demo" not in texts(outsider)

    # The library opened with a closed workshop's key offers to show nothing there, and says why.
    later.to(Phase.CLOSED)
    closed = open_review("Practice library", s=later.created.session_token)
    assert not [b for b in closed.button if b.key.startswith("feature_")]
    assert "which is closed: to show a practice to a room" in texts(closed)
    with pytest.raises(WrongPhase, match="is closed"):
        actions.feature_practice(app_store, later.access, other_practice)

    # Rooms added by their keys are offered, and with two open the library asks which.
    winter, spring_next = (
        make_room(app_store, participants=0, title=t) for t in ("Winter workshop", "Next spring")
    )
    session = later.created.session_token
    actions.add_workshop_to_review(app_store, session, winter.workshop.code, winter.created.facilitator_key)
    one = open_review("Practice library", s=session)
    assert one.button(key=f"feature_{practice}").label == "Show in “Winter workshop”"
    actions.add_workshop_to_review(
        app_store, session, spring_next.workshop.code, spring_next.created.facilitator_key
    )
    two = open_review("Practice library", s=session)
    asked = two.selectbox(key="feature_target")
    assert [w.split(" · ")[0] for w in asked.options] == ["Winter workshop", "Next spring"]
    asked.select_index(1).run()
    click(two, f"feature_{practice}")
    assert [p.id for p in app_store.practices(spring_next.workshop.id) if p.featured] == [practice]
    assert not [p.id for p in app_store.practices(winter.workshop.id) if p.featured]
    with pytest.raises(AccessDenied):  # a room this session holds no key of
        actions.feature_practice(app_store, later.access, practice, workshop_id=earlier.workshop.id)


def test_a_leader_turns_wanting_to_try_a_practice_into_an_action_and_sees_it_adopted(app_store):
    """On Review's library: "Plan a follow-up" under a practice, for the workshop whose people
    would like to try it; the action is listed under Follow-up actions; once done, the
    library counts the practice adopted there, and the session summary shows who can help
    whom (the wanting team beside the team that shared it)."""
    earlier = make_room(app_store, participants=0, title="Spring workshop")
    tokens = [actions.join(app_store, earlier.created.workshop.code, n, "Sales")[1] for n in ("A", "B", "C")]
    earlier.to(Phase.SHARE)
    practice = actions.share_practice(
        app_store,
        actions.resume(app_store, tokens[0]),
        earlier.theme_ids[0],
        "Weekly demo",
        "One thing a week.",
    )
    ops = [
        actions.resume(app_store, actions.join(app_store, earlier.created.workshop.code, n, "Ops")[1])
        for n in "DEF"
    ]
    for person in ops[:2]:
        actions.react_to_practice(app_store, person, practice, "want_to_try")
    # Both teams are named: three of each took part.
    for person in (*[actions.resume(app_store, t) for t in tokens[1:]], ops[2]):
        actions.share(app_store, person, earlier.theme_ids[0], "Customers first")
    later = make_room(app_store, participants=0, title="Autumn workshop")

    review = page("pages/review.py", s=earlier.created.session_token)  # its summary first
    assert not review.exception
    assert "Ops would learn: Practice: Weekly demo" in [t.value for t in review.text]
    assert "2 people want to try it · can learn from Sales (shared it)" in texts(review).replace("\\", "")
    review_tab(review, "Practice library")
    assert (
        review.selectbox(key=f"plan_workshop_{practice}").value == earlier.workshop.id
    )  # where they want it
    review.text_input(key=f"plan_owner_{practice}").input("Dee")
    review.button(key=f"plan_submit_{practice}").click()
    review.run()
    assert not review.exception
    (made,) = app_store.follow_ups()
    assert (made.title, made.owner, made.practice_ids, made.workshop_ids) == (
        "Try “Weekly demo”",
        "Dee",
        (practice,),
        (earlier.workshop.id,),
    )

    def read(at: AppTest) -> str:  # captions escape Markdown: read them as shown
        return texts(at).replace("\\", "")

    assert "1 follow-up action" in read(review)
    assert "tries “Weekly demo” · for Spring workshop" in read(review_tab(review, "Follow-up actions"))

    review.selectbox(key=f"follow_status_{made.id}").set_value("done")
    click(review, f"follow_save_{made.id}")
    assert "tries “Weekly demo” · for Spring workshop · adopted" in read(review)
    review_tab(review, "Practice library")
    assert "adopted in 1 workshop" in read(review)
    assert any("Practices adopted over time" in str(c.proto.spec) for c in review.get("plotly_chart"))

    # A facilitator key plans actions for its own workshop only: the later one offers itself alone.
    other = open_review("Practice library", s=later.created.session_token)
    assert other.selectbox(key=f"plan_workshop_{practice}").options == [
        f"Autumn workshop · {later.workshop.code}"
    ]


def test_practices_that_speak_of_a_need_are_offered_beside_the_form_and_the_need_points_to_them(app_store):
    """While a person types a need, the practices the room sees that speak of it (English or
    Finnish words, any form) are offered; proposing with "Learn from this" points the new
    need to them in the same write. A practice the room does not see is refused, and then
    nothing is stored."""
    room = make_room(app_store, participants=0)
    _, ann_token = actions.join(app_store, room.workshop.code, "Ann", "Sales")
    room.to(Phase.SHARE)
    ann = actions.resume(app_store, ann_token)
    first = room.theme_ids[0]
    interviews = actions.share_practice(
        app_store, ann, first, "Pair calls", "We interview customers in pairs every week."
    )
    finnish = actions.share_practice(
        app_store, ann, first, "Asiakasraati", "Haastattelemme asiakkaita kuukausittain."
    )
    other_room = make_room(app_store, participants=0, title="Elsewhere")
    stranger = actions.resume(app_store, actions.join(app_store, other_room.workshop.code, "Zed", "Ops")[1])
    other_room.to(Phase.SHARE)
    elsewhere = actions.share_practice(
        app_store, stranger, other_room.theme_ids[0], "Interviews", "Customer interviews."
    )
    room.to(Phase.PROPOSE)
    _, bo_token = actions.join(app_store, room.workshop.code, "Bo", "Ops")
    bo = page("pages/participate.py", t=bo_token)

    def relevant(text: str) -> list[str]:
        code, answer = request(bo, "similar", "POST", {"text": text})
        assert code == 200, answer
        return [p["title"] for p in answer["practices"]]

    assert relevant("Interviewing customers") == ["Pair calls"]
    assert relevant("asiakkaiden haastattelu") == ["Asiakasraati"]
    assert relevant("Budgeting") == []

    code, answer = propose(
        bo, {"do": "propose", "theme": first, "text": "Customer interviews", "learn": [elsewhere]}
    )
    assert code == 409 and answer["error"] == "That practice is not part of this workshop."
    assert app_store.needs(room.workshop.id) == []  # nothing stored half-way
    code, answer = propose(
        bo, {"do": "propose", "theme": first, "text": "Customer interviews", "learn": "all"}
    )
    assert code == 400
    code, answer = propose(
        bo, {"do": "propose", "theme": first, "text": "Customer interviews", "learn": [interviews, finnish]}
    )
    assert code == 200, answer
    (need,) = app_store.needs(room.workshop.id)
    assert app_store.need_practices(room.workshop.id) == {need.id: [interviews, finnish]}


def test_a_facilitator_points_a_need_to_the_practices_that_answer_it(app_store):
    room = make_room(app_store, participants=0)
    ann = actions.resume(app_store, actions.join(app_store, room.workshop.code, "Ann", "Sales")[1])
    room.to(Phase.SHARE)
    practice = actions.share_practice(app_store, ann, room.theme_ids[0], "Pair calls", "Two of us on a call.")
    room.to(Phase.PROPOSE)
    need = actions.propose(app_store, ann, room.theme_ids[0], "Handling hard calls")
    fac = page("pages/facilitate.py", s=room.created.session_token)
    fac.multiselect(key=f"learn_of_{need}").select(practice).run()
    assert not fac.exception
    assert app_store.need_practices(room.workshop.id) == {need: [practice]}
    assert "Learn from: Pair calls" in texts(fac).replace("\\", "")  # captions escape Markdown
    fac.multiselect(key=f"learn_of_{need}").unselect(practice).run()
    assert app_store.need_practices(room.workshop.id) == {}


def test_a_facilitator_tidies_the_library_merging_a_duplicate_and_archiving_a_practice(app_store):
    room = make_room(app_store, participants=0, title="Spring workshop")
    ann = actions.resume(app_store, actions.join(app_store, room.workshop.code, "Ann", "Sales")[1])
    room.to(Phase.SHARE)
    first = actions.share_practice(app_store, ann, room.theme_ids[0], "Weekly demo", "One thing a week.")
    again = actions.share_practice(app_store, ann, room.theme_ids[0], "Weekly demos", "We demo weekly.")
    review = open_review("Practice library", s=room.created.session_token)
    review.selectbox(key=f"merge_target_{again}").set_value(first)
    click(review, f"merge_practice_{again}")
    assert not review.exception
    assert "1 practice found" in [h.value for h in review.subheader]
    click(review, f"archive_{first}")
    assert "No practice matches" in [h.value for h in review.subheader]
    review.toggle(key="library_archived").set_value(True).run()
    assert "1 practice found" in [h.value for h in review.subheader] and "Weekly demo" in texts(review)
    click(review, f"unarchive_{first}")
    assert [p.id for p in app_store.practices(room.workshop.id)] == [first]


def test_the_screen_follows_the_practices_the_room_shares(app_store):
    """Others' practices move the room's status (its data version and its count of the
    practices the room sees), and the screen's view, asked again, lists them."""
    room = make_room(app_store, participants=0)
    _, ann_token = actions.join(app_store, room.workshop.code, "Ann", "Sales")
    _, bo_token = actions.join(app_store, room.workshop.code, "Bo", "Ops")
    room.to(Phase.SHARE)
    bo = page("pages/participate.py", t=bo_token)
    assert request(bo, "practices", "GET") == (200, {"practices": []})
    before = app_store.version(room.workshop.id)
    ann = actions.resume(app_store, ann_token)
    hidden = actions.share_practice(app_store, ann, room.theme_ids[0], "Rude", "Rude.")
    actions.share_practice(app_store, ann, room.theme_ids[0], "Pair calls", "Two of us on a call.")
    actions.hide_practice(app_store, room.access, hidden)
    others_show_up()
    code, watched = request(bo, "room", "GET")
    assert code == 200 and watched["practices"] == 1 and watched["version"] > before
    assert [p["title"] for p in practices_shown(bo)] == ["Pair calls"]
    code, answer = request(bo, "practices", "GET")
    assert code == 200 and [p["title"] for p in answer["practices"]] == ["Pair calls"]


def test_review_says_how_votes_moved_after_the_reveal(app_store):
    room = make_room(app_store, participants=3)
    a, b, c = room.people
    room.to(Phase.PROPOSE)
    first = actions.propose(app_store, a, room.theme_ids[0], "Chat writing")
    second = actions.propose(app_store, b, room.theme_ids[0], "Coaching")
    room.to(Phase.VOTE)
    actions.place_dot(app_store, a, first)
    actions.place_dot(app_store, b, second)
    actions.reveal_results(app_store, room.access)
    actions.place_dot(app_store, c, first)
    review = page("pages/review.py", s=room.created.session_token)
    assert not review.exception
    assert "How votes moved" in [h.value for h in review.subheader]
    assert any(m.value.startswith("1 dot moved after the reveal, 1 toward") for m in review.markdown)
    assert any(
        "1 dot moved after the reveal, 1 toward the leaders" in str(c.proto.spec)
        for c in review.get("plotly_chart")
    )


def test_what_people_said_starts_a_need_that_cites_it_and_facilitate_links_more(app_store):
    """The propose board offers the most agreed statements per theme ("Turn this into a need");
    a need proposed from one cites it; Facilitate's "Cites…" links another; both show there."""
    room = make_room(app_store, participants=0)
    _, ann_token = actions.join(app_store, room.workshop.code, "Ann", "Sales")
    _, bo_token = actions.join(app_store, room.workshop.code, "Bo", "Ops")
    ann, bo_person = actions.resume(app_store, ann_token), actions.resume(app_store, bo_token)
    room.to(Phase.SHARE)
    first = room.theme_ids[0]
    chat = actions.share(app_store, ann, first, "Customers want answers in the chat")
    slow = actions.share(app_store, ann, first, "Our replies are slow")
    actions.react(app_store, bo_person, slow, "agree")
    room.to(Phase.PROPOSE)
    bo = page("pages/participate.py", t=bo_token)
    words = screen(bo)["room"]["words"]
    assert [(w["text"], w["agree"]) for w in words] == [
        ("Our replies are slow", 1),
        ("Customers want answers in the chat", 0),
    ]
    code, answer = propose(bo, {"do": "propose", "theme": first, "text": "Writing for chat", "cites": [chat]})
    assert code == 200, answer
    (need,) = app_store.needs(room.workshop.id)
    assert app_store.need_statements(room.workshop.id) == {need.id: [chat]}
    assert propose(bo, {"do": "propose", "theme": first, "text": "Other", "cites": ["x"]})[0] == 400

    fac = page("pages/facilitate.py", s=room.created.session_token)
    fac.multiselect(key=f"cites_of_{need.id}").select(slow).run()
    assert not fac.exception
    assert app_store.need_statements(room.workshop.id) == {need.id: [chat, slow]}
    assert "From what people said: “Customers want answers in the chat”; “Our replies are slow”" in texts(
        fac
    ).replace("\\", "")
    # Everybody's cards show the words that led to the need: on the back board, then the vote board.
    others_show_up()
    ann_page = page("pages/participate.py", t=ann_token)
    (card,) = cards(ann_page)
    assert card["said"] == ["Customers want answers in the chat", "Our replies are slow"]
    room.to(Phase.VOTE)
    ann_page.run()
    (card,) = cards(ann_page)
    assert card["said"] == ["Customers want answers in the chat", "Our replies are slow"]


def test_after_the_workshop_a_participant_sees_what_became_of_their_needs(app_store):
    """On their own link, once the workshop has closed: each need they proposed, backed or
    voted for, with the actions leaders took on it and their status, as leaders update them."""
    room = make_room(app_store, participants=0)
    _, ann_token = actions.join(app_store, room.workshop.code, "Ann", "Sales")
    _, bo_token = actions.join(app_store, room.workshop.code, "Bo", "Ops")
    _, cy_token = actions.join(app_store, room.workshop.code, "Cy", "Ops")
    ann, bo = actions.resume(app_store, ann_token), actions.resume(app_store, bo_token)
    room.to(Phase.PROPOSE)
    chat = actions.propose(app_store, ann, room.theme_ids[0], "Writing for chat")
    coaching = actions.propose(app_store, bo, room.theme_ids[0], "Coaching")
    actions.back(app_store, bo, chat)
    room.to(Phase.VOTE)
    actions.place_dot(app_store, bo, chat)
    actions.place_dot(app_store, bo, chat)
    room.to(Phase.CLOSED)
    made = actions.create_follow_up(
        app_store, room.access, "Chat writing course", [chat], owner="HR", due_date="2027-03-31"
    )

    person = page("pages/participate.py", t=bo_token)
    assert not person.exception
    became = {need["text"]: need for need in screen(person)["me"]["became"]}
    assert (became["Writing for chat"]["dots"], became["Writing for chat"]["how"]) == (
        2,
        "you backed it, you gave it 2 dots",
    )
    (action,) = became["Writing for chat"]["actions"]
    assert (action["title"], action["status"], action["owner"], action["due"]) == (
        "Chat writing course",
        "planned",
        "HR",
        "2027-03-31",
    )
    assert became["Coaching"]["actions"] == []  # his own proposal, no action yet
    actions.update_follow_up(
        app_store,
        room.access,
        made,
        title="Chat writing course",
        owner="HR",
        due_date="2027-03-31",
        status="done",
    )
    became = {need["id"]: need for need in screen(person)["me"]["became"]}  # the open screen asks again
    assert became[chat]["actions"][0]["status"] == "done"
    assert became[coaching]["how"] == "you proposed it"

    bystander = page("pages/participate.py", t=cy_token)
    assert screen(bystander)["me"]["became"] == []


def test_a_leader_edits_an_action_whole_traces_it_and_deletes_it(app_store):
    room = make_room(app_store, participants=3)
    a, b, c = room.people
    room.to(Phase.SHARE)
    said = actions.share(app_store, a, room.theme_ids[0], "We answer too slowly")
    room.to(Phase.PROPOSE)
    need = actions.propose(app_store, b, room.theme_ids[0], "Writing for chat", cites=[said])
    room.to(Phase.CLOSED)
    made = actions.create_follow_up(app_store, room.access, "Chat course", [need])
    review = open_review("Follow-up actions", s=room.created.session_token)
    assert "Timeline: planned" in texts(review).replace("\\", "")
    assert "“We answer too slowly”" in [t.value for t in review.text]  # the trace quotes the words
    review.text_input(key=f"edit_owner_{made}").input("Dee")
    review.text_area(key=f"edit_note_{made}").input("Booked a trainer.")
    review.text_area(key=f"edit_outcome_{made}").input("<b>Shorter</b> answers")
    review.button(key=f"edit_save_{made}").click()
    review.run()
    assert not review.exception
    (action,) = app_store.follow_ups()
    assert (action.owner, action.note, action.outcome) == (
        "Dee",
        "Booked a trainer.",
        "<b>Shorter</b> answers",
    )
    assert "Outcome: <b>Shorter</b> answers" in [t.value for t in review.text]  # as text, never markup
    click(review, f"delete_follow_{made}")
    assert app_store.follow_ups() == []
    assert "No follow-up actions yet." in texts(review)


def test_a_leader_opens_the_check_in_and_a_participant_rates_again(app_store):
    room = make_room(app_store, participants=0)
    _, token = actions.join(app_store, room.workshop.code, "Ann", "Sales")
    ann = actions.resume(app_store, token)
    others = [
        actions.resume(app_store, actions.join(app_store, room.workshop.code, n, "Sales")[1]) for n in "BC"
    ]
    room.to(Phase.PROPOSE)
    need = actions.propose(app_store, ann, room.theme_ids[0], "Writing for chat")
    room.to(Phase.VOTE)
    for person in (ann, *others):
        actions.rate(app_store, person, need, 5, 2)
    room.to(Phase.CLOSED)
    review = page("pages/review.py", s=room.created.session_token)
    click(review, "checkin_toggle")
    assert review.button(key="checkin_toggle").label == "Close the check-in"
    for person in others:
        actions.check_in(app_store, person, need, 3)
    review.run()  # two answers: no chart, a word on when it shows
    assert not any("check-in" in str(c.proto.spec) for c in review.get("plotly_chart"))
    assert any("once 3 people of a team" in t for t in texts(review).split("\n"))
    person = page("pages/participate.py", t=token)
    assert screen(person)["me"]["checkin"] == [
        {"id": need, "text": "Writing for chat", "was": 2, "now": None}
    ]
    assert request(person, "checkin", "POST", {"need": need, "capability": 6})[0] == 409
    assert request(person, "checkin", "POST", {"need": need, "capability": 4}) == (
        200,
        {"now": 4, "done": "Saved: thank you"},
    )
    assert app_store.checked_in(room.workshop.id, ann.id) == {need: 4}
    assert screen(person)["me"]["checkin"][0]["now"] == 4
    review.run()
    assert any(
        "Capability at the workshop and at the check-in" in str(c.proto.spec)
        for c in review.get("plotly_chart")
    )
    click(review, "checkin_toggle")
    assert "checkin" not in screen(person)["me"]
    assert request(person, "checkin", "POST", {"need": need, "capability": 3})[0] == 409


def test_a_workshop_saved_as_a_template_starts_the_next_one_with_its_settings_and_practices(
    app_store, tmp_path, monkeypatch
):
    """ "Save as template" on Facilitate keeps the texts, themes, settings and featured
    practices; a new workshop created from it has them all; a template file imports, and a
    file that is not one says so."""
    monkeypatch.setenv("COCREATE_TEMPLATE_DIR", str(tmp_path / "templates"))
    earlier = make_room(app_store, participants=0, title="Spring workshop")
    author = actions.resume(app_store, actions.join(app_store, earlier.workshop.code, "Ann", "Sales")[1])
    earlier.to(Phase.SHARE)
    practice = actions.share_practice(
        app_store, author, earlier.theme_ids[0], "Weekly demo", "One thing a week."
    )
    room = make_room(app_store, participants=0, title="Autumn <b>workshop</b>", anonymous=True, dot_budget=7)
    actions.feature_practice(app_store, room.access, practice)

    fac = page("pages/facilitate.py", s=room.created.session_token)
    fac.text_input(key="template_name").input("Autumn format")
    click(fac, "template_save")
    assert "Saved: “Autumn format” is offered when a workshop is created." in texts(fac)
    (saved,) = (tmp_path / "templates").glob("*.json")
    assert saved.name == "autumn-format.json"

    new = page("pages/facilitate.py")
    new.selectbox(key="create_template").set_value("autumn-format").run()
    assert new.text_input(key="create_title").value == "Autumn <b>workshop</b>"
    assert (
        new.checkbox(key="create_anonymous").value is True
        and new.number_input(key="create_budget").value == 7
    )
    new.text_input(key="create_title").input("Winter workshop")
    click(new, "create_submit")
    (made,) = [w for w in app_store.all_workshops() if w.title == "Winter workshop"]
    assert made.anonymous and made.dot_budget == 7
    assert [(p.id, p.featured) for p in app_store.practices(made.id)] == [(practice, True)]

    from workshop.errors import InvalidSetting
    from workshop.templates import import_template

    imported = import_template(saved.read_bytes())
    assert imported.key == "autumn-format-2" and imported.draft.dot_budget == 7
    with pytest.raises(InvalidSetting, match="not a template"):
        import_template(b"<html>")
    with pytest.raises(InvalidSetting, match="not a Cocreate template"):
        import_template(b'{"themes": [{"prompt": "no title"}]}')


def test_a_facilitator_adds_another_workshops_key_to_review_across_both(app_store):
    first = make_room(app_store, participants=0, title="Spring workshop")
    second = make_room(app_store, participants=0, title="Autumn workshop")
    review = open_review("Across sessions", s=first.created.session_token)
    assert "Insight across sessions needs at least two workshops that this key opens." in texts(review)
    review.text_input(key="review_add_code").input(second.workshop.code)
    review.text_input(key="review_add_key").input("WRONG-KEY")
    review.button(key="review_add_submit").click()
    review.run()
    assert f"That is not the facilitator key of workshop {second.workshop.code}." in texts(review)
    review.text_input(key="review_add_code").input(second.workshop.code)
    review.text_input(key="review_add_key").input(second.created.facilitator_key)
    review.button(key="review_add_submit").click()
    review.run()
    assert not review.exception
    labels = [o for o in review.multiselect(key="across_workshops").options]
    assert len(labels) == 2 and any("Autumn workshop" in o for o in labels)
    # A third, added in the same session, is listed and chosen at once (no reload).
    third = make_room(app_store, participants=0, title="Winter workshop")
    review.text_input(key="review_add_code").input(third.workshop.code)
    review.text_input(key="review_add_key").input(third.created.facilitator_key)
    review.button(key="review_add_submit").click()
    review.run()
    chosen = review.multiselect(key="across_workshops")
    assert len(chosen.options) == 3 and [w.title for w in chosen.value][-1] == "Winter workshop"
    review_tab(review, "Exports")
    assert any("Winter workshop" in o for o in review.selectbox(key="export_workshop").options)
    access = actions.access_for(app_store, first.created.session_token)
    assert access.may_open(second.workshop.id)
    with pytest.raises(Exception, match="does not open the facilitator controls"):
        actions.facilitated_workshop(app_store, access, second.workshop.id)  # reviewing is not facilitating


def test_a_done_action_that_tried_a_practice_asks_its_owner_how_it_went(app_store):
    room = make_room(app_store, participants=1)
    room.to(Phase.SHARE)
    practice = actions.share_practice(app_store, room.people[0], room.theme_ids[0], "Weekly demo", "Fridays.")
    made = actions.create_follow_up(
        app_store,
        room.access,
        "Try the weekly demo",
        [],
        owner="Cy",
        practices=[(practice, room.workshop.id)],
    )
    at = open_review("Follow-up actions", s=room.created.session_token)
    assert "How did “Weekly demo” go?" not in texts(at)  # not done yet
    actions.update_follow_up(
        app_store, room.access, made, title="Try the weekly demo", owner="Cy", due_date=None, status="done"
    )
    at = open_review("Follow-up actions", s=room.created.session_token)
    key = f"story_{made}_{practice}"
    assert "How did “Weekly demo” go?" in texts(at)
    at.text_area(key=f"{key}_tried").input("Two teams ran it for a month")
    at.text_area(key=f"{key}_happened").input("Both kept it")
    at.radio(key=f"{key}_recommend").set_value("partly")
    at = click(at, f"{key}_submit")
    assert not at.exception
    (story,) = app_store.stories([practice])[practice]
    assert (story["tried"], story["recommend"], story["follow_up_id"]) == (
        "Two teams ran it for a month",
        "partly",
        made,
    )
    at = open_review("Follow-up actions", s=room.created.session_token)
    assert "✓ You told how “Weekly demo” went." in texts(at)
    assert "1 story of how it went" in [
        e.proto.label for e in review_tab(at, "Practice library").get("expander")
    ]
