"""How many event streams this process keeps open: a few per link, so many per client
address, so many in all. A stream holds a connection (a file descriptor) for as long as a
tab is open; without a limit one link could hold thousands and starve the process. A tab
whose stream is refused asks for the room's status every few seconds instead
(participant/follow.js, projector.js), so a refusal slows a screen down and never stops it.

The process also raises its own limit of open files to the most the system allows, so that
the connections of a big room, and of someone holding connections open, fit."""

from __future__ import annotations

import logging
import resource
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from starlette.requests import Request

from workshop import security, settings
from workshop.errors import Busy, QuotaReached
from workshop.i18n import N_, _

log = logging.getLogger(__name__)

PER_LINK = 4  # a person's page, a second tab and a spare; a projector and a preview
LOOPBACK = {"127.0.0.1", "::1"}

TOO_MANY_FOR_LINK = N_(
    "This link already has {limit} screens following the room: close one of its tabs "
    "(this one keeps up by asking every few seconds)."
)
TOO_MANY_FOR_ADDRESS = N_(
    "Too many screens from your network are following the room: this one keeps up by asking "
    "every few seconds."
)
TOO_MANY_IN_ALL = N_(
    "The server is following as many screens as it can: this one keeps up by asking every few seconds."
)


def client(request: Request) -> str:
    """The request's client address (settings.client_address): the connection's peer, this
    machine's own as "local", or behind a trusted proxy the address it forwards for."""
    peer = settings.normal_address(request.client.host) if request.client else None
    return settings.client_address(
        None if peer in LOOPBACK else peer,
        request.headers.get("x-forwarded-for"),
        settings.trusted_proxies(),
    )


class PerMinute:
    """At most `most` events a minute for each key (a client address), counted over the last
    sixty seconds; in memory, per process; `clock` is injectable for tests."""

    def __init__(self, most: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.most, self._clock = most, clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Count one event of `key` and answer 0, or answer the seconds before it may have one
        (counting nothing)."""
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= now - 60.0:
                seen.popleft()
            if len(seen) >= self.most:
                return seen[0] + 60.0 - now
            seen.append(now)
            if len(self._seen) > 10_000:  # forget the keys that have gone quiet
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - 60.0}
            return 0.0


@dataclass
class StreamLimits:
    """Open streams counted by link (the token's hash), by client address and in all."""

    per_link: int = PER_LINK
    per_address: int = 1000
    in_all: int = 3000

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._links: Counter[str] = Counter()
        self._addresses: Counter[str] = Counter()
        self._open = 0

    def refusal(self, link: str, address: str) -> Exception | None:
        """Why one more stream for this link from this address is refused, or None."""
        if self._links[link] >= self.per_link:
            return QuotaReached(_(TOO_MANY_FOR_LINK).format(limit=self.per_link))
        if self._addresses[address] >= self.per_address:
            return QuotaReached(_(TOO_MANY_FOR_ADDRESS))
        if self._open >= self.in_all:
            return Busy(_(TOO_MANY_IN_ALL))
        return None

    def check(self, token: str, address: str) -> None:
        """Raise the refusal (QuotaReached: 429, Busy: 503) if one more would be too many."""
        with self._lock:
            refusal = self.refusal(security.hash_token(token), address)
        if refusal is not None:
            raise refusal

    @contextmanager
    def held(self, token: str, address: str) -> Iterator[Exception | None]:
        """Count a stream for as long as the block runs; yields the refusal instead (and
        counts nothing) when it would be one too many."""
        link = security.hash_token(token)
        with self._lock:
            refusal = self.refusal(link, address)
            if refusal is None:
                self._links[link] += 1
                self._addresses[address] += 1
                self._open += 1
        if refusal is not None:
            yield refusal
            return
        try:
            yield None
        finally:
            with self._lock:
                self._links[link] -= 1
                self._addresses[address] -= 1
                self._open -= 1
                if not self._links[link]:
                    del self._links[link]
                if not self._addresses[address]:
                    del self._addresses[address]

    def open_now(self) -> int:
        return self._open


def from_settings() -> StreamLimits:
    """The limits of COCREATE_STREAMS_PER_ADDRESS and COCREATE_MAX_STREAMS, the latter kept
    to a third of the open files this process may hold (each tab also holds its page's
    websocket)."""
    files = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    in_all = settings.max_streams()
    if files != resource.RLIM_INFINITY:
        in_all = max(1, min(in_all, files // 3))
    return StreamLimits(per_address=settings.streams_per_address(), in_all=in_all)


def raise_open_files_limit() -> int:
    """Raise this process's limit of open files to the most the system allows; the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError) as exc:
            log.warning("Could not raise the limit of open files from %s: %s", soft, exc)
    return soft


streams = StreamLimits()  # replaced by from_settings() when the server starts (web.lifespan)
