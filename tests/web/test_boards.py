"""What the participant's app writes through the routes, in this process: the answer is
what the app draws, a refusal says why and stores nothing, and the screen's view
(`GET api/view`) after a reload shows what is stored. (That a click causes no page run is
the browser tests' to see.)"""

from __future__ import annotations

import difflib
import gzip
import json

from tests.conftest import make_room
from tests.web.conftest import ROUTES, Screen, component, join_page
from ui.components import participant
from workshop import actions, analytics
from workshop.model import Phase


def test_a_person_joins_by_the_apps_request_and_a_refusal_stores_no_one(app_store):
    room = make_room(app_store, participants=0, teams=("Sales", "Support"))
    data = component(join_page(room.workshop.code), participant.KEY)
    assert (data["token"], data["join"]["teams"]) == ("", ["Sales", "Support"])
    url = "/" + data["urls"]["join"]

    def joined(body, language="en"):
        reply = ROUTES.post(url, json=body, headers={"Accept-Language": language})
        return reply.status_code, reply.json()

    code, answer = joined({"code": room.workshop.code.lower(), "name": "  Ann ", "team": "sales"})
    assert code == 200
    ann = Screen(answer["token"]).view()["me"]
    assert (ann["name"], ann["team"]) == ("Ann", "Sales")  # the team as the workshop spells it
    refusals = [
        ({"code": "ZZZZZZ", "name": None, "team": None}, 404, "No workshop has the code ZZZZZZ"),
        (
            {"code": room.workshop.code, "name": "x" * 41, "team": None},
            409,
            "Your name has 41 characters; the limit is 40",
        ),
        ({"code": room.workshop.code, "name": 7, "team": None}, 400, "That request was not understood"),
        ({"name": "Bo"}, 400, "That request was not understood"),
    ]
    for body, status, message in refusals:
        code, answer = joined(body)
        assert code == status and answer["error"].startswith(message), (body, answer)
    room.to(Phase.CLOSED)
    assert joined({"code": room.workshop.code, "name": "Late", "team": None}, "fi") == (
        409,
        {"error": "Tämä työpaja on päättynyt; uusia osallistujia ei enää oteta."},
    )
    assert analytics.participation(app_store, room.workshop.id, Phase.LOBBY)["joined"] == 1


def test_joins_from_one_address_are_limited_a_minute_and_others_still_join(app_store, monkeypatch):
    """Someone making people up by the dozen from one address is stopped at the limit, and
    told how long to wait; another address joins meanwhile, and nobody refused is stored."""
    from web import limits, participants

    now = [0.0]
    monkeypatch.setattr(participants, "JOINS", limits.PerMinute(3, clock=lambda: now[0]))
    monkeypatch.setenv("COCREATE_TRUSTED_PROXIES", "testclient")
    room = make_room(app_store, participants=0)
    url = "/" + component(join_page(room.workshop.code), participant.KEY)["urls"]["join"]

    def joined(name: str, address: str):
        reply = ROUTES.post(
            url,
            json={"code": room.workshop.code, "name": name, "team": None},
            headers={"X-Forwarded-For": address},
        )
        return reply.status_code, reply.json()

    for i in range(3):
        assert joined(f"Puppet {i}", "203.0.113.5")[0] == 200
        now[0] += 10.0
    status, answer = joined("Puppet 3", "203.0.113.5")
    assert status == 429 and answer["error"] == (
        "Many people have joined from your network in the last minute. Wait 31 seconds, then join."
    )
    assert joined("Neighbour", "198.51.100.9")[0] == 200
    assert analytics.participation(app_store, room.workshop.id, Phase.LOBBY)["joined"] == 4
    now[0] += 31.0
    assert joined("Puppet 3", "203.0.113.5")[0] == 200


