"""`POST /backup`: a consistent copy of the database while the app runs, into
COCREATE_BACKUP_DIR, for `python -m workshop backup` (or a scheduler) holding the
organisation key. DuckDB lets one process write its file, so the running app makes the copy."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from web.health import NO_STORE, organisation_refusal
from workshop import logs, settings
from workshop.database import current_database
from workshop.errors import CocreateError


def backup_dir() -> Path:
    return Path(settings.get("COCREATE_BACKUP_DIR") or settings.PROJECT_ROOT / "data" / "backups")


async def backup(request: Request) -> Response:
    """Write `cocreate-<time>.duckdb` (PostgreSQL: `.dump`, pg_dump's format) into the backup
    folder and answer its path."""
    refused = organisation_refusal(request, "backup")
    if refused is not None:
        return refused
    try:
        db = current_database()
        folder = backup_dir()
        folder.mkdir(parents=True, exist_ok=True)
        suffix = "duckdb" if db.store.kind == "duckdb" else "dump"
        target = folder / f"cocreate-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}.{suffix}"
        await run_in_threadpool(db.store.backup_to, target)
    except CocreateError as exc:
        return JSONResponse({"error": exc.message}, status_code=503, headers=NO_STORE)
    logs.event("backup", "-", item=target.name)
    return JSONResponse({"file": str(target)}, headers=NO_STORE)
