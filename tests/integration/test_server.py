"""The real server (`streamlit run serve.py`), spoken to over its websocket as a browser does:
what needs a real server (streams, page runs, stopping, connection limits). Each test owns its
server: it seeds the file first (DuckDB lets one process hold it), stops it, or limits it.
What the boards write through the routes is driven in-process in tests/web/."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time

import pytest

from deploy.server import AppServer
from deploy.wire import Tab, join_request, run_sync
from workshop import actions
from workshop.model import Created
from workshop.store import Store
from workshop.templates import template

pytestmark = pytest.mark.server  # each starts a real Cocreate process


def prepare(db) -> Created:
    """A workshop from the customer-growth template in the Lobby, in the file `db`."""
    store = Store(db)
    try:
        return actions.create_workshop(store, template("customer-growth").draft)
    finally:
        store.close()


def played(db, play):
    """Run `play(url)`, a coroutine function, against a server on the file `db`; its result."""
    server = AppServer(db, log=db.with_suffix(".log"))
    server.start()
    try:
        return run_sync(play(server.url))
    finally:
        server.stop()


async def next_event(events, wanted) -> tuple[dict, float]:
    """The first event on a stream that is `wanted`, and how long it took to come."""
    start = time.monotonic()
    while True:
        code, event = await asyncio.wait_for(anext(events), 10)
        assert code == 200, event
        if wanted(event):
            return event, time.monotonic() - start


def test_a_database_held_by_another_process_stops_every_page_with_the_reason(tmp_path):
    db = tmp_path / "held.duckdb"
    Store(db).close()
    # Another process holds the file open until the test kills it (its sleep waits for nothing).
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    server = AppServer(db, log=tmp_path / "server.log")
    try:
        assert holder.stdout.readline().strip() == "ready"
        server.start()

        async def look(page: str, query: str = "") -> str:
            async with Tab(server.url, page, query) as tab:
                return tab.screen.text()

        for page in ("", "participate", "review"):
            seen = run_sync(look(page, "code=ABC123"))
            assert "is in use by another Cocreate process" in seen, seen
            assert "Stop that process, or set COCREATE_DB to another file." in seen
            assert "Join a workshop" not in seen

        holder.kill()
        holder.wait()
        # Once the other process lets go, the next visit works: the failure was not cached.
        assert "Join a workshop" in run_sync(look(""))
    finally:
        holder.kill()
        server.stop()


def test_a_participant_screen_follows_the_room_by_listening_to_its_status(tmp_path):
    """The participant's app (ui/components/participant) listens to /api/room/events and asks
    `api/view` when the room moved: the page runs once, when the link is opened."""
    from deploy.wire import APP, room_moved, share_request, view_request
    from web.paths import PARTICIPANT_HEADER as HEADER
    from web.paths import ROOM as ROUTE
    from web.paths import ROOM_EVENTS as EVENTS

    db = tmp_path / "watch.duckdb"
    plan = prepare(db)
    server = AppServer(db, log=tmp_path / "server.log")
    server.start()

    async def view_until(tab: Tab, view: dict, seen, timeout: float = 5.0) -> dict:
        """The app's view asked again until it shows `seen` (what others did may lag a second)."""
        deadline = time.monotonic() + timeout
        while True:
            code, view = await view_request(tab, view)
            assert code == 200, view
            if seen(view) or time.monotonic() > deadline:
                return view
            await asyncio.sleep(0.2)  # polls, as the app asks again when the status says the room moved

    async def play() -> None:
        facilitator = Tab(server.url, "facilitate", f"s={plan.session_token}")
        ann = Tab(server.url, "participate", f"code={plan.workshop.code}")
        bob = Tab(server.url, "participate", f"code={plan.workshop.code}")
        await facilitator.open()
        for tab, name in ((ann, "Ann"), (bob, "Bob")):
            await tab.open()
            await join_request(tab, name, "Sales")
        data = ann.screen.component_data(APP)
        assert (data["urls"]["room"], data["urls"]["events"], data["header"]) == (
            ROUTE[1:],
            EVENTS[1:],
            HEADER,
        )
        # The page ran once, for the join link; the app joined by its request and holds the
        # new link's token, in the link too.
        token = ann.joined
        assert (data["token"], data["join"]["code"], ann.runs) == ("", plan.workshop.code, 1)
        assert f"t={token}" == ann.query

        # Without a valid link both routes say what to do, and tell nothing about any room.
        refusal = (404, {"error": "Open this workshop from your participant link."})
        assert await ann.get(ROUTE) == refusal
        assert [answer async for answer in ann.events(EVENTS)] == [refusal]
        code, refused = await ann.get(ROUTE, {HEADER: token[:-2] + "xx"})
        assert code == 404 and "Join again with the workshop code" in refused["error"]
        wrong = {HEADER: token[:-2] + "xx"}
        assert [answer async for answer in ann.events(EVENTS, wrong)] == [(code, refused)]

        # The stream starts with the room as it is; the plain request answers the same.
        events = ann.events(EVENTS, {HEADER: token})
        code, lobby = await anext(events)
        assert code == 200 and (lobby["phase"], lobby["label"], lobby["ends_in"], lobby["statements"]) == (
            "lobby",
            "Lobby",
            None,
            0,
        )
        assert await ann.get(ROUTE, {HEADER: token}) == (200, lobby)
        code, view = await view_request(ann)
        assert code == 200 and view["room"]["workshop"]["phase"] == "lobby"
        assert view["me"]["name"] == "Ann" and view["status"]["every"] == 1.0

        # The facilitator moves the room: the stream says so within a second; the app asks
        # for the view, and the page does not run.
        runs = ann.runs
        await facilitator.click("phase_next")
        status, took = await next_event(events, lambda s: s["phase"] == "share")
        assert took < 2 and status["label"] == "Share" and room_moved(view, status)
        code, view = await view_request(ann, view)
        assert (
            code == 200 and view["room"]["workshop"]["phase"] == "share" and view["room"]["statements"] == []
        )

        # Bob shares; Ann's stream tells of it (the data version moved), and her view lists it.
        code, bob_view = await view_request(bob)
        theme = bob_view["room"]["workshop"]["themes"][0]["id"]
        assert (await share_request(bob, theme, "Faster answers for customers"))[0] == 200
        status, _ = await next_event(events, lambda s: s["statements"] == 1)
        assert room_moved(view, status)
        view = await view_until(ann, view, lambda v: v["room"]["statements"])
        (said,) = view["room"]["statements"]
        assert (said["text"], said["byline"]) == (
            "Faster answers for customers",
            "Bob",
        )  # a team of one: not named
        code, again = await view_request(ann, view)
        assert again["room"] == view["room"]  # the room's part is not sent again while it holds
        assert ann.runs == runs

        # A timer set by the facilitator comes at once, counting down.
        await facilitator.click("timer_start", timer_minutes=5)
        status, took = await next_event(events, lambda s: s["ends_in"] is not None)
        assert took < 2 and 290 <= status["ends_in"] <= 300
        await events.aclose()
        for tab in (facilitator, ann, bob):
            await tab.close()

    try:
        run_sync(play())
    finally:
        server.stop()


