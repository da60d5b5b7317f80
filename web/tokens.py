"""Whose a request is: the participant link's token (or the presenter link's) in a header,
resolved to a participant (or a workshop). A participant token's owner is kept for
TRUST_SECONDS, so a screen's requests read the database only once a minute for it. A
presenter token is looked up on every request: a new presenter link ends the old one at
once, and a workshop has a projector or two, whose screens mostly come on their stream."""

from __future__ import annotations

import threading

from cachetools import TTLCache
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from web.paths import PARTICIPANT_HEADER, PRESENTER_HEADER
from workshop import actions, security
from workshop.errors import InvalidLink
from workshop.model import Participant
from workshop.store import Store

TRUST_SECONDS = 60.0
KEPT = 20_000  # tokens kept at most (about 300 bytes each)

# (store, "participant" or "presenter", token hash) -> the participant, or the presented workshop's id
_known: TTLCache = TTLCache(maxsize=KEPT, ttl=TRUST_SECONDS)
_lock = threading.Lock()


async def participant(request: Request, store: Store) -> Participant:
    """The participant whose link token the request carries; raises InvalidLink."""
    token = request.headers.get(PARTICIPANT_HEADER, "")
    if not token:
        raise InvalidLink("Open this workshop from your participant link.")
    return await _owner(store, "participant", token, lambda: actions.resume(store, token))


async def presented(request: Request, store: Store) -> int:
    """The id of the workshop whose presenter link's token the request carries; raises InvalidLink."""
    token = request.headers.get(PRESENTER_HEADER, "")
    if not token:
        raise InvalidLink("Open this screen from the presenter link (Facilitate, 'Presenter link').")
    return await _presented_id(store, token)


async def still_presented(store: Store, token: str, workshop_id: int) -> bool:
    """Whether the presenter token still shows the workshop (no newer link replaced it)."""
    try:
        return await _presented_id(store, token) == workshop_id
    except InvalidLink:
        return False


async def _presented_id(store: Store, token: str) -> int:
    return await run_in_threadpool(lambda: actions.presented_workshop(store, token).id)


async def _owner(store: Store, kind: str, token: str, look_up):
    key = (store, kind, security.hash_token(token))
    with _lock:
        found = _known.get(key)
    if found is None:
        found = await run_in_threadpool(look_up)  # the database is never read on the event loop
        with _lock:
            _known[key] = found
    return found
