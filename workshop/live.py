"""What live screens read: values computed once per change of a workshop, not once per viewer.

Every write bumps the workshop's version in the store. `LiveCache.get` returns the value
computed for the current version, computing it at most once however many screens ask at
the same moment.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from workshop import i18n
from workshop.store import Store

T = TypeVar("T")


class LiveCache:
    """Per-workshop values keyed by (name, workshop id, language) and valid for one data
    version. The language in force is part of the key: a value may hold words people read
    (a phase's name, a chart's title), so each language has its own."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self.clock = clock  # how old a value is, for `max_age`
        self._values: dict[tuple[str, int, str], tuple[int, Any, float]] = {}
        self._locks: dict[tuple[str, int, str], threading.Lock] = {}
        self._guard = threading.Lock()
        self._reading = threading.local()  # per thread: the oldest version a computation read

    def previous(self, name: str, workshop_id: int) -> Any:
        """The last value computed for (name, workshop), whatever its version, or None."""
        cached = self._values.get((name, workshop_id, i18n.current()))
        return cached[1] if cached else None

    def forget(self, name: str, workshop_id: int) -> None:
        """Drop the value of (name, workshop) in the language in force: the next `get`
        computes it again, with no previous value."""
        self._values.pop((name, workshop_id, i18n.current()), None)

    def get(self, name: str, workshop_id: int, compute: Callable[[], T], max_age: float = 0.0) -> T:
        """The value of `compute()` for the workshop's current version.

        With `max_age`, a value computed less than that many seconds ago is returned even if
        the workshop changed since: for what others did, where a second's lag is invisible
        and a busy room would otherwise recompute it for every write. Never one older than
        the last write that took something away or changed settings (a hide, merge, edit,
        withdrawal, a new phase): lagging may show something late, never what is gone.
        What the reader did themselves is laid over such a value from their own state
        (`ViewerState`), so it may lag too.
        """
        return self.get_versioned(name, workshop_id, compute, max_age)[1]

    def get_versioned(
        self, name: str, workshop_id: int, compute: Callable[[], T], max_age: float = 0.0
    ) -> tuple[int, T]:
        """Like `get`, with the data version the value was computed for: the version read
        before computing it, or an older one when the computation read lagging values (a
        value made of a second-old list is that list's version, so it is made again once
        it may no longer lag, not kept for as long as the room is quiet)."""
        version, value = self._versioned(name, workshop_id, compute, max_age)
        reading = getattr(self._reading, "oldest", None)
        if reading is not None:
            reading[0] = min(reading[0], version)
        return version, value

    def oldest_read(self, version: int) -> int:
        """Inside a computation of `get`: `version`, or the older version of a lagging value
        it has read so far."""
        reading = getattr(self._reading, "oldest", None)
        return version if reading is None else min(version, reading[0])

    def _versioned(
        self, name: str, workshop_id: int, compute: Callable[[], T], max_age: float
    ) -> tuple[int, T]:
        key = (name, workshop_id, i18n.current())
        version = self._store.version(workshop_id)
        at_least = self._store.removal_version(workshop_id)

        def usable(cached: tuple[int, Any, float] | None) -> bool:
            if cached is None:
                return False
            return cached[0] == version or (cached[0] >= at_least and self.clock() - cached[2] < max_age)

        cached = self._values.get(key)
        if cached is not None and usable(cached):
            return cached[0], cached[1]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        if not lock.acquire(blocking=False):
            # Someone is computing it. A reader that may lag takes the value there is rather
            # than queue: in a busy room a hundred page runs would otherwise wait on the one
            # computing, which waits its turn for the interpreter among them.
            if max_age and cached is not None and cached[0] >= at_least:
                return cached[0], cached[1]
            lock.acquire()
        try:
            cached = self._values.get(key)
            if cached is not None and usable(cached):
                return cached[0], cached[1]
            # Read the version before computing: a write during the computation makes the
            # next reader compute again instead of keeping a stale value.
            version = self._store.version(workshop_id)
            outer = getattr(self._reading, "oldest", None)
            self._reading.oldest = [version]
            try:
                value = compute()
                version = self._reading.oldest[0]  # the oldest version among what it read
            finally:
                self._reading.oldest = outer
            self._values[key] = (version, value, self.clock())
            return version, value
        finally:
            lock.release()
