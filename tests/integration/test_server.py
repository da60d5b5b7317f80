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
