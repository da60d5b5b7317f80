"""The participant app's files (ES modules, their CSS and the vendored view library), served
under a name made of their content: `GET api/app/VERSION/FILE`. A browser keeps each for a
year without asking again, and a new release is a new VERSION, so a return visit or a
reload fetches none of them. Read once at import, compressed once."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from web import paths
from web.requests import answer
from workshop.i18n import _

HERE = Path(__file__).resolve().parent.parent / "ui" / "components" / "participant"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
KEPT = {"Cache-Control": "public, max-age=31536000, immutable", "Vary": "Accept-Encoding"}


def _files() -> dict[str, tuple[bytes, bytes]]:
    found = {}
    for path in sorted(HERE.rglob("*")):
        if path.suffix in TYPES and path.is_file():
            raw = path.read_bytes()
            found[path.relative_to(HERE).as_posix()] = (raw, gzip.compress(raw, 9, mtime=0))
    return found


FILES = _files()
VERSION = hashlib.sha256(
    b"".join(name.encode() + b"\0" + raw for name, (raw, _gz) in FILES.items())
).hexdigest()[:16]


def base() -> str:
    """Where the app's files are, as a component asks it (relative to the page)."""
    return paths.relative(f"{paths.APP}/{VERSION}/")


async def app_file(request: Request) -> Response:
    """`GET api/app/VERSION/NAME`: one of the app's files, compressed when the browser takes it."""
    name = request.path_params["name"]
    if request.path_params["version"] != VERSION or name not in FILES:
        return answer({"error": _("There is nothing here.")}, 404)
    raw, packed = FILES[name]
    headers = dict(KEPT)
    body = raw
    if "gzip" in request.headers.get("accept-encoding", ""):
        body, headers["Content-Encoding"] = packed, "gzip"
    return Response(body, media_type=TYPES[Path(name).suffix], headers=headers)
