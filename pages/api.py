"""The requests a participant's screen makes beside its page: `GET api/room/events` and
`GET api/room` (the room watch, pages/room_watch.py), `POST api/dots` (the vote board,
pages/vote_board.py), `POST api/share` (the share board, pages/share_board.py), `GET`/`POST
api/react` (the card of others' statements, pages/react_card.py), `POST api/propose` (the
propose board, pages/propose_board.py) and `POST api/back` (the back board,
pages/back_board.py); and the projector's: `GET api/present/events`, `GET api/present`
and `GET api/present/plotly.js` (pages/projector.py).

`serve.py` puts `ParticipantApi` in front of the app. Each request carries the
participant's link token in the `X-Cocreate-Participant` header (a projector's, the presenter
link's in `X-Cocreate-Presenter`): the same right as opening the page, and the token stays
out of request lines and logs. A POST with that header
and a JSON body cannot come from another site's page without a CORS preflight, which is
never granted here.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from pages import back_board, projector, propose_board, react_card, room_watch, share_board, vote_board
from workshop import actions, security
from workshop.errors import (
    BadRequest,
    Busy,
    CocreateError,
    InvalidLink,
    StoreUnavailable,
    WorkshopNotFound,
)
from workshop.live import LiveCache
from workshop.model import Participant
from workshop.store import Store

log = logging.getLogger(__name__)
HEADER = room_watch.HEADER
FRESH_FOR = 0.5  # seconds a computed room status is served to every tab of the room
PRESENT_EVERY = 1.0  # seconds at least between projector screens while people only add
KEEP_ALIVE = 15.0  # seconds between writes on a quiet status stream (proxies close silent ones)
TOKEN_TRUST = 60.0  # seconds a token's participant is remembered without reading it again
KEPT_TOKENS = 20_000
# Bytes of a POST body: a statement of 500 characters, each escaped by JSON as six (a dot's is about 20).
BODY_LIMIT = 4096

# (store, token hash) -> (participant, or the presented workshop's id; when read)
_tokens: OrderedDict[tuple[Store, str], tuple[Participant | int, float]] = OrderedDict()
# When read, the room's status, when its timer ends, how many have joined.
Status = tuple[float, dict, datetime | None, int]
# The data version, the projector's view (JSON) for it, when the timer ends, the removal version.
PresentView = tuple[int, bytes, datetime | None, int]
# (store, workshop id) -> its status as last read
_statuses: dict[tuple[Store, int], Status] = {}
_lock = threading.Lock()
# (kind of feed, store, workshop id) -> the feed its tabs listen to
_feeds: dict[tuple[type, Store, int], Feed] = {}
_plotly_js: dict[bool, bytes] = {}  # gzipped or not -> Plotly.js as sent


class ParticipantApi:
    """ASGI middleware that answers the participant screens' requests itself. As routes of
    the Streamlit app they would pass through Streamlit's own middleware (path checks,
    sessions, gzip) and router first, more than the answer itself costs; every other
    request goes on to the app unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = _route(scope) if scope["type"] == "http" else None
        if route is None:
            await self.app(scope, receive, send)
            return
        methods, handler = route
        if scope["method"] not in methods:
            response = _reply({"error": f"Only {' or '.join(methods)} is answered here."}, 405)
        else:
            response = await handler(Request(scope, receive))
        await response(scope, receive, send)


def _route(scope: Scope) -> tuple[tuple[str, ...], Callable[[Request], Awaitable[Response]]] | None:
    path = scope["path"]
    if path.endswith(projector.EVENTS):
        return ("GET",), present_events
    if path.endswith(projector.PLOTLY):
        return ("GET", "HEAD"), plotly_js
    if path.endswith(projector.ROUTE):
        return ("GET", "HEAD"), present
    if path.endswith(room_watch.EVENTS):
        return ("GET",), room_events
    if path.endswith(room_watch.ROUTE):
        return ("GET", "HEAD"), room_status
    if path.endswith(vote_board.ROUTE):
        return ("POST",), dots
    if path.endswith(share_board.ROUTE):
        return ("POST",), share
    if path.endswith(react_card.ROUTE):
        return ("GET", "POST"), react
    if path.endswith(back_board.ROUTE):
        return ("POST",), back
    if path.endswith(propose_board.ROUTE):
        return ("POST",), propose
    return None


