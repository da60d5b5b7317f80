"""What open screens follow without asking: the room's status for participants' tabs and
the projector's screen, each as a stream of server-sent events.

A feed is read once for every tab of a workshop that listens to this process (every
FRESH_FOR seconds while anyone listens) and published to all of them when it is worth it.
Another process's writes reach it with that read, so replicas need nothing more.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from web import limits
from workshop import i18n, metrics, screens, views
from workshop.database import Database
from workshop.errors import CocreateError, StoreUnavailable
from workshop.i18n import N_, _

log = logging.getLogger(__name__)
FRESH_FOR = 0.5  # seconds a read status is served to every tab of the room
# The projector looks at the workshop's data version this often (a number kept in memory,
# or read at most every SharedVersions.TTL with replicas) and sends a change at once; what
# arrives within PRESENT_EVERY of the last screen sent waits for the next, so a room voting
# at once gets a screen every quarter of a second, not one per dot.
PRESENT_LOOKS_EVERY = 0.1
PRESENT_EVERY = 0.25
ROOM_LOOKS_EVERY = 0.1  # the room's feed looks at its versions this often (RoomFeed)
RESTARTING = N_("Cocreate is restarting: this screen carries on by itself in a few seconds.")
KEEP_ALIVE = 15.0  # seconds between writes on a quiet stream (proxies close silent ones)

# When read, the room's status, when its timer ends, how many have joined, the settings version.
Status = tuple[float, dict[str, Any], datetime | None, int, int]
# The data version, the projector's view (JSON) for it, when the timer ends, the removal version.
PresentView = tuple[int, bytes, datetime | None, int, float | None]  # … removal, redo_at

_closing: asyncio.Future[Any] | None = None  # resolved when the server stops: every stream ends
_statuses: dict[tuple[int, int], Status] = {}  # (id of the store, workshop id) -> its status as last read
_feeds: dict[tuple[type, int, int], Feed] = {}  # (kind, id of the store, workshop id) -> its feed


def event(message: bytes) -> bytes:
    return b"data: " + message + b"\n\n"


async def room_status(db: Database, workshop_id: int, fresh: bool = False) -> Status:
    """The room's status, read at most FRESH_FOR seconds ago, or now when `fresh` (raises
    WorkshopNotFound)."""
    kept = _statuses.get((id(db.store), workshop_id))
    if fresh or kept is None or time.monotonic() - kept[0] > FRESH_FOR:
        kept = await run_in_threadpool(_read_status, db, workshop_id)
    return kept


def _read_status(db: Database, workshop_id: int) -> Status:
    settings = db.store.settings_version(workshop_id)  # first: a change meanwhile shows next time
    status, ends_at, joined = views.read_room_status(db.store, db.live, workshop_id)
    kept = (time.monotonic(), status, ends_at, joined, settings)
    _statuses[(id(db.store), workshop_id)] = kept
    return kept


def timed(db: Database, kept: Status) -> dict[str, Any]:
    """A kept status with its timer counted down to now."""
    _, status, ends_at, _, _ = kept
    if ends_at is not None:
        status = {**status, "ends_in": views.seconds_left(db.store, ends_at)}
    return status


async def present_view(db: Database, workshop_id: int) -> PresentView:
    return await run_in_threadpool(_read_present_view, db, workshop_id)


def _read_present_view(db: Database, workshop_id: int) -> PresentView:
    # Versions first: a write during the reading is published next time.
    version, removal = db.store.version(workshop_id), db.store.removal_version(workshop_id)
    # The projector speaks the workshop's language, whoever opened it.
    workshop = db.store.workshop(workshop_id)
    with i18n.using(workshop.language if workshop else i18n.ENGLISH):
        view, ends_at, redo_at = screens.projector_view(db.store, db.live, workshop_id)
    return version, view.encode(), ends_at, removal, redo_at


def present_message(db: Database, kept: PresentView) -> bytes:
    """`{"ends_in": seconds, "view": the projector's view}`."""
    _, view, ends_at, _, _ = kept
    ends_in = json.dumps(views.seconds_left(db.store, ends_at)).encode()
    return b'{"ends_in": ' + ends_in + b', "view": ' + view + b"}"


class Feed:
    """Something every listening tab of a workshop follows, read once for all of them."""

    looks_every = FRESH_FOR  # seconds between reads while anyone listens

    def __init__(self, db: Database, workshop_id: int) -> None:
        self.db, self.workshop_id = db, workshop_id
        self.listeners = 0
        self.kept: Any = None  # as published last
        self.version = 0  # publications so far
        self.published_at = 0.0
        self.error: CocreateError | None = None
        self.changed: asyncio.Future[Any] | None = None  # resolved at the next publication
        self.task: asyncio.Task[Any] | None = None
        self.written: tuple[int, bytes] | None = None  # (version, event): one event for all listeners

    async def read(self) -> Any:
        """What the listeners follow, as it is now (raises the store's refusal)."""
        raise NotImplementedError

    def versions(self) -> tuple[int, int, int]:
        """The workshop's settings, removal and data versions: numbers kept in memory, or
        read at most every SharedVersions.TTL with replicas (on a worker thread)."""
        store, workshop = self.db.store, self.workshop_id
        return store.settings_version(workshop), store.removal_version(workshop), store.version(workshop)

    def worth(self, kept: Any) -> bool:
        """Whether `kept`, just read, is worth publishing over what was published last."""
        raise NotImplementedError

    def body(self, kept: Any) -> bytes:
        """The event that carries `kept`."""
        raise NotImplementedError

    async def now(self) -> bytes:
        """The event a new listener starts with (raises the store's refusal)."""
        kept = await self.read()
        if self.kept is None:
            self.kept = kept
        return self.body(kept)

    def join(self) -> asyncio.Future[Any]:
        """Listen: the future the next publication resolves."""
        self.listeners += 1
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._follow())
        return self.next_change()

    def leave(self) -> None:
        self.listeners -= 1

    def next_change(self) -> asyncio.Future[Any]:
        if self.changed is None or self.changed.done():
            self.changed = asyncio.get_running_loop().create_future()
        return self.changed

    def event(self) -> bytes:
        """What the listeners write after a publication (made once for all of them)."""
        if self.written is None or self.written[0] != self.version:
            if self.error is not None:
                self.written = (self.version, event(json.dumps({"error": self.error.message}).encode()))
            else:
                self.written = (self.version, self.body(self.kept))
        return self.written[1]

    async def _follow(self) -> None:
        try:
            while self.listeners > 0:
                # a poll: another process's writes announce themselves only in the database
                await asyncio.sleep(self.looks_every)
                try:
                    kept = await self.read()
                except CocreateError as exc:
                    if self.error is None:  # said once
                        self.error = exc
                        self._publish()
                    continue
                except Exception:  # the room must go on being followed; the log says what failed
                    log.exception("Reading %s of workshop %s failed", type(self).__name__, self.workshop_id)
                    continue
                if self.error is not None or self.kept is None or self.worth(kept):
                    self.error, self.kept = None, kept
                    self._publish()
        finally:
            self.task, self.kept = None, None

    def _publish(self) -> None:
        self.version += 1
        self.published_at = time.monotonic()
        if self.changed is not None and not self.changed.done():
            self.changed.set_result(None)


