"""A participant's screen moves to the new phase when the facilitator moves the room,
without the tab asking: the server redraws it (pages/following.py)."""

from __future__ import annotations

from bench.server import AppServer
from bench.wire import Tab, run_sync
from tests.conftest import make_room
from workshop import actions
from workshop.store import Store


def phase_shown(screen) -> str:
    return next((t.split("**")[1] for t in screen.texts() if t.startswith("Phase: **")), "")


def test_open_tabs_show_the_new_phase_without_asking(tmp_path):
    db = tmp_path / "follow.duckdb"
    store = Store(db)
    room = make_room(store, participants=0)
    tokens = [actions.join(store, room.created.workshop.code, f"Person {i}", "Sales")[1] for i in range(3)]
    facilitator_link = room.created.session_token
    store.close()
    server = AppServer(db, log=tmp_path / "server.log")
    server.start()
    try:

        async def go() -> list[tuple[str, int, list[str]]]:
            tabs = [Tab(server.url, "participate", f"t={token}") for token in tokens]
            for tab in tabs:
                await tab.open()
            assert {phase_shown(tab.screen) for tab in tabs} == {"Lobby"}
            async with Tab(server.url, "facilitate", f"s={facilitator_link}") as facilitator:
                await facilitator.click("phase_next")
                # The tabs send nothing (their timers do not fire here): the server redraws them.
                for tab in tabs:
                    await tab.until(lambda screen: phase_shown(screen) == "Share", timeout=20)
            seen = [(phase_shown(tab.screen), tab.pushed, tab.screen.keys("share_submit_")) for tab in tabs]
            for tab in tabs:
                await tab.close()
            return seen

        seen = run_sync(go())
    finally:
        server.stop()
    for phase, pushed, share_buttons in seen:
        assert phase == "Share"
        assert pushed >= 1
        assert len(share_buttons) == len(room.theme_ids)  # the whole Share page, not just the line
