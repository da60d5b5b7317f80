"""What live screens read: values computed once per change of a workshop, not once per viewer.

Every write bumps the workshop's version in the store. `LiveCache.get` returns the value
computed for the current version, computing it at most once however many screens ask at
the same moment.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from workshop.store import Store

T = TypeVar("T")


class LiveCache:
    """Per-workshop values keyed by (name, workshop id) and valid for one data version."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._values: dict[tuple[str, int], tuple[int, Any]] = {}
        self._locks: dict[tuple[str, int], threading.Lock] = {}
        self._guard = threading.Lock()
        self.computations = 0  # how many times a value was computed (benchmarks and tests read it)

    def previous(self, name: str, workshop_id: int) -> Any:
        """The last value computed for (name, workshop), whatever its version, or None."""
        cached = self._values.get((name, workshop_id))
        return cached[1] if cached else None

    def get(self, name: str, workshop_id: int, compute: Callable[[], T]) -> T:
        """The value of `compute()` for the workshop's current version."""
        key = (name, workshop_id)
        version = self._store.version(workshop_id)
        cached = self._values.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            cached = self._values.get(key)
            if cached is not None and cached[0] == version:
                return cached[1]
            # Read the version before computing: a write during the computation makes the
            # next reader compute again instead of keeping a stale value.
            version = self._store.version(workshop_id)
            value = compute()
            self.computations += 1
            self._values[key] = (version, value)
            return value
