"""Cocreate's HTTP routes beside the Streamlit app: what the participants' boards and the
projector ask without a page run. Never imports streamlit; serve.py hands `routes` and
`lifespan` to st.App."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from web import assets, backups, feeds, health, limits, participants, paths, projector, scheduler
from web.headers import NoReferrer
from web.observed import Observed
from web.requests import answer
from web.stopping import on_stop_signals
from workshop import logs, settings
from workshop.database import close_databases, current_database
from workshop.errors import StoreUnavailable
from workshop.i18n import _

log = logging.getLogger(__name__)


def _api(path: str) -> str:
    return path.removeprefix(paths.API)


async def _http_refusal(request: Request, exc: Exception) -> JSONResponse:
    """A route not found or a method not answered, said as every answer of /api is: JSON."""
    assert isinstance(exc, HTTPException)
    message = {404: _("There is nothing here."), 405: _("That request is not answered here.")}.get(
        exc.status_code
    )
    return answer({"error": message or exc.detail}, exc.status_code)


# What the participants' screens and the projector ask, under /api: its own small Starlette
# application, so that a wrong method or path gets a JSON answer, not Streamlit's page.
api_routes = [
    Route(_api(paths.JOIN), participants.join, methods=["POST"]),
    Route(_api(paths.ROOM), participants.room, methods=["GET"]),
    Route(_api(paths.ROOM_EVENTS), participants.room_events, methods=["GET"]),
    Route(_api(paths.VIEW), participants.view, methods=["GET"]),
    Route(_api(paths.DOTS), participants.dots, methods=["POST"]),
    Route(_api(paths.SHARE), participants.share, methods=["POST"]),
    Route(_api(paths.REACT), participants.react, methods=["GET", "POST"]),
    Route(_api(paths.PROPOSE), participants.propose, methods=["POST"]),
    Route(_api(paths.BACK), participants.back, methods=["POST"]),
    Route(_api(paths.SIMILAR), participants.similar, methods=["POST"]),
    Route(_api(paths.PRACTICES), participants.practices, methods=["GET", "POST"]),
    Route(_api(paths.RATE), participants.rate, methods=["POST"]),
    Route(_api(paths.CHECKIN), participants.checkin, methods=["POST"]),
    Route(_api(paths.CALENDAR), participants.calendar, methods=["GET"]),
    Route(_api(paths.APP) + "/{version}/{name:path}", assets.app_file, methods=["GET"]),
    Route(_api(paths.PRESENT), projector.present, methods=["GET"]),
    Route(_api(paths.PRESENT_EVENTS), projector.present_events, methods=["GET"]),
    Route(_api(paths.PLOTLY_JS), projector.plotly_js, methods=["GET"]),
]
api = Starlette(
    routes=api_routes,
    exception_handlers={HTTPException: _http_refusal},
    middleware=[Middleware(Observed, routes=frozenset(paths.API + route.path for route in api_routes))],
)
# Around every answer of the server, pages and routes alike (st.App's middleware).
middleware = [Middleware(NoReferrer)]
routes = [
    Route("/healthz", health.healthz, methods=["GET"]),
    Route("/readyz", health.readyz, methods=["GET"]),
    Route("/metrics", health.metrics_text, methods=["GET"]),
    Route("/backup", backups.backup, methods=["POST"]),
    Mount(paths.API, app=api),
]


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """The process's database, opened when the server starts (a file held by another
    process is said in the log here, and on every page) and closed when it stops, which
    checkpoints a DuckDB file so that the file alone holds every row. A stop signal ends
    the open streams at once, so that the process exits within a second or two with tabs
    open and the next process can open the file. The streams open at once are limited
    (web.limits), within a limit of open files raised as far as the system allows. A weak
    organisation key or metrics token stops the start, saying how to make a strong one. The
    schedule's clock and the chat's courier (web.scheduler) run while the server runs."""
    logs.configure()
    settings.check_secrets()
    files = limits.raise_open_files_limit()
    limits.streams = limits.from_settings()
    log.info("Open files at most: %s; event streams at most: %s", files, limits.streams.in_all)
    try:
        current_database()
    except StoreUnavailable as exc:
        log.error("%s", exc.message)
    feeds.open_streams()
    restore = on_stop_signals(feeds.close_streams)
    tasks = scheduler.start()
    try:
        yield
    finally:
        restore()
        for task in tasks:
            task.cancel()
        feeds.close_streams()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task  # a move or a post on its way ends before the database closes
        close_databases()
