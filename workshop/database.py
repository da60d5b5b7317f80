"""The process's database: one Store and its LiveCache per location, opened once and
shared by every page run and every route of the process (web/ opens it when the server
starts and closes it when the server stops)."""

from __future__ import annotations

import threading
from typing import NamedTuple

from workshop import settings
from workshop.live import LiveCache
from workshop.store import Store


class Database(NamedTuple):
    store: Store
    live: LiveCache


_opened: dict[str, Database] = {}
_lock = threading.Lock()


def open_database(location: str) -> Database:
    """The Store and LiveCache of `location` (a DuckDB path or a postgresql:// URL), opened
    on first use. Raises StoreUnavailable when it cannot be opened; the next call tries again."""
    found = _opened.get(location)
    if found is None:
        with _lock:
            found = _opened.get(location)
            if found is None:
                store = Store(location)
                found = _opened[location] = Database(store, LiveCache(store))
    return found


def close_databases() -> None:
    """Close every database this process opened (a DuckDB file is checkpointed on close, so
    the file alone holds every row)."""
    with _lock:
        for database in _opened.values():
            database.store.close()
        _opened.clear()


def current_database() -> Database:
    """The database the settings name (COCREATE_DATABASE_URL, else COCREATE_DB); raises
    StoreUnavailable when it cannot be opened."""
    return open_database(settings.database_location())
