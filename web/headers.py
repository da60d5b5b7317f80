"""Headers every HTTP answer of the server carries, pages and routes alike."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A participant's, presenter's or facilitator's link carries its token in the address; with
# no referrer, the browser never sends that address on to anything the page loads.
REFERRER_POLICY = "no-referrer"


class NoReferrer:
    """Adds `Referrer-Policy: no-referrer` to every HTTP answer (Starlette middleware that
    touches only the start of a response, so streams pass through unbuffered)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Referrer-Policy"] = REFERRER_POLICY
            await send(message)

        await self.app(scope, receive, sending)
