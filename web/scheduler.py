"""The schedule's clock: a task of the server's lifespan that looks every
COCREATE_SCHEDULE_SECONDS for self-paced workshops whose next phase is due and moves them
(workshop.schedule.move_due: one conditional transaction a move, so of several processes on
one database exactly one makes it). It looks at once when the server starts, so a process
that was down when a phase fell due makes the move then."""

from __future__ import annotations

import asyncio
import logging

from starlette.concurrency import run_in_threadpool

from workshop import logs, schedule, settings
from workshop.database import current_database
from workshop.errors import CocreateError
from workshop.model import Phase, Workshop

log = logging.getLogger(__name__)


async def look_once() -> list[tuple[Workshop, Phase]]:
    """Make the moves due now; the moves made. A database that cannot be opened is said in
    the log (the pages say it too) and tried again at the next look."""
    try:
        db = current_database()
        moved = await run_in_threadpool(schedule.move_due, db.store)
    except CocreateError as exc:
        log.warning("The schedule could not look for due phases: %s", exc.message)
        return []
    for workshop, target in moved:
        logs.event("phase", workshop.code, phase=target.value, by=schedule.MOVED_BY)
    return moved


async def keep_time() -> None:
    """Look now and then every COCREATE_SCHEDULE_SECONDS until the server stops."""
    every = settings.schedule_seconds()
    while True:
        try:
            await look_once()
        except Exception:  # a fault in one look must not end the schedule's clock
            log.exception("The schedule's look for due phases failed")
        await asyncio.sleep(every)


def start() -> asyncio.Task:
    """The schedule's clock, started on the running loop; cancel it when the server stops."""
    return asyncio.get_running_loop().create_task(keep_time(), name="cocreate-schedule")