async def room_status(request: Request) -> Response:
    """`GET api/room`: the room's status as JSON, once (a tab whose stream could not be
    opened asks, every few seconds). The answer comes from memory: whose a token is is
    remembered for a minute, the room's status for half a second. Only when one of them
    must be read does the request go to a worker thread (the database is never read on the
    event loop that carries every tab's websocket)."""
    try:
        participant = await _participant(request)
        store, live = _opened()
        kept = await _fresh_status(store, live, participant.workshop_id)
    except CocreateError as exc:
        return _refused(exc)
    return _reply(_timed(store, kept), 200)


async def room_events(request: Request) -> Response | _Stream:
    """`GET api/room/events`: the room's status as a stream of server-sent events, one
    `data: {json}` block now and one whenever the room moves or, every few seconds, when
    only its counts changed (see RoomFeed). Refusals are answered as by `api/room`."""
    try:
        participant = await _participant(request)
        store, live = _opened()
        feed = _feed(RoomFeed, store, live, participant.workshop_id)
        first = await feed.now()
    except CocreateError as exc:
        return _refused(exc)
    return _Stream(feed, first)


async def present(request: Request) -> Response:
    """`GET api/present`: the projector's screen once, as `{"ends_in", "view"}` (a
    projector whose stream could not be opened asks, every few seconds)."""
    try:
        workshop_id = await _presented(request)
        store, live = _opened()
        kept = await _present_view(store, live, workshop_id)
    except CocreateError as exc:
        return _refused(exc)
    return Response(_present_message(store, kept), 200, media_type="application/json",
                    headers={"Cache-Control": "no-store"})  # fmt: skip


async def present_events(request: Request) -> Response | _Stream:
    """`GET api/present/events`: the projector's screen as server-sent events, now and
    whenever the workshop's data changed (see PresentFeed)."""
    try:
        workshop_id = await _presented(request)
        store, live = _opened()
        feed = _feed(PresentFeed, store, live, workshop_id)
        first = await feed.now()
    except CocreateError as exc:
        return _refused(exc)
    return _Stream(feed, first)


async def plotly_js(request: Request) -> Response:
    """`GET api/present/plotly.js`: the Plotly.js of the installed plotly package, which
    the projector draws its charts with (gzipped when the browser takes it: 4.8 MB as it
    is). Its address carries the version, so a browser keeps it."""
    gzipped = "gzip" in request.headers.get("accept-encoding", "")
    body = _plotly_js.get(gzipped)
    if body is None:
        body = await run_in_threadpool(_read_plotly_js, gzipped)
    headers = {"Cache-Control": "public, max-age=31536000, immutable", "Vary": "Accept-Encoding"}
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return Response(
        body if request.method == "GET" else b"", 200, media_type="text/javascript", headers=headers
    )


def _read_plotly_js(gzipped: bool) -> bytes:
    body = projector.PLOTLY_JS.read_bytes()
    return _plotly_js.setdefault(gzipped, gzip.compress(body, 6) if gzipped else body)


def _feed(kind: type[Feed], store: Store, live: LiveCache, workshop_id: int) -> Feed:
    key = (kind, store, workshop_id)
    return _feeds.get(key) or _feeds.setdefault(key, kind(store, live, workshop_id))


