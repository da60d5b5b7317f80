"""Reading a component's request and writing the answer: JSON bodies within a size limit,
their fields by type, and the store's refusals as HTTP status codes."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse

from workshop import i18n
from workshop.errors import (
    BadRequest,
    Busy,
    CocreateError,
    InvalidLink,
    QuotaReached,
    StoreUnavailable,
    WorkshopNotFound,
)
from workshop.i18n import N_, _

NOT_UNDERSTOOD = N_("That request was not understood: reload the page and try again.")
# Bytes of a POST body: a practice's title and description (80 and 1,000 characters), each
# character escaped by JSON as at most six (a dot's is about 20).
BODY_LIMIT = 8192
NO_STORE = {"Cache-Control": "no-store"}
BODY_SECONDS = 10.0  # a body must have come whole within this long
TOO_SLOW = N_("That request came too slowly: check your connection and try again.")


def speak_as_asked(request: Request) -> None:
    """Answer `request` in the language it asks for (the page's, sent by its component)."""
    i18n.activate(i18n.from_accept_language(request.headers.get("accept-language")))


async def json_body(request: Request) -> dict[str, Any]:
    """The request's body as a JSON object; BadRequest when it is too long, not one, or
    slower to come than BODY_SECONDS (a body of a few hundred bytes is sent at once)."""
    body = b""
    try:
        async with asyncio.timeout(BODY_SECONDS):
            async for chunk in request.stream():
                body += chunk
                if len(body) > BODY_LIMIT:
                    raise BodyRefused(_("That request is too long: reload the page and try again."))
    except ClientDisconnect:  # the browser went away mid-body: nobody reads the answer
        raise BadRequest(_(NOT_UNDERSTOOD)) from None
    except TimeoutError:
        raise BodyRefused(_(TOO_SLOW)) from None
    try:
        value = json.loads(body or b"null")
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise BadRequest(_(NOT_UNDERSTOOD))
    return value


def fields(value: dict[str, Any], **expected: type) -> tuple[Any, ...]:
    """The fields `expected` (name=type) of a request's JSON object; BadRequest when one is
    missing or of another type (a bool is not an int)."""
    found = tuple(value.get(name) for name in expected)
    if any(type(v) is not kind for v, kind in zip(found, expected.values(), strict=True)):
        raise BadRequest(_(NOT_UNDERSTOOD))
    return found


class BodyRefused(BadRequest):
    """A body refused before it was read to its end (too long, too slow): the answer closes
    the connection, so the server reads no more of it."""


def answer(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status, headers={**NO_STORE, **(headers or {})})


def refused(exc: CocreateError) -> JSONResponse:
    """The store's refusal as `{"error": message}` with the status code that fits it."""
    if isinstance(exc, (InvalidLink, WorkshopNotFound)):
        status = 404
    elif isinstance(exc, (StoreUnavailable, Busy)):
        status = 503
    elif isinstance(exc, QuotaReached):
        status = 429
    elif isinstance(exc, BadRequest):
        status = 400
    else:
        status = 409  # the room's rules refused it (phase, budget, cap …)
    return answer(
        {"error": exc.message}, status, {"Connection": "close"} if isinstance(exc, BodyRefused) else None
    )
