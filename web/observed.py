"""Every request to the routes under /api counted, timed and logged as one line: route,
method, status, duration and the workshop it was for (never its token or key)."""

from __future__ import annotations

import logging
import time

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from workshop import metrics

log = logging.getLogger("web.requests")


class Observed(BaseHTTPMiddleware):
    """Counts (metrics.REQUESTS, ERRORS), times (LATENCY: until the answer starts, a stream's
    first bytes) and logs each request; a path that is none of `routes` counts as "(unknown)",
    so that nobody can grow the figures by asking for made-up paths."""

    def __init__(self, app, routes: frozenset[str]) -> None:
        super().__init__(app)
        self.routes = routes

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            seconds = time.perf_counter() - started
            route = request.url.path if request.url.path in self.routes else "(unknown)"
            metrics.REQUESTS.labels(route, request.method, str(status)).inc()
            metrics.LATENCY.labels(route).observe(seconds)
            if status >= 500:
                metrics.ERRORS.labels(route).inc()
            workshop = getattr(request.state, "workshop", None)
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
