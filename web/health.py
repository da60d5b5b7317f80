"""What the people who host Cocreate ask of it: is the process up (GET /healthz), can it serve
(GET /readyz: the database answers within READY_SECONDS and its schema is current), and its
figures for Prometheus (GET /metrics, with the organisation key or the scraper's metrics
token as a bearer token, checked and throttled as every key)."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from web import limits
from workshop import actions, metrics, settings
from workshop.database import current_database
from workshop.errors import AccessDenied, CocreateError, TooManyGuesses
from workshop.migrations import LATEST

READY_SECONDS = 1.5
NO_STORE = {"Cache-Control": "no-store"}
# One look at the database at a time, on a thread of its own: a database that hangs holds this
# one thread, never the threads the participants' requests run on.
_looking = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cocreate-ready")
_look: Future[Any] | None = None


async def healthz(request: Request) -> Response:
    """`GET /healthz`: 200 while the process answers at all."""
    return JSONResponse({"status": "up"}, headers=NO_STORE)


def _schema_version() -> int:
    return current_database().store.schema_version()


async def readyz(request: Request) -> Response:
    """`GET /readyz`: 200 when the database answers a query within READY_SECONDS and its
    schema is the one this code expects; 503 saying why otherwise (a proxy or an orchestrator
    sends no one here until it answers 200 again, with no restart)."""
    global _look
    if _look is None or _look.done():
        _look = _looking.submit(_schema_version)
    try:
        version = await asyncio.wait_for(asyncio.wrap_future(_look), READY_SECONDS)
    except TimeoutError:
        return _not_ready(f"the database did not answer within {READY_SECONDS} s")
    except CocreateError as exc:
        return _not_ready(exc.message)
    except Exception as exc:  # the driver's own error: the database is away
        return _not_ready(f"the database cannot be reached ({type(exc).__name__})")
    if version != LATEST:
        return _not_ready(f"the database's schema is version {version}; this code expects {LATEST}")
    return JSONResponse({"status": "ready", "schema": version}, headers=NO_STORE)


def _not_ready(reason: str) -> Response:
    return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503, headers=NO_STORE)


def _bearer(request: Request) -> str:
    scheme, _space, sent = request.headers.get("authorization", "").partition(" ")
    return sent.strip() if scheme.lower() == "bearer" else ""


def organisation_refusal(request: Request, via: str) -> Response | None:
    """None when the request sends the organisation key (`Authorization: Bearer …`), checked
    and throttled as everywhere (actions.check_organisation_key); else the answer: 404 when
    the server has none configured, 429 while the client (or everyone) must wait, 401 for a
    wrong key. /metrics also takes the scraper's COCREATE_METRICS_TOKEN."""
    key = settings.get("COCREATE_ADMIN_KEY")
    token = settings.get("COCREATE_METRICS_TOKEN") if via == "metrics" else None
    if not key and not token:
        return PlainTextResponse("This needs an organisation key (COCREATE_ADMIN_KEY).\n", status_code=404)
    try:
        if via == "metrics":
            actions.check_scraper(_bearer(request), key, token, source=limits.client(request))
        else:
            actions.check_organisation_key(_bearer(request), key, source=limits.client(request), via=via)
    except TooManyGuesses as exc:
        return PlainTextResponse(
            f"Too many wrong keys. Wait {exc.wait} seconds, then try again.\n",
            status_code=429,
            headers={"Retry-After": str(exc.wait), **NO_STORE},
        )
    except AccessDenied:
        return PlainTextResponse(
            "Send the organisation key: Authorization: Bearer <key>.\n",
            status_code=401,
            headers={"WWW-Authenticate": "Bearer", **NO_STORE},
        )
    return None


async def metrics_text(request: Request) -> Response:
    """`GET /metrics`: every figure in Prometheus' text format, for a scraper that sends the
    organisation key (`Authorization: Bearer …`); 404 when the server has none configured."""
    refused = organisation_refusal(request, "metrics")
    if refused is not None:
        return refused
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE, headers=NO_STORE)