def test_a_statement_is_shared_edited_and_withdrawn_by_the_boards_request(app_store):
    room = make_room(app_store, participants=0)
    room.to(Phase.SHARE)
    theme = room.theme_ids[0]
    _, token = actions.join(app_store, room.created.workshop.code, "Writer", "Sales")
    board = Screen(token)
    shown = board.view()
    assert (board.data["limits"]["text"], shown["me"]["statements"]) == (500, [])
    assert [t["prompt"] for t in shown["room"]["workshop"]["themes"]] == [
        t.prompt for t in room.created.workshop.themes
    ]

    code, answer = board.send("share", {"do": "share", "theme": theme, "text": "  Customers   first  "})
    assert (code, answer["done"], [s["text"] for s in answer["mine"]]) == (
        200,
        "Shared.",
        ["Customers first"],
    )
    said = answer["mine"][0]["id"]
    code, answer = board.send("share", {"do": "share", "theme": theme, "text": "é" * 501})
    assert code == 409 and "the limit is 500" in answer["error"]
    code, answer = board.send("share", {"do": "edit", "statement": said, "text": "Customers first, always"})
    assert (code, answer["done"]) == (200, "Saved.")
    code, answer = board.send("share", raw=b'{"do": "share", "text": "' + b"x" * 9000 + b'"}')
    assert code == 400 and "too long" in answer["error"]
    assert [s["text"] for s in board.reloaded()["me"]["statements"]] == ["Customers first, always"]
    # A body refused before its end closes the connection: the server reads no more of it.
    reply = ROUTES.post("/" + board.data["urls"]["share"], headers=board.header, content=b"x" * 9000)
    assert (reply.status_code, reply.headers["connection"]) == (400, "close")
    reply = ROUTES.post("/" + board.data["urls"]["share"], headers=board.header, content=b"[1, 2")
    assert reply.status_code == 400 and "connection" not in reply.headers  # read whole: kept

    code, answer = board.send("share", {"do": "withdraw", "statement": said})
    assert (code, answer["mine"], answer["done"]) == (200, [], "Withdrawn.")
    code, answer = board.send("share", {"do": "share", "theme": theme, "text": "  "})
    assert code == 409 and "Your statement is empty" in answer["error"]
    assert board.send("share", {"do": "share", "theme": theme, "text": "Later"})[0] == 200
    assert [s["text"] for s in board.reloaded()["me"]["statements"]] == ["Later"]
    assert [s.text for s in app_store.statements(room.workshop.id)] == ["Later"]


def test_a_need_is_proposed_edited_and_withdrawn_by_the_boards_request(app_store):
    room = make_room(app_store, participants=0)
    room.to(Phase.PROPOSE)
    first, second = room.theme_ids[:2]
    _, token = actions.join(app_store, room.created.workshop.code, "Writer", "Sales")
    board = Screen(token)
    shown = board.view()
    assert (board.data["limits"]["text"], shown["me"]["needs"]) == (500, [])
    assert [t["title"] for t in shown["room"]["workshop"]["themes"]] == [
        t.title for t in room.created.workshop.themes
    ]

    code, answer = board.send(
        "propose", {"do": "propose", "theme": first, "text": "  Customer   interviews "}
    )
    assert (code, answer["done"]) == (200, "Proposed.")
    (need,) = answer["mine"]
    assert (need["theme"], need["text"], need["backers"]) == (first, "Customer interviews", 0)
    code, answer = board.send("propose", {"do": "propose", "theme": 999_999, "text": "Elsewhere"})
    assert code == 409 and "Choose one of the themes shown" in answer["error"]
    code, answer = board.send(
        "propose", {"do": "edit", "need": need["id"], "theme": second, "text": "Customer interviewing"}
    )
    assert (code, answer["done"]) == (200, "Saved.")
    assert [(n["theme"], n["text"]) for n in answer["mine"]] == [(second, "Customer interviewing")]
    code, answer = board.send("propose", {"do": "withdraw", "need": str(need["id"])})
    assert code == 400 and "not understood" in answer["error"]
    assert [n["text"] for n in board.reloaded()["me"]["needs"]] == ["Customer interviewing"]

    code, answer = board.send("propose", {"do": "withdraw", "need": need["id"]})
    assert (code, answer["mine"], answer["done"]) == (200, [], "Withdrawn.")
    code, answer = board.send("propose", {"do": "propose", "theme": first, "text": " "})
    assert code == 409 and "Your proposal is empty" in answer["error"]
    assert board.send("propose", {"do": "propose", "theme": first, "text": "Later"})[0] == 200
    assert [n["text"] for n in board.reloaded()["me"]["needs"]] == ["Later"]
    assert [n.text for n in app_store.needs(room.workshop.id)] == ["Later"]