def test_a_projector_follows_the_workshop_on_its_stream_without_page_runs(tmp_path):
    """The Present page runs once; its projector component (ui/components/projector.py) draws each
    new version of the screen from /api/present/events, made once for every projector."""
    import gzip
    import json
    import urllib.request

    from deploy.wire import share_request, view_request
    from ui.components.projector import KEY as PROJECTOR
    from web.paths import PLOTLY_JS as PLOTLY
    from web.paths import PRESENT as ROUTE
    from web.paths import PRESENT_EVENTS as EVENTS
    from web.paths import PRESENTER_HEADER as HEADER

    db = tmp_path / "present.duckdb"
    plan = prepare(db)
    server = AppServer(db, log=tmp_path / "server.log")
    server.start()

    def number(view: dict, label: str) -> int:
        return next(n["value"] for n in view["numbers"] if n["label"] == label)

    async def play() -> None:
        facilitator = Tab(server.url, "facilitate", f"s={plan.session_token}")
        projector = Tab(server.url, "present", f"p={plan.presenter_token}")
        await facilitator.open()
        await projector.open()
        data = projector.screen.component_data(PROJECTOR)
        view = json.loads(data["view"])
        assert (view["phase"], view["code"], number(view, "joined")) == ("lobby", plan.workshop.code, 0)
        # The join link is made by the page run, from the address the browser used (the
        # shared view leaves it out; tests/e2e checks the address).
        assert data["join_url"].endswith(f"/participate?code={plan.workshop.code}") and "join_url" not in view
        assert data["qr"].startswith("data:image/png;base64,")
        assert (data["url"], data["events"], data["header"], data["token"]) == (
            "api/present",
            "api/present/events",
            HEADER,
            plan.presenter_token,
        )

        # Without the presenter link both routes say what to do, and show nothing of the workshop.
        refusal = (404, {"error": "Open this screen from the presenter link (Facilitate, 'Presenter link')."})
        assert await projector.get(ROUTE) == refusal
        assert [answer async for answer in projector.events(EVENTS)] == [refusal]
        wrong = {HEADER: plan.presenter_token[:-2] + "xx"}
        code, refused = await projector.get(ROUTE, wrong)
        assert code == 404 and "presenter link is not valid" in refused["error"]
        assert [answer async for answer in projector.events(EVENTS, wrong)] == [(code, refused)]

        # The stream starts with the screen as it is; the plain request answers the same.
        mine = {HEADER: plan.presenter_token}
        events = projector.events(EVENTS, mine)
        first = await anext(events)
        assert first == (200, {"ends_in": None, "view": view})
        assert await projector.get(ROUTE, mine) == first

        # Someone joins and the facilitator opens Share: the stream shows both within a
        # second or so, and the page has not run again.
        runs = projector.runs
        ann = Tab(server.url, "participate", f"code={plan.workshop.code}")
        await ann.open()
        await join_request(ann, "Ann", "Sales")
        message, took = await next_event(events, lambda m: number(m["view"], "joined") == 1)
        assert took < 2
        await facilitator.click("phase_next")
        message, took = await next_event(events, lambda m: m["view"]["phase"] == "share")
        assert took < 2 and [c["key"] for c in message["view"]["charts"]] == ["per_theme", "agreement"]

        # Her statement, markup and all, is on the wall as the text she wrote.
        _code, shown = await view_request(ann)
        theme = shown["room"]["workshop"]["themes"][0]["id"]
        assert (await share_request(ann, theme, "<b>Faster</b> answers"))[0] == 200
        message, _ = await next_event(events, lambda m: m["view"]["wall"])
        assert message["view"]["wall"][0][1] == "<b>Faster</b> answers"

        # A timer comes at once, counting down; the page still has not run.
        await facilitator.click("timer_start", timer_minutes=5)
        message, took = await next_event(events, lambda m: True)
        while message["ends_in"] is None:
            message, took = await next_event(events, lambda m: True)
        assert 290 <= message["ends_in"] <= 300
        assert projector.runs == runs
        await events.aclose()
        for tab in (facilitator, projector, ann):
            await tab.close()

    try:
        run_sync(play())
        # Plotly.js for the charts: gzipped for a browser that takes it, kept by the browser.
        request = urllib.request.Request(f"{server.url}{PLOTLY}?v=1", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as answer:
            assert answer.headers["Content-Encoding"] == "gzip"
            assert "immutable" in answer.headers["Cache-Control"]
            assert gzip.decompress(answer.read()).startswith(b"/**\n* plotly.js v")
    finally:
        server.stop()


def test_a_server_stopped_with_tabs_open_exits_at_once_and_the_next_one_opens_the_file(tmp_path):
    """SIGTERM while participants' tabs, their status streams and a projector's stream are
    open: the streams end, the process exits within 5 s with every row in the DuckDB file
    itself, and a new process on the same file serves the same people straight away."""
    from web.paths import PARTICIPANT_HEADER, PRESENT_EVENTS, PRESENTER_HEADER, ROOM_EVENTS

    db = tmp_path / "restart.duckdb"
    plan = prepare(db)
    first = AppServer(db, log=tmp_path / "first.log")
    first.start()
    tokens: list[str] = []

    async def follow(events, received: list) -> None:
        async for code, event in events:
            received.append((code, event))

    async def open_and_stop() -> tuple[float, list[list]]:
        tabs = [Tab(first.url, "participate", f"code={plan.workshop.code}") for _ in range(3)]
        projector = Tab(first.url, "present", f"p={plan.presenter_token}")
        await projector.open()
        received: list[list] = [[] for _ in range(4)]
        following = [
            asyncio.create_task(
                follow(
                    projector.events(PRESENT_EVENTS, {PRESENTER_HEADER: plan.presenter_token}), received[0]
                )
            )
        ]
        for number, tab in enumerate(tabs, start=1):
            await tab.open()
            await join_request(tab, f"Person {number}", "Sales")
            token = tab.joined
            tokens.append(token)
            events = tab.events(ROOM_EVENTS, {PARTICIPANT_HEADER: token})
            following.append(asyncio.create_task(follow(events, received[number])))
        while not all(received):
            await asyncio.sleep(0.05)
        start = time.monotonic()
        await asyncio.to_thread(first.stop)
        took = time.monotonic() - start
        await asyncio.wait_for(asyncio.gather(*following), 5)  # every stream has ended
        return took, received

    took, received = run_sync(open_and_stop())
    assert took < 5, f"the server took {took:.1f} s to exit"
    assert all(len(events) >= 1 and events[0][0] == 200 for events in received)
    # The file alone holds the three people (the log was checkpointed into it).
    assert not db.with_suffix(".duckdb.wal").exists() or db.with_suffix(".duckdb.wal").stat().st_size == 0
    store = Store(db)
    try:
        assert [actions.resume(store, token).display_name for token in tokens] == [
            "Person 1",
            "Person 2",
            "Person 3",
        ]
    finally:
        store.close()

    async def come_back(url: str) -> tuple[str, dict]:
        from deploy.wire import view_request

        async with Tab(url, "participate", f"t={tokens[0]}") as tab:
            return tab.screen.text(), (await view_request(tab))[1]

    seen, view = played(db, come_back)
    assert "in use by another Cocreate process" not in seen
    assert (view["me"]["name"], view["room"]["workshop"]["phase"]) == ("Person 1", "lobby")


def test_no_answer_gives_a_links_token_away_and_hostile_bodies_get_a_400_without_a_traceback(tmp_path):
    """Every answer, pages, routes and assets alike, says `Referrer-Policy: no-referrer`
    (a link's token never leaves in a Referer header); JSON nested past any sense, and a body
    whose sender went away halfway, get a plain refusal and no traceback in the log."""
    import json
    import socket
    import urllib.error
    import urllib.request
    from urllib.parse import urlsplit

    from deploy.wire import Tab
    from tests.conftest import make_room
    from web import paths
    from workshop.model import Phase

    db = tmp_path / "hostile.duckdb"
    store = Store(db)
    room = make_room(store, participants=1)
    room.to(Phase.VOTE)
    _, token = actions.join(store, room.created.workshop.code, "Voter", "Sales")
    store.close()
    server = AppServer(db, log=tmp_path / "server.log")
    server.start()
    try:

        def get(path: str, headers: dict | None = None, data: bytes | None = None):
            request = urllib.request.Request(server.url + path, data=data, headers=headers or {})
            try:
                with urllib.request.urlopen(request, timeout=10) as reply:
                    return reply.status, reply.headers, reply.read()
            except urllib.error.HTTPError as refusal:
                return refusal.code, refusal.headers, refusal.read()

        page = get(f"/participate?t={token}")
        script = next(part.split('"')[0] for part in page[2].decode().split('src="')[1:] if ".js" in part)
        asked = {
            "page": page,
            "asset": get("/" + script.lstrip("./")),
            "health": get("/_stcore/health"),
            "route": get("/" + paths.relative(paths.ROOM), {paths.PARTICIPANT_HEADER: token}),
            "refused route": get("/" + paths.relative(paths.ROOM), {paths.PARTICIPANT_HEADER: "wrong"}),
        }
        for name, (status, headers, _) in asked.items():
            assert status in (200, 404), (name, status)
            assert headers["Referrer-Policy"] == "no-referrer", name

        hostile = b"[" * 3000 + b"]" * 3000
        status, _, body = get(
            "/" + paths.relative(paths.DOTS),
            {paths.PARTICIPANT_HEADER: token, "Content-Type": "application/json"},
            b'{"need": ' + hostile[:2000] + hostile[-2000:] + b"}",
        )
        assert status == 400 and json.loads(body)["error"].startswith("That request was not understood")

        # A body announced as 2,000 bytes, of which 20 come before the sender leaves.
        where = urlsplit(server.url)
        with socket.create_connection((where.hostname, where.port), timeout=10) as raw:
            raw.sendall(
                (
                    f"POST /{paths.relative(paths.DOTS)} HTTP/1.1\r\nHost: {where.netloc}\r\n"
                    f"{paths.PARTICIPANT_HEADER}: {token}\r\nContent-Type: application/json\r\n"
                    "Content-Length: 2000\r\n\r\n" + '{"need": 1, "change"'
                ).encode()
            )
            time.sleep(0.5)
        # The server has dealt with the body cut short once it has logged its answer to it.
        deadline = time.monotonic() + 15
        log_file = tmp_path / "server.log"
        while log_file.read_text().count(f"POST /{paths.relative(paths.DOTS)} ") < 2:
            assert time.monotonic() < deadline, log_file.read_text()[-3000:]
            time.sleep(0.05)  # polls the log file for that line: nothing else announces it

        async def still_serving(url: str) -> bool:
            async with Tab(url, "participate", f"t={token}") as tab:
                from deploy.wire import view_request

                code, view = await view_request(tab)
                return code == 200 and view["room"]["workshop"]["phase"] == "vote"

        assert run_sync(still_serving(server.url))

        # A chunked body past the limit: refused, and the connection closed, so the server
        # reads no more of what the sender keeps sending.
        with socket.create_connection((where.hostname, where.port), timeout=10) as raw:
            raw.sendall(
                (
                    f"POST /{paths.relative(paths.DOTS)} HTTP/1.1\r\nHost: {where.netloc}\r\n"
                    f"{paths.PARTICIPANT_HEADER}: {token}\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n"
                ).encode()
            )
            chunk = b"x" * 4096
            answered, sent = b"", 0
            with contextlib.suppress(OSError):  # the server may close while we still send
                while sent < 50_000_000 and b"\r\n\r\n" not in answered:
                    raw.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
                    raw.setblocking(False)
                    with contextlib.suppress(BlockingIOError):
                        answered += raw.recv(65536)
                    raw.settimeout(10)
            # The refusal, when it arrived before the close (a close with the sender's bytes
            # unread may reset the connection first: tests/web checks the refusal itself).
            assert not answered or answered.startswith(b"HTTP/1.1 400"), answered[:200]
            raw.settimeout(10)  # a server still reading would leave this waiting: TimeoutError
            try:  # what is left of the answer, then the end of the connection
                while raw.recv(65536):
                    pass
            except ConnectionResetError:
                pass  # closed with the sender's bytes unread: a reset
    finally:
        server.stop()
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log, log[-3000:]


def test_a_new_presenter_link_ends_the_old_one_at_once_open_streams_included(tmp_path):
    """Facilitate's "Make a presenter link": the old link's plain request is refused at once
    (no minute of grace), and a projector still listening with it is told and let go
    within two seconds; the new link shows the screen."""
    from web.paths import PRESENT as ROUTE
    from web.paths import PRESENT_EVENTS as EVENTS
    from web.paths import PRESENTER_HEADER as HEADER

    db = tmp_path / "rotate.duckdb"
    plan = prepare(db)

    async def play(url: str) -> None:
        old = {HEADER: plan.presenter_token}
        async with Tab(url, "present", f"p={plan.presenter_token}") as projector:
            assert (await projector.get(ROUTE, old))[0] == 200
            events = projector.events(EVENTS, old)
            assert (await anext(events))[0] == 200
            async with Tab(url, "facilitate", f"s={plan.session_token}") as facilitator:
                await facilitator.click("new_presenter")
                made = time.monotonic()
                said, _ = await next_event(events, lambda event: "error" in event)
                assert time.monotonic() - made < 2.0
                assert said["error"].startswith("This presenter link was replaced")
                assert [answer async for answer in events] == []  # the stream ended
                code, refused = await projector.get(ROUTE, old)
                assert code == 404 and "it may have been replaced" in refused["error"]
                codes = [proto.code_text for proto in facilitator.screen.of_kind("code")]
                new = next(c for c in codes if "/present?p=" in c).split("p=")[1].strip()
                assert (await projector.get(ROUTE, {HEADER: new}))[0] == 200

    played(db, play)


def test_streams_are_limited_per_link_and_in_all_and_held_connections_leave_the_server_answering(tmp_path):
    """One link may follow the room on four streams at once, the process on COCREATE_MAX_STREAMS
    (a refusal names what to do, and the screen keeps up by asking); a stream closed frees its
    place. A body that trickles in is refused after ten seconds, and hundreds of connections
    that never finish their headers leave the health check and the pages answering, even
    for a server started with only 256 open files allowed."""
    import json
    import resource
    import socket
    import urllib.request
    from contextlib import AsyncExitStack, ExitStack
    from urllib.parse import urlsplit

    from tests.conftest import make_room
    from web import paths
    from workshop.model import Phase

    db = tmp_path / "limits.duckdb"
    store = Store(db)
    room = make_room(store, participants=0)
    room.to(Phase.SHARE)
    code = room.created.workshop.code
    one, other, third = (actions.join(store, code, f"Person {i}", "Sales")[1] for i in range(3))
    store.close()
    server = AppServer(db, env={"COCREATE_MAX_STREAMS": "6"}, log=tmp_path / "server.log")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))  # what the server starts with
    try:
        server.start()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    where = urlsplit(server.url)

    async def streams(url: str) -> None:
        async with AsyncExitStack() as held, Tab(url, "participate", f"t={one}") as tab:

            async def open_stream(token: str):
                events = tab.events(paths.ROOM_EVENTS, {paths.PARTICIPANT_HEADER: token})
                held.push_async_callback(events.aclose)
                return events, await anext(events)

            kept = [await open_stream(one) for _ in range(4)]
            assert all(code == 200 and status["phase"] == "share" for _, (code, status) in kept)
            code_, said = (await open_stream(one))[1]
            assert code_ == 429 and said["error"].startswith("This link already has 4 screens")
            assert (await tab.get(paths.ROOM, {paths.PARTICIPANT_HEADER: one}))[
                0
            ] == 200  # asking still works
            others = [await open_stream(other) for _ in range(2)]
            assert all(code == 200 for _, (code, _) in others)
            code_, said = (await open_stream(third))[1]
            assert code_ == 503 and "as many screens as it can" in said["error"]
            await kept[0][0].aclose()  # a tab closed
            await asyncio.sleep(0.5)
            assert (await open_stream(third))[1][0] == 200

    try:
        run_sync(streams(server.url))

        with ExitStack() as connections:
            for _ in range(300):  # more than the 256 files the server was started with
                raw = connections.enter_context(
                    socket.create_connection((where.hostname, where.port), timeout=10)
                )
                raw.sendall(b"GET /_stcore/health HTTP/1.1\r\nHost: x\r\n")  # and no end of headers
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10) as reply:
                assert reply.status == 200
            with urllib.request.urlopen(f"{server.url}/participate?t={third}", timeout=10) as reply:
                assert reply.status == 200

            trickle = connections.enter_context(
                socket.create_connection((where.hostname, where.port), timeout=30)
            )
            trickle.sendall(
                (
                    f"POST /{paths.relative(paths.SHARE)} HTTP/1.1\r\nHost: {where.netloc}\r\n"
                    f"{paths.PARTICIPANT_HEADER}: {third}\r\nContent-Type: application/json\r\n"
                    "Content-Length: 100\r\n\r\n"
                ).encode()
            )
            started, answer = time.monotonic(), b""
            trickle.settimeout(1.0)
            while b"\r\n\r\n" not in answer and time.monotonic() - started < 20:
                try:
                    trickle.sendall(b" ")  # a byte a second, never the whole body
                    answer += trickle.recv(4096)
                except TimeoutError:
                    continue
            assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
            assert 9 <= time.monotonic() - started < 15
            body = answer.split(b"\r\n\r\n", 1)[1]
            assert not body or json.loads(body)["error"].startswith("That request came too slowly")
    finally:
        server.stop()
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log, log[-3000:]


