"""Answers compressed from parts, where one part is the same in many answers.

Every open screen asks for its view when the room moves, and most of each answer is the
room's part, the same for everyone (tens of kilobytes in a big room). Compressing each whole
answer, as the server's gzip layer does, repeats that work for every screen (6–7 ms of a core
for a 90 KB view at its level 9). Here the shared part is deflated once (`Part`) and spliced
into each answer between the person's own parts, deflated as they come: a deflate stream may
be cut after a full flush and another one begun, and the gzip trailer's checksum runs over
the whole (RFC 1951 §3.2.3, RFC 1952 §2.3).
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterable

import cachetools
from starlette.requests import Request

LEVEL = 6  # the shared part is made once per version, the person's on every answer
# A gzip member's head: deflate, no name, no time, made on an unnamed system.
HEAD = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


class Part:
    """Bytes that go into many answers, with their deflate made once."""

    __slots__ = ("raw", "deflated")

    def __init__(self, raw: bytes) -> None:
        self.raw, self.deflated = raw, _deflate(raw, zlib.Z_FULL_FLUSH)


def gzip_of(parts: Iterable[bytes | Part]) -> bytes:
    """One gzip member of `parts` in order: a `Part` as deflated once, the rest here."""
    out, crc, size = [HEAD], 0, 0
    for part in parts:
        raw = part.raw if isinstance(part, Part) else part
        out.append(part.deflated if isinstance(part, Part) else _deflate(raw, zlib.Z_FULL_FLUSH))
        crc, size = zlib.crc32(raw, crc), size + len(raw)
    out.append(_deflate(b"", zlib.Z_FINISH))  # the last block, empty
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)


def plain_of(parts: Iterable[bytes | Part]) -> bytes:
    """The same `parts` joined, uncompressed."""
    return b"".join(part.raw if isinstance(part, Part) else part for part in parts)


def _deflate(raw: bytes, flush: int) -> bytes:
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(raw) + packer.flush(flush)


def takes_gzip(request: Request) -> bool:
    """Whether the request's client takes gzip answers (every browser does)."""
    return "gzip" in request.headers.get("accept-encoding", "")


@cachetools.cached(cachetools.LRUCache(32), key=lambda name, raw: name, lock=threading.Lock())
def shared(name: str, raw: bytes) -> Part:
    """The part named `name` (a name of its content, such as a room view's tag), made of
    `raw` once; the most recently used kept (a room's screens ask for one or two versions at
    a time)."""
    return Part(raw)