def test_a_dot_is_placed_by_the_vote_boards_request_and_counted_once(app_store):
    room = make_room(app_store, participants=1)
    room.to(Phase.PROPOSE)
    first = actions.propose(app_store, room.people[0], room.theme_ids[0], "Coaching skills")
    second = actions.propose(app_store, room.people[0], room.theme_ids[0], "Shared dashboards")
    room.to(Phase.VOTE)
    _, token = actions.join(app_store, room.created.workshop.code, "Voter", "Sales")
    board = Screen(token)
    shown = board.view()
    assert (shown["room"]["workshop"]["budget"], shown["me"]["used"]) == (5, 0)
    assert sorted(n["id"] for n in shown["room"]["needs"]) == sorted([first, second])
    assert not board.at.button  # nothing on the page but the app: no Streamlit button per dot

    def dot(need: int, change: int):
        return board.send("dots", {"need": need, "change": change})

    answers = [dot(first, 1) for _ in range(4)]
    assert answers[:3] == [(200, {"used": i, "mine": i, "dots": None}) for i in (1, 2, 3)]
    assert answers[3][0] == 409 and "at most 3 of your dots" in answers[3][1]["error"]
    assert dot(second, -1) == (409, {"error": "You have no dot on that need to take back."})
    assert dot(first, -1) == (200, {"used": 2, "mine": 2, "dots": None})
    code, answer = dot(first, 2)
    assert code == 400 and "reload the page" in answer["error"]
    code, answer = board.send("dots", {"need": first, "change": 1}, header={board.data["header"]: "wrong"})
    assert code == 404 and "Join again with the workshop code" in answer["error"]
    code, answer = board.send("dots", raw=b"x" * 9000)
    assert code == 400 and "too long" in answer["error"]
    assert board.send("dots", method="GET")[0] == 405
    again = board.reloaded()["me"]
    assert again["used"] == 2 and again["dots"][str(first)] == 2

    assert dot(second, 1) == (200, {"used": 3, "mine": 1, "dots": None})
    code, answer = board.send("dots", {"need": second, "change": "<b>9</b>"})
    assert code == 400 and "That request was not understood" in answer["error"]
    code, answer = board.send("dots", raw=b"[" * 2000 + b"]" * 2000)
    assert code == 400 and "That request was not understood" in answer["error"]  # deeply nested
    me = actions.resume(app_store, token)
    assert {n.id: n.my_dots for n in app_store.needs(room.workshop.id, viewer_id=me.id)} == {
        first: 2,
        second: 1,
    }


def test_others_statements_are_answered_by_the_cards_request_one_after_another(app_store):
    """The card gets the next statement in its answer; `GET api/react` looks for new ones."""
    room = make_room(app_store, participants=3)  # Sales: Person 1 and Person 3
    room.to(Phase.SHARE)
    ann = room.people[0]
    said = [actions.share(app_store, ann, room.theme_ids[0], f"Statement {i}") for i in range(3)]
    # Sales is named once three of its people took part: Person 1, Person 3 and Person 4.
    for person in (room.people[2], room.join("Person 4", "Sales")):
        actions.share_practice(app_store, person, room.theme_ids[0], f"Demo by {person.name}", "Weekly.")
    _, token = actions.join(app_store, room.created.workshop.code, "Reader", "Sales")
    card = Screen(token)

    def answer(statement: int | None = None, kind: str = "pass"):
        if statement is None:
            return card.send("react", method="GET")
        return card.send("react", {"statement": statement, "kind": kind})

    shown = card.view()["me"]
    assert (shown["card"]["id"], shown["waiting"]) == (said[0], 3)  # least answered first, then oldest
    code, shown = answer(said[0], "agree")
    assert code == 200 and (shown["card"]["id"], shown["waiting"]) == (said[1], 2)
    assert shown["card"]["text"] == "Statement 1" and shown["card"]["byline"] == "Person 1 · Sales"
    assert answer(said[0], "maybe")[0] == 400
    assert answer(99999, "agree") == (409, {"error": "That statement is no longer shown."})
    assert answer() == (200, shown)  # "Look for new statements": nothing stored
    code, shown = answer(said[1], "pass")
    assert code == 200 and (shown["card"]["id"], shown["waiting"]) == (said[2], 1)
    again = card.reloaded()["me"]
    assert (again["card"]["id"], again["waiting"]) == (said[2], 1)
    answer(said[2], "disagree")
    assert answer() == (200, {"card": None, "waiting": 0})
    me = actions.resume(app_store, token)
    reactions = app_store.viewer_state(room.workshop.id, me.id).reactions
    assert {k: v.value for k, v in reactions.items()} == {
        said[0]: "agree",
        said[1]: "pass",
        said[2]: "disagree",
    }