def test_a_removed_participants_link_stops_answering_and_its_open_stream_ends(tmp_path):
    """Facilitate's "Remove author": the removed person's open stream is told why and let go
    within two seconds, their link's requests are refused from then on, and another
    person's stream carries on."""
    from tests.conftest import make_room
    from web import paths
    from workshop.model import Phase

    db = tmp_path / "remove.duckdb"
    store = Store(db)
    room = make_room(store, participants=0)
    room.to(Phase.SHARE)
    code, theme = room.created.workshop.code, room.theme_ids[0]
    kind, kind_token = actions.join(store, code, "Kind", "Sales")
    rude, rude_token = actions.join(store, code, "Rude", "Sales")
    statement = actions.share(store, rude, theme, "Something rude")
    store.close()

    async def play(url: str) -> None:
        rude_header, kind_header = (
            {paths.PARTICIPANT_HEADER: rude_token},
            {paths.PARTICIPANT_HEADER: kind_token},
        )
        async with Tab(url, "participate", f"t={rude_token}") as tab:
            rude_events = tab.events(paths.ROOM_EVENTS, rude_header)
            kind_events = tab.events(paths.ROOM_EVENTS, kind_header)
            assert (await anext(rude_events))[0] == 200 and (await anext(kind_events))[0] == 200
            async with Tab(url, "facilitate", f"s={room.created.session_token}") as facilitator:
                await facilitator.click(f"statement_{statement}_remove_confirm")
                removed = time.monotonic()
                said, _ = await next_event(rude_events, lambda event: "error" in event)
                assert time.monotonic() - removed < 2.0
                assert said["error"].startswith("The facilitator has taken this link out")
                assert [answer async for answer in rude_events] == []  # the stream ended
                code_, refused = await tab.get(paths.ROOM, rude_header)
                assert code_ == 404 and refused["error"].startswith("The facilitator has taken this link out")
                status, _ = await next_event(kind_events, lambda event: "phase" in event)
                assert status["phase"] == "share"
                assert (await tab.get(paths.ROOM, kind_header))[0] == 200
            await kind_events.aclose()

    played(db, play)


