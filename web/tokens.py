"""Whose a request is: the participant link's token (or the presenter link's) in a header,
resolved to a participant (or a workshop). A participant token's owner is kept in memory
until a participant of the workshop may have been removed (Store.people_seen; a move of the
room is not such a change): then it is looked up again, so a removed participant's link is
refused at once.
A presenter token is looked up on every request: a new presenter link ends the old one at
once, and a workshop has a projector or two, whose screens mostly come on their stream."""

from __future__ import annotations

import threading
from typing import Any

from cachetools import TTLCache
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from web.paths import PARTICIPANT_HEADER, PRESENTER_HEADER
from web.requests import speak_as_asked
from workshop import actions, security
from workshop.errors import InvalidLink
from workshop.i18n import N_, _
from workshop.model import Participant
from workshop.store import Store

KEPT_SECONDS = 600.0
KEPT = 20_000  # tokens kept at most (about 300 bytes each)
REPLACED = N_(
    "This presenter link was replaced by a new one. "
    "Open Facilitate and use 'Presenter link' to get the current one."
)

# (store, token hash) -> (the participant, the workshop's settings version they were looked up at)
_known: TTLCache[Any, Any] = TTLCache(maxsize=KEPT, ttl=KEPT_SECONDS)
_lock = threading.Lock()


async def participant(request: Request, store: Store) -> Participant:
    """The participant whose link token the request carries; raises InvalidLink. What the
    request is answered is in the language it asks for (the page's, sent by its component)."""
    speak_as_asked(request)
    found = await participant_of(store, request.headers.get(PARTICIPANT_HEADER, ""))
    request.state.workshop = found.workshop_id  # for the request's log line (web.observed)
    return found


async def participant_of(store: Store, token: str) -> Participant:
    """The participant of a participant link's token; raises InvalidLink."""
    if not token:
        raise InvalidLink(_("Open this workshop from your participant link."))
    key = (store, security.hash_token(token))
    with _lock:
        found: tuple[Participant, int] | None = _known.get(key)
    if found is not None and store.people_seen(found[0].workshop_id) == found[1]:
        return found[0]
    found = await run_in_threadpool(_look_up, store, token)  # the database is never read on the event loop
    with _lock:
        _known[key] = found
    return found[0]


def _look_up(store: Store, token: str) -> tuple[Participant, int]:
    # The owner, the workshop's version, the owner again (kept by the store, no second read):
    # a removal before the version was read is seen now; after it, it moves the version.
    owner = actions.resume(store, token)
    seen = store.people_seen(owner.workshop_id)
    return actions.resume(store, token), seen


async def still_participating(store: Store, token: str) -> str | None:
    """None while the participant link still opens the room; else why not (the facilitator
    removed its participant)."""
    try:
        await participant_of(store, token)
    except InvalidLink as refused:
        return refused.message
    return None


async def presented(request: Request, store: Store) -> int:
    """The id of the workshop whose presenter link's token the request carries; raises InvalidLink."""
    token = request.headers.get(PRESENTER_HEADER, "")
    if not token:
        raise InvalidLink(_("Open this screen from the presenter link (Facilitate, 'Presenter link')."))
    return await _presented_id(store, token)


async def still_presented(store: Store, token: str, workshop_id: int) -> str | None:
    """None while the presenter token still shows the workshop; else why not (a newer link replaced it)."""
    try:
        return None if await _presented_id(store, token) == workshop_id else _(REPLACED)
    except InvalidLink:
        return _(REPLACED)


async def _presented_id(store: Store, token: str) -> int:
    return await run_in_threadpool(lambda: actions.presented_workshop(store, token).id)