def test_a_need_is_backed_by_the_boards_request_and_taken_back(app_store):
    """ "Me too" on the back board: the answer carries the need's backing."""
    room = make_room(app_store, participants=2)
    room.to(Phase.PROPOSE)
    ann, bob = room.people
    need = actions.propose(app_store, ann, room.theme_ids[0], "Coaching skills")
    actions.back(app_store, bob, need)
    _, token = actions.join(app_store, room.created.workshop.code, "Backer", "Sales")
    mine = actions.propose(app_store, actions.resume(app_store, token), room.theme_ids[0], "My own idea")
    board = Screen(token)
    shown = board.view()
    assert [(n["id"], n["backers"]) for n in shown["room"]["needs"]] == [(need, 1), (mine, 0)]
    assert [n["id"] for n in shown["me"]["needs"]] == [mine] and shown["me"]["backed"] == []

    def back(need_id: int, backed) -> tuple:
        return board.send("back", {"need": need_id, "backed": backed})

    assert back(need, True) == (200, {"backed": True, "backers": 2})
    assert back(need, True) == (200, {"backed": True, "backers": 2})  # once only
    code, refused = back(mine, True)
    assert code == 409 and refused["error"] == "This is your own proposal; others can back it."
    assert back(need, False) == (200, {"backed": False, "backers": 1})
    assert back(need, True) == (200, {"backed": True, "backers": 2})
    code, refused = back(need, "yes")
    assert code == 400 and "That request was not understood" in refused["error"]
    again = board.reloaded()
    assert again["me"]["backed"] == [need] and again["me"]["totals"][str(need)]["backers"] == 2
    assert app_store.needs(room.workshop.id, viewer_id=-1)[0].backers == 2


def test_a_need_is_rated_by_the_apps_request_within_one_to_five(app_store):
    """The rating dialog's "Save rating": `POST api/rate`, both values 1–5, in Vote only."""
    room = make_room(app_store, participants=1, rate_needs=True)
    room.to(Phase.PROPOSE)
    need = actions.propose(app_store, room.people[0], room.theme_ids[0], "Coaching skills")
    room.to(Phase.VOTE)
    _, token = actions.join(app_store, room.created.workshop.code, "Rater", "Sales")
    screen = Screen(token)
    assert screen.view()["me"]["ratings"] == {}

    def rate(**values):
        return screen.send("rate", {"need": need} | values)

    assert rate(importance=5, capability=2) == (200, {"rating": [5, 2], "done": "Rating saved"})
    code, refused = rate(importance=6, capability=2)
    assert code == 409 and refused["error"] == "Importance is rated from 1 to 5."
    assert rate(importance=5)[0] == 400  # both, as the dialog asks
    assert rate(importance="5", capability=2)[0] == 400
    assert screen.reloaded()["me"]["ratings"] == {str(need): [5, 2]}
    me = actions.resume(app_store, token)
    rated = app_store.needs(room.workshop.id, viewer_id=me.id)[0]
    assert (rated.my_importance, rated.my_capability) == (5, 2)
    room.to(Phase.RESULTS)
    code, refused = rate(importance=1, capability=1)
    assert code == 409


def test_the_view_comes_compressed_to_a_browser_with_the_rooms_part_made_once_for_everyone(app_store):
    """A browser takes gzip: each screen's view arrives compressed, reads as the same view
    as uncompressed, and the room's part (the same for everyone) is in every answer as the
    very same compressed bytes, made once, with only the person's own part compressed apart."""
    room = make_room(app_store, participants=8)
    room.to(Phase.PROPOSE)
    for number in range(40):
        actions.propose(app_store, room.people[number % 8], room.theme_ids[0], f"Need number {number} for us")
    names = ("Aino", "Bob")
    screens = [Screen(actions.join(app_store, room.created.workshop.code, name, None)[1]) for name in names]

    def asked(screen: Screen, encoding: str, have: str = "") -> tuple[dict[str, str], bytes]:
        headers = screen.header | {"Accept-Encoding": encoding}
        query = f"?have={have}" if have else ""
        with ROUTES.stream("GET", "/" + screen.data["urls"]["view"] + query, headers=headers) as reply:
            assert reply.status_code == 200
            return dict(reply.headers), b"".join(reply.iter_raw())

    packed = [asked(screen, "gzip, deflate, br") for screen in screens]
    for (headers, body), screen, name in zip(packed, screens, names, strict=True):
        assert headers["content-encoding"] == "gzip" and headers["cache-control"] == "no-store"
        view = json.loads(gzip.decompress(body))
        plain_headers, plain = asked(screen, "identity")
        assert "content-encoding" not in plain_headers
        assert {k: v for k, v in view.items() if k != "status"} == {
            k: v for k, v in json.loads(plain).items() if k != "status"
        }
        assert len(view["room"]["needs"]) == 40 and view["me"]["name"] == name
    # The room's part: the longest run of bytes both answers share is most of each answer.
    first, second = packed[0][1], packed[1][1]
    shared = difflib.SequenceMatcher(None, first, second, autojunk=False).find_longest_match()
    assert shared.size > 0.8 * len(first) and shared.size > 0.8 * len(second)
    # Holding the room's part, a screen is sent only its own.
    tag = json.loads(gzip.decompress(first))["tag"]
    _, held = asked(screens[0], "gzip", have=tag)
    assert json.loads(gzip.decompress(held))["room"] is None and len(held) < len(first) / 3
