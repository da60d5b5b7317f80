"""What the store keeps in memory between reads, and the one rule that keeps it right.

The rule: a value is kept with the version it was read at, the version read *before* the
value, and it is used only while that version is still current. Every write moves the
versions that cover what it changed after it commits (Store._write), so a value read while
a write commits is kept under the old version and read again by the next reader: nothing
kept is older than the last write that could change it.

What the store keeps, under which version (backends.Versions):
- a workshop's row and themes: the workshop's settings version (phase, reveal, timer, texts);
- who wrote a statement or need and whether it is hidden or merged: the workshop's removal
  version (hide, merge, edit, withdrawal);
- one person's own reactions, backings, dots, ratings and items: their viewer version (their
  own writes and every write in the workshop that takes something away, not a move of the
  room; with PostgreSQL, any write). Their own write carries its change to the kept state
  instead of leaving it to be read again (OwnStates), when nothing else can have changed
  it: reading a person's state and their writes take turns, so the state a change is
  carried over never holds it already;
- a participant by link token, a workshop id by join code: version 0, since nothing changes
  them (a participant row is written once, a code never changes, nothing is deleted).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from cachetools import LRUCache

T = TypeVar("T")

LIMIT = 20_000  # values kept of each kind at most (past it, the least recently used go)


class Kept:
    """Values by key, each with the version it was read at; at most `limit` of them, the
    least recently used going first (cachetools' LRUCache: a full memory never makes every
    screen read again at the same moment). Its order changes on every read, so each access
    holds a lock."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._values: LRUCache[Any, Any] = LRUCache(maxsize=limit)
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Any, read: Callable[[], T | None]) -> T | None:
        """The value kept for `key` at `version`, else `read()` (kept unless None). Read
        `version` before calling: see the rule above."""
        found = self.peek(key)
        if found is not None and found[0] == version:
            return found[1]
        value = read()
        if value is not None:
            self.put(key, version, value)
        return value

    def peek(self, key: Hashable) -> tuple[Any, Any] | None:
        """(version, value) kept for `key`, or None."""
        with self._lock:
            return self._values.get(key)

    def put(self, key: Hashable, version: Any, value: Any) -> None:
        with self._lock:
            self._values[key] = (version, value)


class OwnStates(Kept):
    """Each person's own state by their viewer version, `(own writes, workshop removals)`,
    carried forward by their own writes. Take the person's `turn` around reading their
    state and around each of their writes (with `carry` after it)."""

    STRIPES = 64  # locks shared by the people whose keys hash alike: few, and never two at once

    def __init__(self, carries: bool, limit: int = LIMIT) -> None:
        super().__init__(limit)
        self._carries = carries  # False when other processes write too (they carry nothing here)
        self._turns = [threading.Lock() for _ in range(self.STRIPES)]

    def turn(self, key: Hashable) -> threading.Lock:
        return self._turns[hash(key) % self.STRIPES]

    def carry(
        self, key: Hashable, before: tuple[Any, ...], after: tuple[Any, ...], change: Callable[[T], T] | None
    ) -> None:
        """After the person's write moved their version from `before` to `after`, keep
        `change(state)` at `after` when the state was kept at `before` and no removal came
        between (the rest of the version is unchanged); otherwise the next reader reads it."""
        found = self.peek(key)
        if found is None or found[0] != before or after[1:] != before[1:]:
            return
        if self._carries and change is not None:
            self.put(key, after, change(found[1]))
