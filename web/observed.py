"""Every request to the routes under /api counted, timed and logged as one line: route,
method, status, duration and the workshop it was for (never its token or key)."""

from __future__ import annotations

import logging
import time

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workshop import metrics

log = logging.getLogger("web.requests")


class Observed:
    """Counts (metrics.REQUESTS, ERRORS), times (LATENCY: until the answer starts, a stream's
    first bytes) and logs each request; a path that is none of `routes` counts as "(unknown)",
    so that nobody can grow the figures by asking for made-up paths. A plain ASGI middleware
    that only looks at the start of each answer, so streams pass through untouched."""

    def __init__(self, app: ASGIApp, routes: frozenset[str]) -> None:
        self.app, self.routes = app, routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        answered = False

        async def sending(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.start" and not answered:
                answered = True
                self.observe(scope, message["status"], time.perf_counter() - started)
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            if not answered:  # failed before answering: the server answers 500
                self.observe(scope, 500, time.perf_counter() - started)

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        request = Request(scope)
        route = request.url.path if request.url.path in self.routes else "(unknown)"
        metrics.REQUESTS.labels(route, request.method, str(status)).inc()
        metrics.LATENCY.labels(route).observe(seconds)
        if status >= 500:
            metrics.ERRORS.labels(route).inc()
        workshop = scope.get("state", {}).get("workshop")
        log.info(
            "%s %s %s %.1f ms%s",
            request.method,
            route,
            status,
            seconds * 1000,
            f" workshop #{workshop}" if workshop else "",
            extra={
                "route": route,
                "method": request.method,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
                **({"workshop_id": workshop} if workshop else {}),
            },
        )
