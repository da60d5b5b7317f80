"""A self-paced workshop's schedule, the moves the schedule finds due, and the posts queued
for the workshop's chat."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from workshop.model import (
    Phase,
    Schedule,
    Workshop,
)
from workshop.store.core import (
    _insert_schedule,
)
from workshop.store.workshops import Workshops


class Schedules(Workshops):
    """A self-paced workshop's schedule, the moves the schedule finds due, and the posts queued"""

    def set_schedule(self, workshop_id: int, self_paced: bool, time_zone: str, schedule: Schedule) -> None:
        """Make the workshop live or self-paced, and when its phases open."""

        def work(cur: Any) -> None:
            cur.execute(
                "UPDATE workshops SET self_paced = ?, time_zone = ? WHERE id = ?",
                [self_paced, time_zone, workshop_id],
            )
            _insert_schedule(cur, workshop_id, schedule)
            detail = {"self_paced": self_paced, "time_zone": time_zone}
            detail |= {phase.value: at.isoformat() for phase, at in schedule}
            self._log(cur, workshop_id, "facilitator", "set_schedule", detail=detail)

        self._write(workshop_id, work, settings=True)

    def set_schedule_paused(self, workshop_id: int, paused: bool) -> None:
        self._set_switch(
            workshop_id, "schedule_paused", paused, "pause_schedule" if paused else "resume_schedule"
        )

    def set_webhook(self, workshop_id: int, url: str | None) -> None:
        """The chat's incoming-webhook address the workshop posts to (None: no posts)."""

        def work(cur: Any) -> None:
            cur.execute("UPDATE workshops SET webhook_url = ? WHERE id = ?", [url, workshop_id])
            self._log(cur, workshop_id, "facilitator", "set_webhook" if url else "remove_webhook")

        self._write(workshop_id, work, settings=True)

    def webhook(self, workshop_id: int) -> str | None:
        row = self._one("SELECT webhook_url FROM workshops WHERE id = ?", [workshop_id])
        return row[0] if row else None

    def queue_post(self, workshop_id: int, what: str, body: str) -> bool:
        """Queue a post (a reminder) once per `what`; False when it was queued before, or the
        workshop has no webhook. The clock asks at every look while a reminder is due: a read
        says whether there is anything to write, so the look writes (and moves the
        workshop's version) once, not every few seconds."""
        wanted = self._one(
            "SELECT 1 FROM workshops w WHERE w.id = ? AND w.webhook_url IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM announcements a WHERE a.workshop_id = w.id AND a.what = ?)",
            [workshop_id, what],
        )
        if wanted is None:
            return False
        return self._write(workshop_id, lambda cur: self._queue_post(cur, workshop_id, what, body))

    def posts_due(self, limit: int = 20) -> list[tuple[int, int, str, str, int]]:
        """Posts to send now: id, workshop id, webhook address, text, attempts so far."""
        return self._rows(
            "SELECT a.id, a.workshop_id, w.webhook_url, a.body, a.attempts FROM announcements a "
            "JOIN workshops w ON w.id = a.workshop_id "
            "WHERE a.sent_at IS NULL AND a.next_try_at <= ? AND w.webhook_url IS NOT NULL "
            "ORDER BY a.next_try_at, a.id LIMIT ?",
            [self._clock(), limit],
        )

    def claim_post(self, post_id: int, attempts: int, lease: timedelta) -> bool:
        """Take a post to send for `lease` (no other process sends it meanwhile); False when
        another process took it first."""

        def work(cur: Any) -> bool:
            now = self._clock()
            return bool(
                cur.execute(
                    "UPDATE announcements SET next_try_at = ? "
                    "WHERE id = ? AND attempts = ? AND sent_at IS NULL AND next_try_at <= ? RETURNING id",
                    [now + lease, post_id, attempts, now],
                ).fetchall()
            )

        return self._write(None, work)

    def post_sent(self, post_id: int) -> None:
        def work(cur: Any) -> None:
            cur.execute(
                "UPDATE announcements SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                [self._clock(), post_id],
            )

        self._write(None, work)

    def post_failed(self, post_id: int, error: str, retry_in: timedelta | None) -> None:
        """A post the chat refused or did not answer: tried again after `retry_in` (None:
        given up; it stays failed on Facilitate)."""

        def work(cur: Any) -> None:
            now = self._clock()
            cur.execute(
                "UPDATE announcements SET attempts = attempts + 1, last_error = ?, next_try_at = ? WHERE id = ?",
                [error, now + retry_in if retry_in is not None else datetime(9999, 1, 1), post_id],
            )

        self._write(None, work)

    def posts(self, workshop_id: int) -> list[tuple[str, str, datetime, int, datetime | None, str | None]]:
        """The workshop's posts, newest first: kind, text, made, attempts, sent, last error."""
        return self._rows(
            "SELECT what, body, made_at, attempts, sent_at, last_error FROM announcements "
            "WHERE workshop_id = ? ORDER BY id DESC",
            [workshop_id],
        )

    def scheduled_workshops(self) -> list[tuple[Workshop, datetime | None]]:
        """The workshops the schedule moves now (self-paced, not paused, not closed), each with
        when the room last moved (None: it never did)."""
        found = self._workshops(
            "coalesce(self_paced, false) AND NOT coalesce(schedule_paused, false) AND phase <> 'closed'", []
        )
        if not found:
            return []
        ids = [w.id for w in found]
        moved = dict(
            self._rows(
                f"SELECT workshop_id, max(changed_at) FROM phase_changes WHERE workshop_id IN ({', '.join('?' * len(ids))}) "
                "GROUP BY workshop_id",
                ids,
            )
        )
        return [(w, moved.get(w.id)) for w in found]

    def phase_moves(self, workshop_id: int) -> list[tuple[Phase, Phase, datetime, str]]:
        """Every move of the room: from, to, when (UTC) and who made it (facilitator,
        organisation or schedule)."""
        return [
            (Phase(a), Phase(b), at, by or "facilitator")
            for a, b, at, by in self._rows(
                "SELECT from_phase, to_phase, changed_at, moved_by FROM phase_changes WHERE workshop_id = ? ORDER BY id",
                [workshop_id],
            )
        ]

    def set_revealed(self, workshop_id: int, revealed: bool) -> None:
        def work(cur: Any) -> None:
            cur.execute(
                "UPDATE workshops SET revealed = ? WHERE id = ?",
                [revealed, workshop_id],
            )
            self._log(cur, workshop_id, "facilitator", "reveal" if revealed else "conceal")

        self._write(workshop_id, work, settings=True)