class RoomFeed(Feed):
    """A room's status for its participants' tabs: published at once when the phase, the
    reveal, the timer or what the facilitator hid or merged changed, or another setting
    (a participant removed: each stream checks its link again); when people only added,
    answered or voted (the data version moved), at most every `views.check_seconds` (a big
    room adds several statements a second). It looks at the workshop's versions every
    ROOM_LOOKS_EVERY seconds (numbers kept in memory, or read at most every
    SharedVersions.TTL with replicas) and reads the status only when they moved: at once
    after the facilitator changed or took something away, else as every tab reads it."""

    looks_every = ROOM_LOOKS_EVERY
    looked: tuple[int, int] | None = None  # the settings and removal versions last looked at

    async def read(self) -> Status:
        settings, removal, version = await run_in_threadpool(self.versions)
        kept = self.kept
        if kept is not None and (settings, removal) == self.looked and version == kept[1]["version"]:
            return kept  # nothing moved since the status published last
        fresh = (settings, removal) != self.looked
        self.looked = (settings, removal)
        return await room_status(self.db, self.workshop_id, fresh=fresh)

    def body(self, kept: Status) -> bytes:
        return event(json.dumps(timed(self.db, kept)).encode())

    def worth(self, kept: Status) -> bool:
        (_, was, was_ends, _, was_settings), (_, now, ends, joined, settings) = self.kept, kept
        if (was["phase"], was["revealed"], was["moderated"], was_ends, was_settings) != (
            now["phase"],
            now["revealed"],
            now["moderated"],
            ends,
            settings,
        ):
            return True
        if was["version"] == now["version"]:
            return False
        return time.monotonic() - self.published_at >= views.check_seconds(joined)


