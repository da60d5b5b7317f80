"""deploy/wire.py's plain HTTP requests, the ones a page's own scripts make (the room watch)."""

import asyncio
import gzip

import httpx2

from deploy.wire import Tab, run_sync

PACKED = gzip.compress(b'{"phase": 2}')
REPLIES = [
    b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 13\r\n\r\n{"phase": 1}\n',
    b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: %d\r\n\r\n%s" % (len(PACKED), PACKED),
    b'HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\n\r\nb\r\n{"error": "\r\n6\r\nnope"}\r\n0\r\n\r\n',
    b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]",
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 4\r\n\r\nnull",
]


def test_requests_share_one_kept_alive_connection_read_both_body_framings_and_reconnect():
    async def play() -> tuple[list, list[list[str]]]:
        connections: list[list[str]] = []  # the request heads each connection carried
        replies = iter(REPLIES)

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            heads: list[str] = []
            connections.append(heads)
            while True:
                heads.append((await reader.readuntil(b"\r\n\r\n")).decode())
                reply = next(replies)
                writer.write(reply)
                await writer.drain()
                if b"connection: close" in reply:
                    break
            writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        tab = Tab(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", "participate")
        answers = [await tab.get("/api/room", {"X-Cocreate-Participant": "abc"}) for _ in REPLIES]
        await tab.close()
        server.close()
        return answers, connections

    answers, connections = run_sync(play())
    assert answers == [
        (200, {"phase": 1}),
        (200, {"phase": 2}),
        (404, {"error": "nope"}),
        (200, []),
        (503, None),
    ]
    # Four requests on the first connection; after the server closed it, a second one.
    assert [len(heads) for heads in connections] == [4, 1]
    assert connections[0][0].startswith("GET /api/room HTTP/1.1\r\n")
    assert "X-Cocreate-Participant: abc\r\n" in connections[0][0]
    assert "Accept-Encoding: gzip\r\n" in connections[0][0]  # as a browser asks


def test_a_post_carries_its_json_body_and_is_never_sent_twice():
    """A POST the server may have acted on is not repeated when its connection drops."""

    async def play() -> tuple[tuple, list[bytes], type]:
        received: list[bytes] = []

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                received.append(head + await reader.readexactly(length))
                if len(received) > 1:
                    break  # the second request: no answer, as if the server died
                writer.write(b'HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n{"used": 1}')
                await writer.drain()
            writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        tab = Tab(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", "participate")
        first = await tab.post("/api/dots", {"need": 3, "change": 1}, {"X-Cocreate-Participant": "abc"})
        try:
            await tab.post("/api/dots", {"need": 3, "change": 1})
            failed = type(None)
        except httpx2.TransportError as exc:
            failed = type(exc)
        await tab.close()
        server.close()
        return first, received, failed

    first, received, failed = run_sync(play())
    assert first == (200, {"used": 1})
    assert received[0].startswith(b"POST /api/dots HTTP/1.1\r\n")
    assert b"Content-Type: application/json\r\n" in received[0]
    assert received[0].endswith(b'\r\n\r\n{"need": 3, "change": 1}')
    assert len(received) == 2 and failed is not type(None)  # two POSTs made, two received, none repeated
