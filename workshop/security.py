"""Codes, keys and tokens: how they are made, stored and checked."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

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
    """Slows down key guessing: after `free` wrong keys from one source, each further try
    must wait 2, 4, 8 … seconds (at most `longest`); a right key clears the count.

    Kept in memory per process; `clock` is injectable for tests.
    """

    def __init__(self, free: int = 3, longest: float = 60.0, clock=None) -> None:
        import threading
        import time

        self._free, self._longest = free, longest
        self._clock = clock or time.monotonic
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def wait(self, source: str) -> float:
        """Seconds `source` must still wait before its next try (0 when it may try now)."""
        with self._lock:
            count, last = self._failures.get(source, (0, 0.0))
        if count < self._free:
            return 0.0
        delay = min(self._longest, 2.0 ** (count - self._free + 1))
        return max(0.0, last + delay - self._clock())

    def failed(self, source: str) -> None:
        with self._lock:
            count, _ = self._failures.get(source, (0, 0.0))
            self._failures[source] = (count + 1, self._clock())

    def succeeded(self, source: str) -> None:
        with self._lock:
            self._failures.pop(source, None)