class Feed:
    """Something every tab of a workshop that listens to this process follows, read once
    for all of them: while anyone listens, `read()` every FRESH_FOR seconds, and published
    to every listener when `worth` says so. Another process's writes reach it with that
    read, so replicas need nothing more."""

    def __init__(self, store: Store, live: LiveCache, workshop_id: int) -> None:
        self.store, self.live, self.workshop_id = store, live, workshop_id
        self.listeners = 0
        self.kept: Any = None  # as published last
        self.version = 0  # publications so far
        self.published_at = 0.0
        self.error: CocreateError | None = None
        self.changed: asyncio.Future | None = None  # resolved at the next publication
        self.task: asyncio.Task | None = None
        self.written: tuple[int, bytes] | None = None  # (version, event): one JSON for all listeners

    async def read(self) -> Any:
        """What the listeners follow, as it is now (raises the store's refusal)."""
        raise NotImplementedError

    def worth(self, kept: Any) -> bool:
        """Whether `kept`, just read, is worth publishing over what was published last."""
        raise NotImplementedError

    def body(self, kept: Any) -> bytes:
        """The event that carries `kept`."""
        raise NotImplementedError

    async def now(self) -> bytes:
        """The event a new listener starts with: what is followed as it is now (raises the
        store's refusal, e.g. the workshop no longer exists)."""
        kept = await self.read()
        if self.kept is None:
            self.kept = kept
        return self.body(kept)

    def join(self) -> asyncio.Future:
        """Listen: the future the next publication resolves."""
        self.listeners += 1
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._follow())
        return self.next_change()

    def leave(self) -> None:
        self.listeners -= 1

    def next_change(self) -> asyncio.Future:
        if self.changed is None or self.changed.done():
            self.changed = asyncio.get_running_loop().create_future()
        return self.changed

    def event(self) -> bytes:
        """What the listeners write after a publication (made once for all of them)."""
        if self.written is None or self.written[0] != self.version:
            if self.error is not None:
                self.written = (self.version, _event({"error": self.error.message}))
            else:
                self.written = (self.version, self.body(self.kept))
        return self.written[1]

    async def _follow(self) -> None:
        try:
            while self.listeners > 0:
                await asyncio.sleep(FRESH_FOR)
                try:
                    kept = await self.read()
                except CocreateError as exc:
                    if self.error is None:  # said once; the pages then say it themselves
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
    """One room's status for its participants' tabs (the room watch, pages/room_watch.py),
    read as `api/room` reads it: published at once when the phase, the reveal or the timer
    changed; when only the counts of statements and needs did, at most every
    `room_watch.check_seconds` (a big room adds several a second)."""

    async def read(self) -> Status:
        return await _fresh_status(self.store, self.live, self.workshop_id)

    def body(self, kept: Status) -> bytes:
        return _event(_timed(self.store, kept))

    def worth(self, kept: Status) -> bool:
        (_, was, was_ends, _), (_, now, ends, joined) = self.kept, kept
        if (was["phase"], was["revealed"], was_ends) != (now["phase"], now["revealed"], ends):
            return True
        if (was["statements"], was["needs"]) == (now["statements"], now["needs"]):
            return False
        return time.monotonic() - self.published_at >= room_watch.check_seconds(joined)


class PresentFeed(Feed):
    """One workshop's projector screen for every projector showing it, the view made once
    per data version for all of them: published at once when the facilitator changed the
    workshop (phase, reveal, timer) or took something away (hide, merge, edit, withdrawal),
    and at most every PRESENT_EVERY seconds while people only add (a busy room changes the
    data several times a second, and a screen is several queries)."""

    async def read(self) -> PresentView:
        kept = self.kept
        if kept is not None:
            version, removal = await run_in_threadpool(self._versions)
            if version == kept[0]:
                return kept
            if removal == kept[3] and time.monotonic() - self.published_at < PRESENT_EVERY:
                return kept
        return await _present_view(self.store, self.live, self.workshop_id)

    def _versions(self) -> tuple[int, int]:
        return self.store.version(self.workshop_id), self.store.removal_version(self.workshop_id)

    def body(self, kept: PresentView) -> bytes:
        return b"data: " + _present_message(self.store, kept) + b"\n\n"

    def worth(self, kept: PresentView) -> bool:
        return kept[0] != self.kept[0]


