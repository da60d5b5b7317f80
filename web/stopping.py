"""Knowing that the server is stopping before it waits for its connections: the server
(uvicorn) handles SIGTERM and SIGINT by closing its listening socket and then waiting for
every open response to finish, which a stream of events never does by itself. Chained in
front of the server's own handlers, `on_stop_signals` ends the streams first."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable

SIGNALS = (signal.SIGTERM, signal.SIGINT)


def on_stop_signals(then: Callable[[], None]) -> Callable[[], None]:
    """Run `then` on the running event loop when the process gets SIGTERM or SIGINT, before
    the handler the server set for it. Returns what puts the server's handlers back. Signal
    handlers belong to the main thread: elsewhere (a test client's thread) nothing is chained."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    loop = asyncio.get_running_loop()
    previous: dict[int, object] = {}

    def handle(number: int, frame: object) -> None:
        loop.call_soon_threadsafe(then)
        handler = previous.get(number)
        if callable(handler):
            handler(number, frame)
        elif handler == signal.SIG_DFL:  # no server handler: the signal's own effect
            signal.signal(number, signal.SIG_DFL)
            signal.raise_signal(number)

    for number in SIGNALS:
        previous[number] = signal.signal(number, handle)

    def restore() -> None:
        for number, handler in previous.items():
            if signal.getsignal(number) is handle:
                signal.signal(number, handler)  # type: ignore[arg-type]

    return restore
