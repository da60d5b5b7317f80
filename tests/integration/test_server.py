"""The real server (`streamlit run serve.py`), spoken to over its websocket as a browser does."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from bench.server import AppServer
from bench.wire import Tab, run_sync
from workshop.store import Store


def test_a_database_held_by_another_process_stops_every_page_with_the_reason(tmp_path):
    db = tmp_path / "held.duckdb"
    Store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(120)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
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


def test_a_participant_rates_a_need_in_its_dialog(tmp_path):
    """The rating dialog is a fragment of its own, which only a real server runs as one."""
    from tests.conftest import make_room
    from workshop import actions
    from workshop.model import Phase

    db = tmp_path / "rate.duckdb"
    store = Store(db)
    room = make_room(store, participants=1, rate_needs=True)
    room.to(Phase.PROPOSE)
    need = actions.propose(store, room.people[0], room.theme_ids[0], "Coaching skills")
    room.to(Phase.VOTE)
    _, token = actions.join(store, room.created.workshop.code, "Rater", "Sales")
    store.close()
    server = AppServer(db, log=tmp_path / "server.log")
    server.start()
    try:

        async def rate() -> str:
            async with Tab(server.url, "participate", f"t={token}") as tab:
                assert tab.screen.widget(f"importance_{need}") is None  # drawn only when asked for
                await tab.click(f"rate_{need}")
                assert "How important is it for the strategy?" in tab.screen.text()
                # Radio values travel as the option's label (streamlit 1.67).
                await tab.click(
                    f"rate_submit_{need}", **{f"importance_{need}": "5", f"capability_{need}": "2"}
                )
                return tab.screen.widget(f"rate_{need}")[1].label

        label = run_sync(rate())
    finally:
        server.stop()
    assert label == "Rated: importance 5, capability 2"
    store = Store(db)
    try:
        me = actions.resume(store, token)
        rated = store.needs(room.workshop.id, viewer_id=me.id)[0]
        assert (rated.my_importance, rated.my_capability) == (5, 2)
    finally:
        store.close()


def test_a_participant_screen_follows_the_room_by_asking_its_status(tmp_path):
    """The room watch (pages/room_watch.py) asks /api/room instead of rerunning the page;
    the page reruns only when the room moved or the person asks to see what is new."""
    from bench.load import prepare
    from pages.room_watch import HEADER, ROUTE

    db = tmp_path / "watch.duckdb"
    plan = prepare(db)
    server = AppServer(db, log=tmp_path / "server.log")
    server.start()

    async def status_until(tab: Tab, token: str, wanted) -> dict:
        for _ in range(50):  # a status is kept half a second, a count may lag a second
            code, status = await tab.get(ROUTE, {HEADER: token})
            assert code == 200, status
            if wanted(status):
                return status
            await asyncio.sleep(0.1)
        raise AssertionError(f"the status never became what was wanted: {status}")

    async def play() -> None:
        facilitator = Tab(server.url, "facilitate", f"s={plan.facilitator_link}")
        ann = Tab(server.url, "participate", f"code={plan.code}")
        bob = Tab(server.url, "participate", f"code={plan.code}")
        await facilitator.open()
        for tab, name in ((ann, "Ann"), (bob, "Bob")):
            await tab.open()
            await tab.click("join_submit", join_name=name, join_team="Sales")
        watch = ann.screen.component_data("room_watch")
        assert watch["status"] == {"phase": "lobby", "label": "Lobby", "revealed": False, "ends_in": None,
                                   "statements": 0, "needs": 0}  # fmt: skip
        assert (watch["url"], watch["header"], watch["every"], watch["kind"]) == (
            "api/room",
            HEADER,
            1.0,
            None,
        )
        token = watch["token"]
        assert f"t={token}" == ann.query

        # Without a valid link the route says what to do, and tells nothing about any room.
        assert await ann.get(ROUTE) == (404, {"error": "Open this workshop from your participant link."})
        code, refused = await ann.get(ROUTE, {HEADER: token[:-2] + "xx"})
        assert code == 404 and "Join again with the workshop code" in refused["error"]

        # The facilitator moves the room: the status says so; the page has not run.
        runs = ann.runs
        await facilitator.click("phase_next")
        await status_until(ann, token, lambda s: s["phase"] == "share")
        assert ann.runs == runs and not ann.screen.keys("share_submit_")

        # What the browser's watch does next: one trigger, and the page is the Share page.
        await ann.trigger("room_watch", "moved", "share:False")
        assert ann.screen.keys("share_submit_")
        watch = ann.screen.component_data("room_watch")
        assert (watch["status"]["phase"], watch["kind"], watch["seen"]) == ("share", "statements", 0)

        # Bob's watch moves his page too; he shares; Ann's status counts it, and "Show new"
        # draws it on her page.
        await bob.trigger("room_watch", "moved", "share:False")
        theme = bob.screen.keys("share_submit_")[0].removeprefix("share_submit_")
        await bob.click(f"share_submit_{theme}", **{f"share_text_{theme}": "Faster answers for customers"})
        await status_until(ann, token, lambda s: s["statements"] == 1)
        assert "Faster answers for customers" not in ann.screen.text()
        await ann.trigger("room_watch", "show_new", 1)
        assert "Faster answers for customers" in ann.screen.text()
        assert ann.screen.component_data("room_watch")["seen"] == 1
        for tab in (facilitator, ann, bob):
            await tab.close()

    try:
        run_sync(play())
    finally:
        server.stop()