class _Stream:
    """The response of `api/room/events` and `api/present/events`: the first event, then
    the feed's, until the browser goes away (a comment every KEEP_ALIVE seconds of quiet)."""

    def __init__(self, feed: Feed, first: bytes) -> None:
        self.feed, self.first, self.version = feed, first, feed.version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-store"),
                   (b"x-accel-buffering", b"no")]  # fmt: skip
        gone = asyncio.ensure_future(_disconnected(receive))
        changed = self.feed.join()
        try:
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            body = self.first if self.feed.version == self.version else self.feed.event()
            while True:
                await send({"type": "http.response.body", "body": body, "more_body": True})
                done, _ = await asyncio.wait((changed, gone), timeout=KEEP_ALIVE,
                                             return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
                if gone in done:
                    return
                if changed in done:
                    body = self.feed.event()
                    changed = self.feed.next_change()
                else:
                    body = b": still here\n\n"
        finally:
            gone.cancel()
            self.feed.leave()


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _event(status: dict) -> bytes:
    return b"data: " + json.dumps(status).encode() + b"\n\n"


async def dots(request: Request) -> Response:
    """`POST api/dots` with `{"need": id, "change": 1 or -1}`: place or take back one dot.
    Answers what the person's board shows then (`used`, `mine`, and `dots`, the need's
    total, when totals are visible), or the store's refusal as `error`."""
    return await _click(request, vote_board.parse_change, vote_board.change_dot)


async def share(request: Request) -> Response:
    """`POST api/share` with `{"do": "share", "theme": id, "text": …}`, `{"do": "edit",
    "statement": id, "text": …}` or `{"do": "withdraw", "statement": id}`. Answers the
    person's statements then (`mine`) and what to confirm (`done`), or the refusal as `error`."""
    return await _click(request, share_board.parse_writing, share_board.write)


async def react(request: Request) -> Response:
    """`POST api/react` with `{"statement": id, "kind": "agree" | "disagree" | "pass"}`:
    store the answer; `GET api/react`: only look. Answers the next card to show (`card`,
    or null when every statement is answered, and `waiting`), or the refusal as `error`."""
    return await _click(request, react_card.parse_answer, react_card.answer)


async def propose(request: Request) -> Response:
    """`POST api/propose` with `{"do": "propose", "theme": id, "text": …}`, `{"do": "edit",
    "need": id, "theme": id, "text": …}` or `{"do": "withdraw", "need": id}`. Answers the
    person's proposals then (`mine`) and what to confirm (`done`), or the refusal as `error`."""
    return await _click(request, propose_board.parse_writing, propose_board.write)


async def back(request: Request) -> Response:
    """`POST api/back` with `{"need": id, "backed": true | false}`: back a need ("Me too")
    or take the backing back. Answers `backed` and the need's `backers`, or `error`."""
    return await _click(request, back_board.parse_backing, back_board.set_backing)


async def _click(request: Request, parse: Callable[[bytes], tuple], act: Callable[..., dict]) -> Response:
    """A click a component sends: whose (the token), what (`parse` of a POST's body; a GET
    sends nothing), then `act(store, live, participant, *what)` in a worker thread."""
    try:
        participant = await _participant(request)
        what = parse(await _body(request)) if request.method == "POST" else (None, None)
        store, live = _opened()
        answer = await run_in_threadpool(act, store, live, participant, *what)
    except CocreateError as exc:
        return _refused(exc)
    return _reply(answer, 200)


async def _body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_LIMIT:
            raise BadRequest("That request is too long: reload the page and try again.")
    return body


async def _participant(request: Request) -> Participant:
    token = request.headers.get(HEADER, "")
    if not token:
        raise InvalidLink("Open this workshop from your participant link.")
    store = _opened()[0]
    digest = (store, security.hash_token(token))
    known = _tokens.get(digest)
    if known is None or time.monotonic() - known[1] > TOKEN_TRUST:
        return await run_in_threadpool(_look_up, store, token, digest)
    assert isinstance(known[0], Participant)
    return known[0]


async def _presented(request: Request) -> int:
    """The id of the workshop whose presenter link's token the request carries."""
    token = request.headers.get(projector.HEADER, "")
    if not token:
        raise InvalidLink("Open this screen from the presenter link (Facilitate, 'Presenter link').")
    store = _opened()[0]
    digest = (store, "present:" + security.hash_token(token))
    known = _tokens.get(digest)
    if known is None or time.monotonic() - known[1] > TOKEN_TRUST:
        return await run_in_threadpool(_look_up_presenter, store, token, digest)
    assert isinstance(known[0], int)
    return known[0]


def _look_up_presenter(store: Store, token: str, digest: tuple[Store, str]) -> int:
    workshop_id = actions.presented_workshop(store, token).id
    _remember(digest, workshop_id)
    return workshop_id


async def _present_view(store: Store, live: LiveCache, workshop_id: int) -> PresentView:
    return await run_in_threadpool(_read_present_view, store, live, workshop_id)


def _read_present_view(store: Store, live: LiveCache, workshop_id: int) -> PresentView:
    # Read first: a write during the reading is published next time.
    version, removal = store.version(workshop_id), store.removal_version(workshop_id)
    try:
        view, ends_at = projector.current(store, live, workshop_id)
    except KeyError:
        raise WorkshopNotFound("This workshop no longer exists.") from None
    return version, view.encode(), ends_at, removal


def _present_message(store: Store, kept: PresentView) -> bytes:
    _, view, ends_at, _ = kept
    return (
        b'{"ends_in": ' + json.dumps(projector.ends_in(store, ends_at)).encode() + b', "view": ' + view + b"}"
    )


def _opened() -> tuple[Store, LiveCache]:
    """The store and live cache the pages use (raises StoreUnavailable)."""
    from pages import ui

    return ui.opened()


def _look_up(store: Store, token: str, digest: tuple[Store, str]) -> Participant:
    """The participant whose link carries `token` (raises InvalidLink)."""
    participant = actions.resume(store, token)
    _remember(digest, participant)
    return participant


def _remember(digest: tuple[Store, str], whose: Participant | int) -> None:
    with _lock:
        _tokens[digest] = (whose, time.monotonic())
        _tokens.move_to_end(digest)
        while len(_tokens) > KEPT_TOKENS:
            _tokens.popitem(last=False)


async def _fresh_status(store: Store, live: LiveCache, workshop_id: int) -> Status:
    """The room's status, read at most FRESH_FOR seconds ago (the read in a worker thread:
    the database is never read on the event loop that carries every tab's websocket)."""
    kept = _statuses.get((store, workshop_id))
    if kept is None or time.monotonic() - kept[0] > FRESH_FOR:
        kept = await run_in_threadpool(_read_status, store, live, workshop_id)
    return kept


def _timed(store: Store, kept: Status) -> dict:
    """A kept status with its timer counted down to now."""
    _, status, ends_at, _ = kept
    if ends_at is not None:
        status = {**status, "ends_in": max(0, int((ends_at - store.now()).total_seconds()))}
    return status


def _read_status(store: Store, live: LiveCache, workshop_id: int) -> Status:
    status, ends_at = room_watch.read_status(store, live, workshop_id)
    kept = (time.monotonic(), status, ends_at, room_watch.room_counts(store, live, workshop_id)["joined"])
    _statuses[(store, workshop_id)] = kept
    return kept


def _refused(exc: CocreateError) -> Response:
    if isinstance(exc, (InvalidLink, WorkshopNotFound)):
        code = 404
    elif isinstance(exc, (StoreUnavailable, Busy)):
        code = 503
    elif isinstance(exc, BadRequest):
        code = 400
    else:
        code = 409  # the room's rules refused it (phase, budget, cap …)
    return _reply({"error": exc.message}, code)


def _reply(body: dict, code: int) -> Response:
    return Response(
        json.dumps(body), code, media_type="application/json", headers={"Cache-Control": "no-store"}
    )
