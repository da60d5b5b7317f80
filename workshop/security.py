"""Codes, keys and tokens: how they are made, stored and checked."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any

# No 0/O, 1/I/L: a join code is read off a projector and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_key() -> str:
    """A facilitator key: 25 characters in five groups, about 124 bits, easy to read aloud."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(25))
    return "-".join(chars[i : i + 5] for i in range(0, 25, 5))


def new_token() -> str:
    """A token for a link: 32 URL-safe characters, 192 bits."""
    return secrets.token_urlsafe(24)


def hash_key(key: str) -> str:
    """A slow, salted hash of a facilitator key, as stored."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(_normalise_key(key).encode(), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def key_matches(key: str, stored: str) -> bool:
    """Whether `key` is the key whose hash is `stored`; compared in constant time."""
    try:
        scheme, salt_b64, digest_b64 = stored.split("$")
        salt, digest = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(_normalise_key(key).encode(), salt=salt, **_SCRYPT)
    return hmac.compare_digest(candidate, digest)


def hash_token(token: str) -> str:
    """Tokens are long and random, so a fast hash is enough to keep them out of the file."""
    return hashlib.sha256(token.encode()).hexdigest()


def secret_equals(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _normalise_key(key: str) -> str:
    return "".join(ch for ch in key.upper() if ch.isalnum())


class GuessLimiter:
    """Slows down key guessing, per key guessed at (`target`: a workshop, or the
    organisation key): after `free` wrong keys for one target from one source, each further
    try of that source at that target waits 2, 4, 8 … seconds (at most `longest`), and a
    right key clears the count; and whatever the sources, a target's keys are checked at
    most `per_minute` times a minute (unless a check asks for its source's own count only:
    a scraper's token, which the organisation's guessers must not lock out). Guessing one
    workshop's key never slows a key for another workshop or for the organisation.

    Kept in memory per process, bounded: a count is forgotten FORGET_AFTER seconds after its
    last wrong key, and past MAX_KEPT counts the least recently touched go first (a flood of
    made-up sources cannot grow the process). `clock` is injectable for tests.
    """

    FORGET_AFTER = 3600.0  # seconds without a wrong key after which a source starts afresh
    MAX_KEPT = 100_000  # counts kept (of targets and sources), each a few hundred bytes

    def __init__(
        self,
        free: int = 3,
        longest: float = 60.0,
        per_minute: int = 30,
        clock: Callable[[], float] | None = None,
    ) -> None:
        import threading
        import time

        from cachetools import TTLCache

        self._free, self._longest, self._per_minute = free, longest, per_minute
        self._clock = clock or time.monotonic
        # (target, source) -> (wrong keys in a row, when the last was checked)
        self._failures: TTLCache[Any, Any] = TTLCache(self.MAX_KEPT, self.FORGET_AFTER, timer=self._clock)
        # target -> when its keys were checked, last minute
        self._checked: TTLCache[Any, Any] = TTLCache(self.MAX_KEPT, 60.0, timer=self._clock)
        self._lock = threading.Lock()

    def wait(self, target: str, source: str, capped: bool = True) -> float:
        """Seconds before `source` may try a key for `target` (0 when it may try now); with
        `capped` False, only this source's own wrong keys count."""
        now = self._clock()
        with self._lock:
            count, last = self._failures.get((target, source), (0, 0.0))
            checked = [t for t in self._checked.get(target, []) if t > now - 60.0]
            if checked:
                self._checked[target] = checked
        waits = [0.0]
        if count >= self._free:
            waits.append(last + min(self._longest, 2.0 ** (count - self._free + 1)) - now)
        if capped and len(checked) >= self._per_minute:
            waits.append(checked[len(checked) - self._per_minute] + 60.0 - now)
        return max(waits)

    def clear(self) -> None:
        """Forget every key checked (a new process starts so)."""
        with self._lock:
            self._failures.clear()
            self._checked.clear()

    def checked(self, target: str, source: str, right: bool) -> None:
        """A key for `target` from `source` was checked: `right` or wrong."""
        now = self._clock()
        with self._lock:
            self._checked[target] = [t for t in self._checked.get(target, []) if t > now - 60.0] + [now]
            if right:
                self._failures.pop((target, source), None)
            else:
                count, _ = self._failures.get((target, source), (0, 0.0))
                self._failures[(target, source)] = (count + 1, now)
