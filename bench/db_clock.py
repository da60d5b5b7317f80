"""How much of the server's CPU its database calls take (`python -m bench.load --db-clock`).

The load test starts the app with `bench/clock_site` on its PYTHONPATH and
`COCREATE_DB_CLOCK` naming a file: the server then times every DuckDB call the store
makes, as the CPU of the thread that makes it (DuckDB runs a statement on the calling
thread with `threads = 1`, see workshop/backends.py), and writes the totals to that file
every half second. Timing a call costs about two microseconds, a thousandth of a run's CPU.
A PostgreSQL server's work is done in its own processes and is not counted here.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

from workshop.backends import DuckFile

ENV = "COCREATE_DB_CLOCK"
EVERY = 0.5  # seconds between writes of the totals


class Clock:
    """The totals of one server: per statement (its SQL, spaces folded), calls and CPU seconds."""

    def __init__(self, path: Path, every: float = EVERY) -> None:
        self.path, self.every = path, every
        self.totals: dict[str, list] = {}
        self.keys: dict[str, str] = {}  # SQL as the store wrote it -> folded (its texts are few)
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self._originals = DuckFile.cursor, DuckFile.analytics

    def add(self, sql: str, seconds: float) -> None:
        key = self.keys.get(sql)
        if key is None:
            key = self.keys.setdefault(sql, re.sub(r"\s+", " ", sql).strip()[:120])
        with self.lock:
            kept = self.totals.setdefault(key, [0, 0.0])
            kept[0] += 1
            kept[1] += seconds

    def write(self) -> None:
        with self.lock:
            rows = sorted(([sql, n, s] for sql, (n, s) in self.totals.items()), key=lambda r: -r[2])
        body = {"seconds": sum(r[2] for r in rows), "calls": sum(r[1] for r in rows), "statements": rows}
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(body))
        partial.replace(self.path)

    def _keep_writing(self) -> None:
        while not self.stopped.wait(self.every):
            self.write()

    def start(self) -> Clock:
        cursor, analytics = self._originals
        DuckFile.cursor = lambda db: _Timed(cursor(db), self)  # type: ignore[method-assign]
        DuckFile.analytics = lambda db, workshop_ids=None: _Timed(analytics(db, workshop_ids), self)  # type: ignore[method-assign]
        self.write()
        threading.Thread(target=self._keep_writing, name="db-clock", daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        DuckFile.cursor, DuckFile.analytics = self._originals  # type: ignore[method-assign]
        self.write()


class _Timed:
    """A DuckDB cursor whose `execute` calls are timed; everything else is the cursor's."""

    def __init__(self, cursor: Any, clock: Clock) -> None:
        self._cursor, self._clock = cursor, clock

    def execute(self, sql: str, parameters: Any = None) -> Any:
        began = time.thread_time()
        try:
            return self._cursor.execute(sql, parameters)
        finally:
            self._clock.add(sql, time.thread_time() - began)

    def __enter__(self) -> _Timed:
        self._cursor.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self._cursor.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


def read(path: Path) -> dict:
    """The totals a clocked server wrote last (none yet: nothing counted)."""
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return {"seconds": 0.0, "calls": 0, "statements": []}


def install_from_environment() -> Clock | None:
    where = os.environ.get(ENV)
    return Clock(Path(where)).start() if where else None
