"""Every SQL statement that reads or writes workshop data lives here.

One `Store` per process holds one backend (backends.py: a DuckDB file, or PostgreSQL);
every operation runs on its own cursor, and every write is one transaction, retried when
it conflicts with another. Limits that must hold under racing writes (dot budget, per-need
cap, one reaction per statement) are enforced by keys in the schema, not by reading first
and hoping. What the store keeps in memory between reads follows one rule (memory.py).

The store is a package: a core (core.py) and one module per aggregate, each a class that
builds on the one before it; Store is the last of them, and every name the rest of the code
imports from `workshop.store` is here."""

from __future__ import annotations

from workshop.store.core import (
    HELP_PAIR_COLUMNS,
    RETRIES,
    DotResult,
    RoomNeeds,
    SessionRow,
    ViewerState,
    utcnow,
)
from workshop.store.exports import Exports, backup_problem, is_cocreate_file, schema_columns


class Store(Exports):
    """The Cocreate database, its schema, and named reads and writes.

    `location` is a DuckDB file path (the default) or a postgresql:// URL; see backends.py."""


__all__ = [
    "DotResult",
    "HELP_PAIR_COLUMNS",
    "RETRIES",
    "RoomNeeds",
    "SessionRow",
    "Store",
    "ViewerState",
    "backup_problem",
    "is_cocreate_file",
    "schema_columns",
    "utcnow",
]