def test_behind_a_proxy_on_this_host_each_client_is_counted_apart(tmp_path):
    """The server listening on `::` as `make run` does, a proxy on this host reaching it over
    IPv4 (its peer `::ffff:127.0.0.1`) and trusted as 127.0.0.1: the joins of each client it
    forwards for are counted apart, so one client past the limit leaves another joining."""
    import json
    import urllib.error
    import urllib.request

    from tests.conftest import make_room
    from web import paths

    db = tmp_path / "proxied.duckdb"
    store = Store(db)
    room = make_room(store, participants=0)
    store.close()
    env = {"COCREATE_TRUSTED_PROXIES": "127.0.0.1", "COCREATE_JOINS_PER_ADDRESS": "2"}
    server = AppServer(db, env=env, log=tmp_path / "server.log", address="::")
    server.start()
    try:

        def joined(name: str, client: str) -> int:
            request = urllib.request.Request(
                f"{server.url}/{paths.relative(paths.JOIN)}",
                data=json.dumps({"code": room.workshop.code, "name": name, "team": None}).encode(),
                headers={"Content-Type": "application/json", "X-Forwarded-For": client},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as reply:
                    return reply.status
            except urllib.error.HTTPError as refused:
                return refused.code

        assert [joined(f"A{i}", "203.0.113.5") for i in range(3)] == [200, 200, 429]
        assert joined("B", "198.51.100.9") == 200  # another client behind the same proxy
    finally:
        server.stop()


def test_a_facilitators_right_key_opens_at_once_while_twelve_addresses_guess(tmp_path):
    """Through the real sign-in page, over the websocket as a browser behind a proxy: twelve
    addresses guess the workshop's key three times each (36 wrong keys, past the 30 a minute
    the organisation key is held to), and the facilitator, from an address of their own,
    opens Facilitate with the right key within 2 s; the guessers wait for their own."""
    from tests.conftest import make_room

    db = tmp_path / "guessed.duckdb"
    store = Store(db)
    room = make_room(store, participants=0)
    store.close()
    code, key = room.workshop.code, room.created.facilitator_key
    server = AppServer(db, env={"COCREATE_TRUSTED_PROXIES": "127.0.0.1"}, log=tmp_path / "server.log")
    server.start()

    async def signed_in(address: str, typed: str) -> tuple[bool, str, float]:
        async with Tab(server.url, "facilitate", f"code={code}", headers={"X-Forwarded-For": address}) as tab:
            started = time.monotonic()
            screen = await tab.click("open_submit", open_code=code, open_key=typed)
            return bool(screen.keys("phase_next")), screen.text(), time.monotonic() - started

    async def scenario() -> None:
        for _ in range(3):
            for i in range(12):
                opened, text, _seconds = await signed_in(f"198.51.100.{i}", "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")
                assert not opened and ("not the facilitator key" in text or "Too many wrong keys" in text)
        opened, text, _seconds = await signed_in("198.51.100.0", key)  # a guesser waits for its own
        assert not opened and "Too many wrong keys" in text
        opened, text, seconds = await signed_in("203.0.113.77", key)
        assert opened, text
        assert seconds < 2.0, seconds

    try:
        run_sync(scenario())
    finally:
        server.stop()
