"""The schedule's clock and the chat's courier: tasks of the server's lifespan.

The clock looks every COCREATE_SCHEDULE_SECONDS for self-paced workshops whose next phase is
due and moves them (workshop.schedule.move_due: one conditional transaction a move, so of
several processes on one database exactly one makes it), and queues the day-before
reminders. It looks at once when the server starts, so a process that was down when a phase
fell due makes the move then.

The courier sends the posts queued for workshops' chats (workshop.announce), each taken by
one process for a while (Store.claim_post), retried with a growing pause when the chat does
not take it, and logged. It runs apart from the clock: a slow chat never delays a move."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool

from workshop import announce, logs, schedule, settings
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


LEASE = timedelta(seconds=announce.TIMEOUT + 20)  # a post taken to send is another's again after this


async def deliver_once() -> int:
    """Send the posts due now; how many went."""
    try:
        store = current_database().store
        due = await run_in_threadpool(store.posts_due)
    except CocreateError as exc:
        log.warning("The courier could not read the posts to send: %s", exc.message)
        return 0
    sent = 0
    for post_id, workshop_id, url, body, attempts in due:
        if not await run_in_threadpool(store.claim_post, post_id, attempts, LEASE):
            continue  # another process sends it
        try:
            await run_in_threadpool(announce.send, url, body)
        except (OSError, ValueError) as exc:
            retry = announce.retry_in(attempts + 1)
            await run_in_threadpool(store.post_failed, post_id, announce.failure(exc), retry)
            log.warning(
                "A post of workshop %s to its chat failed (%s, attempt %s); %s",
                workshop_id,
                announce.failure(exc),
                attempts + 1,
                f"again in {retry.total_seconds():.0f} s" if retry else "given up",
            )
            continue
        await run_in_threadpool(store.post_sent, post_id)
        log.info("Posted to the chat of workshop %s", workshop_id)
        sent += 1
    return sent


async def _every(look: Callable[[], Awaitable[object]], what: str) -> None:
    """Run `look` now and then every COCREATE_SCHEDULE_SECONDS until the server stops."""
    every = settings.schedule_seconds()
    while True:
        try:
            await look()
        except Exception:  # a fault in one look must not end the task
            log.exception("%s failed", what)
        await asyncio.sleep(every)


def start() -> list[asyncio.Task[Any]]:
    """The schedule's clock and the chat's courier, started on the running loop; cancel
    them when the server stops."""
    loop = asyncio.get_running_loop()
    return [
        loop.create_task(_every(look_once, "The schedule's look for due phases"), name="cocreate-schedule"),
        loop.create_task(_every(deliver_once, "The courier's round"), name="cocreate-courier"),
    ]
