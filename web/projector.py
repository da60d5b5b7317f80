"""The projector's requests: its screen once or as a stream, and the Plotly.js that draws
its charts. Each carries the presenter link's token in a header."""

from __future__ import annotations

from pathlib import Path

import plotly
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from web import feeds, limits, tokens
from web.paths import PRESENTER_HEADER
from web.requests import NO_STORE, refused
from workshop.database import current_database
from workshop.errors import CocreateError

PLOTLY_FILE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


async def present(request: Request) -> Response:
    """`GET api/present`: the screen once, as `{"ends_in", "view"}` (a projector whose
    stream could not be opened asks every few seconds)."""
    try:
        db = current_database()
        workshop_id = await tokens.presented(request, db.store)
        kept = await feeds.present_view(db, workshop_id)
    except CocreateError as exc:
        return refused(exc)
    return Response(feeds.present_message(db, kept), media_type="application/json", headers=NO_STORE)


async def present_events(request: Request) -> Response:
    """`GET api/present/events`: the screen as server-sent events (see feeds.PresentFeed)."""
    try:
        db = current_database()
        workshop_id = await tokens.presented(request, db.store)
        token = request.headers.get(PRESENTER_HEADER, "")
        return await feeds.stream(
            feeds.PresentFeed,
            db,
            workshop_id,
            (token, limits.client(request)),
            still_allowed=lambda: tokens.still_presented(db.store, token, workshop_id),
        )
    except CocreateError as exc:
        return refused(exc)


async def plotly_js(request: Request) -> Response:
    """`GET api/present/plotly.js?v=VERSION`: the installed plotly package's Plotly.js. Its
    address carries the version, so a browser keeps it."""
    return FileResponse(
        PLOTLY_FILE,
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


def plotly_version() -> str:
    """The version of the Plotly.js served (the projector's address for it changes with it)."""
    import plotly.offline

    return plotly.offline.get_plotlyjs_version()