class PresentFeed(Feed):
    """A workshop's projector screen for every projector showing it: published as soon as the
    workshop changed (within PRESENT_LOOKS_EVERY), at once when the facilitator changed it or
    took something away (the removal version), and at most every PRESENT_EVERY seconds while
    people only add; and when the screen went out of date with no change (its key terms,
    made again once the room is quiet)."""

    looks_every = PRESENT_LOOKS_EVERY

    async def read(self) -> PresentView:
        kept = self.kept
        if kept is not None:
            _settings, removal, version = await run_in_threadpool(self.versions)
            redo_at = kept[4]
            if version == kept[0] and (redo_at is None or self.db.live.clock() < redo_at):
                return kept
            if removal == kept[3] and time.monotonic() - self.published_at < PRESENT_EVERY:
                return kept
        fresh = await present_view(self.db, self.workshop_id)
        if kept is not None and fresh[:2] == kept[:2]:
            self.kept = fresh  # the same screen made again: only when it goes out of date moved
        return fresh

    def body(self, kept: PresentView) -> bytes:
        return event(present_message(self.db, kept))

    def worth(self, kept: PresentView) -> bool:
        return kept[0] != self.kept[0] or kept[1] != self.kept[1]


def open_streams() -> None:
    """Streams may be opened (the server started, on this event loop)."""
    global _closing
    _closing = asyncio.get_running_loop().create_future()


def close_streams() -> None:
    """The server is stopping: every open stream ends now, so that the server's wait for its
    connections to close ends too, and no new one opens (the tabs come back to the next
    process by themselves)."""
    if _closing is not None and not _closing.done():
        _closing.set_result(None)


def _closed() -> asyncio.Future[Any]:
    if _closing is None:
        open_streams()
    assert _closing is not None
    return _closing


def feed(kind: type[Feed], db: Database, workshop_id: int) -> Feed:
    """The one feed of `kind` for the workshop, shared by every tab that listens."""
    key = (kind, id(db.store), workshop_id)
    found = _feeds.get(key)
    if found is None or found.db is not db:
        found = _feeds[key] = kind(db, workshop_id)
    return found


async def stream(
    kind: type[Feed],
    db: Database,
    workshop_id: int,
    holder: tuple[str, str],
    still_allowed: Callable[[], Awaitable[str | None]] | None = None,
) -> StreamingResponse:
    """The response of an events route: the feed's event now, then each publication, a
    comment every KEEP_ALIVE seconds of quiet, until the browser goes away or the server stops. Raises the
    store's refusal before anything is sent, StoreUnavailable once the server stops, and
    the refusal of limits.streams when the link (`holder`: its token, the client's address)
    has as many streams open as it may. With `still_allowed`, the link is checked again after
    each publication and each quiet spell: once it answers why the link no longer opens
    the room (a new presenter link replaced it, the facilitator removed the participant:
    both publish at once), the stream says so and ends."""
    closed = _closed()
    if closed.done():
        raise StoreUnavailable(_(RESTARTING))
    limits.streams.check(*holder)
    followed = feed(kind, db, workshop_id)
    first, version = await followed.now(), followed.version

    async def events() -> AsyncIterator[bytes]:
        with limits.streams.held(*holder) as refusal:
            if refusal is not None:  # others opened theirs since the check: said once, like any refusal
                yield event(json.dumps({"error": str(refusal)}).encode())
                return
            changed = followed.join()
            open_now = metrics.STREAMS.labels(STREAM_KINDS.get(kind, kind.__name__))
            open_now.inc()
            try:
                yield first if followed.version == version else followed.event()
                while True:
                    done, _pending = await asyncio.wait(
                        (changed, closed), timeout=KEEP_ALIVE, return_when=asyncio.FIRST_COMPLETED
                    )
                    if closed.done():
                        return
                    why = None if still_allowed is None else await still_allowed()
                    if why is not None:  # `ended`: the screen stops asking
                        yield event(json.dumps({"error": why, "ended": True}).encode())
                        return
                    if done:
                        changed = followed.next_change()
                        yield followed.event()
                    else:
                        yield b": still here\n\n"
            finally:
                open_now.dec()
                followed.leave()

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


STREAM_KINDS = {RoomFeed: "room", PresentFeed: "present"}  # the label of each kind of stream in metrics
