"""The real server (`streamlit run app.py`), spoken to over its websocket as a browser does."""

from __future__ import annotations

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
