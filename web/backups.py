"""`POST /backup`: a consistent copy of the database while the app runs, into
COCREATE_BACKUP_DIR, for `python -m workshop backup` (or a scheduler) holding the
organisation key. DuckDB lets one process write its file, so the running app makes the copy.

One backup at a time (another asked meanwhile is told to wait); each is written under a
temporary name and renamed whole, so a failed one leaves nothing that looks like a backup;
the newest COCREATE_BACKUPS_KEPT are kept; the answer names the file, never the server's
folders."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from datetime import UTC, datetime
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from web.health import NO_STORE, organisation_refusal
from workshop import logs, settings
from workshop.database import current_database
from workshop.errors import CocreateError
from workshop.i18n import _

log = logging.getLogger(__name__)
MAKING = asyncio.Lock()  # one backup at a time per process
PARTIAL = ".partial"  # a backup being written; renamed whole when done


async def backup(request: Request) -> Response:
    """Write `cocreate-<time>-<random>.duckdb` (PostgreSQL: `.dump`, pg_dump's format) into the
    backup folder and answer its name."""
    refused = organisation_refusal(request, "backup")
    if refused is not None:
        return refused
    if MAKING.locked():
        return JSONResponse(
            {"error": _("A backup is being made. Ask again when it is done.")},
            status_code=429,
            headers={**NO_STORE, "Retry-After": "5"},
        )
    async with MAKING:
        try:
            name = await run_in_threadpool(make_backup, settings.backup_dir())
        except CocreateError as exc:
            return JSONResponse({"error": exc.message}, status_code=503, headers=NO_STORE)
    logs.event("backup", "-", item=name)
    return JSONResponse({"file": name}, headers=NO_STORE)


def make_backup(folder: Path) -> str:
    """A backup of the current database in `folder`, written whole or not at all; the oldest
    beyond COCREATE_BACKUPS_KEPT removed. Its file's name; CocreateError when it failed."""
    db = current_database()
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "duckdb" if db.store.kind == "duckdb" else "dump"
    name = f"cocreate-{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.{suffix}"
    partial = folder / (name + PARTIAL)
    try:
        db.store.backup_to(partial)
        partial.rename(folder / name)
    except Exception as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(exc, CocreateError):
            raise
        log.exception("backup failed")
        raise CocreateError(
            _("The backup could not be made: {reason}").format(reason=type(exc).__name__)
        ) from None
    _keep_newest(folder, settings.backups_kept())
    return name


def _keep_newest(folder: Path, kept: int) -> None:
    made = sorted(
        (p for p in folder.glob("cocreate-*") if not p.name.endswith(PARTIAL)),
        key=lambda p: p.stat().st_mtime,
    )
    for old in made[: max(0, len(made) - kept)]:
        with contextlib.suppress(OSError):
            old.unlink()
