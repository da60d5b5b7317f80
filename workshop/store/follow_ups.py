"""Follow-up actions on needs and practices, with their timeline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd

from workshop.model import (
    FollowUp,
    FollowUpStatus,
)
from workshop.store.core import (
    _done_at,
)
from workshop.store.helping import Helping


class FollowUps(Helping):
    """Follow-up actions on needs and practices, with their timeline."""

    def need_workshops(self, need_ids: Iterable[int]) -> dict[int, tuple[int, bool, int | None]]:
        """For each existing need id: (workshop id, hidden, merged into)."""
        ids = list(need_ids)
        if not ids:
            return {}
        rows = self._rows(
            f"SELECT id, workshop_id, hidden, merged_into FROM needs WHERE id IN ({', '.join('?' * len(ids))})",
            ids,
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def add_follow_up(
        self,
        title: str,
        owner: str | None,
        due_date: date | None,
        status: FollowUpStatus,
        created_by: str,
        need_ids: list[int],
        workshop_ids: list[int],
        practices: Sequence[tuple[int, int]] = (),
    ) -> int:
        """Insert an action answering `need_ids` and (practice id, workshop id) pairs of
        `practices`: a practice people of that workshop would like to try."""

        def work(cur: Any) -> int:
            now = self._clock()
            fid = cur.execute("SELECT nextval('follow_up_ids')").fetchone()[0]
            cur.execute(
                "INSERT INTO follow_ups (id, title, owner, due_date, status, created_by, created_at, updated_at, "
                "done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [fid, title, owner, due_date, status.value, created_by, now, now, _done_at(status, now)],
            )
            cur.execute(
                "INSERT INTO follow_up_history VALUES (?, ?, ?, ?)", [fid, status.value, now, created_by]
            )
            for need_id in need_ids:
                cur.execute("INSERT INTO follow_up_needs VALUES (?, ?)", [fid, need_id])
            for practice_id, wid in practices:
                cur.execute("INSERT INTO follow_up_practices VALUES (?, ?, ?)", [fid, practice_id, wid])
            detail = {"needs": need_ids} | ({"practices": [p for p, _ in practices]} if practices else {})
            for wid in workshop_ids:
                self._log(cur, wid, created_by, "add_follow_up", subject_id=fid, detail=detail)
            return fid

        made = self._write(None, work)
        for workshop_id in workshop_ids:  # their logs hold a line more
            self._bump(workshop_id)
        return made

    def update_follow_up(
        self,
        follow_up_id: int,
        title: str,
        owner: str | None,
        due_date: date | None,
        status: FollowUpStatus,
        changed_by: str,
        note: str | None = None,
        outcome: str | None = None,
    ) -> bool:
        """Change an action; a change of status is kept with its date (the timeline). The
        workshops whose needs or practices it answers move on (their people's screens show
        what became of their needs)."""

        def work(cur: Any) -> tuple[bool, list[int]]:
            now = self._clock()
            before = cur.execute("SELECT status FROM follow_ups WHERE id = ?", [follow_up_id]).fetchone()
            done = cur.execute(
                "UPDATE follow_ups SET title = ?, owner = ?, due_date = ?, status = ?, updated_at = ?, "
                "done_at = CASE WHEN ? THEN coalesce(done_at, ?) END, note = ?, outcome = ? WHERE id = ? RETURNING id",
                [
                    title,
                    owner,
                    due_date,
                    status.value,
                    now,
                    status is FollowUpStatus.DONE,
                    now,
                    note,
                    outcome,
                    follow_up_id,
                ],
            ).fetchall()
            if done and before[0] != status.value:
                cur.execute(
                    "INSERT INTO follow_up_history VALUES (?, ?, ?, ?)",
                    [follow_up_id, status.value, now, changed_by],
                )
            if done:
                self._log(
                    cur,
                    None,
                    changed_by,
                    "update_follow_up",
                    subject_id=follow_up_id,
                    detail={"status": status.value},
                )
            answered = cur.execute(
                "SELECT n.workshop_id FROM follow_up_needs l JOIN needs n ON n.id = l.need_id "
                "WHERE l.follow_up_id = ? UNION SELECT workshop_id FROM follow_up_practices WHERE follow_up_id = ?",
                [follow_up_id, follow_up_id],
            ).fetchall()
            return bool(done), [r[0] for r in answered]

        done, workshops = self._write(None, work)
        for workshop_id in workshops if done else ():
            self._bump(workshop_id)
        return done

    def delete_follow_up(self, follow_up_id: int, deleted_by: str) -> bool:
        """Delete an action with its links and timeline; the activity log of each workshop it
        answered keeps its title and status (the moderation log shows it)."""

        def work(cur: Any) -> list[int] | None:
            row = cur.execute("SELECT title, status FROM follow_ups WHERE id = ?", [follow_up_id]).fetchone()
            if row is None:
                return None
            workshops = [
                r[0]
                for r in cur.execute(
                    "SELECT n.workshop_id FROM follow_up_needs l JOIN needs n ON n.id = l.need_id "
                    "WHERE l.follow_up_id = ? UNION SELECT workshop_id FROM follow_up_practices WHERE follow_up_id = ?",
                    [follow_up_id, follow_up_id],
                ).fetchall()
            ]
            for table in ("follow_up_needs", "follow_up_practices", "follow_up_history"):
                cur.execute(f"DELETE FROM {table} WHERE follow_up_id = ?", [follow_up_id])
            cur.execute("DELETE FROM follow_ups WHERE id = ?", [follow_up_id])
            for wid in workshops or [None]:
                self._log(
                    cur,
                    wid,
                    deleted_by,
                    "delete_follow_up",
                    subject_id=follow_up_id,
                    detail={"title": row[0], "status": row[1]},
                )
            return workshops

        workshops = self._write(None, work, removes=True)
        if workshops is None:
            return False
        for workshop_id in workshops:  # their logs hold a line more
            self._bump(workshop_id, removes=True)
        return True

    def follow_up_history(self, follow_up_ids: Iterable[int]) -> dict[int, list[tuple[str, datetime]]]:
        """For each action: (status, when) of each status it had, oldest first."""
        ids = list(follow_up_ids)
        history: dict[int, list[tuple[str, datetime]]] = {i: [] for i in ids}
        if ids:
            for fid, status, at in self._rows(
                "SELECT follow_up_id, status, changed_at FROM follow_up_history "
                f"WHERE follow_up_id IN ({', '.join('?' * len(ids))}) ORDER BY changed_at, status",
                ids,
            ):
                history[fid].append((status, at))
        return history

    def follow_ups(self, workshop_ids: Iterable[int] | None = None) -> list[FollowUp]:
        """Follow-ups answering a need of any of `workshop_ids`, or a wish of their people to
        try a practice (all follow-ups for None)."""
        ids = None if workshop_ids is None else list(workshop_ids)
        if ids == []:
            return []
        where = "" if ids is None else f"WHERE workshop_id IN ({', '.join('?' * len(ids))})"
        with self._db.analytics(None) as cur:  # a follow-up may answer needs of other workshops too
            rows = cur.execute(
                f"""
            WITH answers AS (SELECT l.follow_up_id, l.need_id, NULL::INTEGER AS practice_id, n.workshop_id
                             FROM follow_up_needs l JOIN needs n ON n.id = l.need_id
                             UNION ALL
                             SELECT follow_up_id, NULL, practice_id, workshop_id FROM follow_up_practices),
                 chosen AS (SELECT DISTINCT follow_up_id FROM answers {where})
            SELECT f.id, f.title, f.owner, f.due_date, f.status, f.created_by, f.created_at, f.updated_at,
                   list(DISTINCT a.need_id ORDER BY a.need_id) FILTER (WHERE a.need_id IS NOT NULL),
                   list(DISTINCT a.workshop_id ORDER BY a.workshop_id),
                   list(DISTINCT a.practice_id ORDER BY a.practice_id) FILTER (WHERE a.practice_id IS NOT NULL),
                   f.done_at, f.note, f.outcome
            FROM follow_ups f JOIN answers a ON a.follow_up_id = f.id
            WHERE f.id IN (SELECT follow_up_id FROM chosen)
            GROUP BY ALL
            ORDER BY f.due_date NULLS LAST, f.id
            """,
                ids or [],
            ).fetchall()
        return [
            FollowUp(  # type: ignore[call-arg]  # a row's length is not typed
                *r[:4],
                FollowUpStatus(r[4]),
                *r[5:8],
                tuple(r[8] or ()),
                tuple(r[9]),
                tuple(r[10] or ()),
                *r[11:14],
            )
            for r in rows
        ]

    def actions_on_needs(self, need_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        """For each of `need_ids` that an action answers (directly, or through a need merged
        into it): title, owner, due date, status, when it last changed and what came of it
        (outcome); soonest due first."""
        ids = list(need_ids)
        if not ids:
            return {}
        rows = self._rows(
            f"""
            SELECT coalesce(n.merged_into, n.id), f.id, f.title, f.owner, f.due_date, f.status, f.updated_at,
                   f.outcome
            FROM follow_up_needs l JOIN follow_ups f ON f.id = l.follow_up_id JOIN needs n ON n.id = l.need_id
            WHERE coalesce(n.merged_into, n.id) IN ({", ".join("?" * len(ids))})
            ORDER BY f.due_date NULLS LAST, f.id
            """,
            ids,
        )
        found: dict[int, list[dict[str, Any]]] = {}
        for need_id, fid, title, owner, due, status, updated, outcome in rows:
            if fid not in [a["id"] for a in found.get(need_id, [])]:
                found.setdefault(need_id, []).append(
                    {
                        "id": fid,
                        "title": title,
                        "owner": owner,
                        "due": due,
                        "status": status,
                        "updated_at": updated,
                        "outcome": outcome,
                    }
                )
        return found

    def adoptions(self) -> pd.DataFrame:
        """Each practice adopted in a workshop: practice_id, practice (its title),
        workshop_id, at (the first time an action on it for that workshop was done)."""
        with self._db.analytics(None) as cur:
            return cur.execute(
                """
                SELECT l.practice_id, pr.title AS practice, l.workshop_id, min(f.done_at) AS "at"
                FROM follow_up_practices l JOIN follow_ups f ON f.id = l.follow_up_id
                JOIN practices pr ON pr.id = l.practice_id
                WHERE f.status = 'done' AND pr.merged_into IS NULL AND NOT pr.hidden AND NOT pr.archived
                GROUP BY ALL ORDER BY "at", l.practice_id
                """
            ).df()

    def practice_titles(self, practice_ids: Iterable[int]) -> dict[int, str]:
        ids = list(practice_ids)
        if not ids:
            return {}
        return dict(
            self._rows(f"SELECT id, title FROM practices WHERE id IN ({', '.join('?' * len(ids))})", ids)
        )

    def practice_interest(self, practice_ids: Iterable[int]) -> dict[int, dict[int, int]]:
        """For each practice: per workshop, how many of its people would like to try it."""
        ids = list(practice_ids)
        interest: dict[int, dict[int, int]] = {i: {} for i in ids}
        if ids:
            for practice_id, workshop_id, people in self._rows(
                "SELECT practice_id, workshop_id, count(*) FROM practice_reactions "
                f"WHERE kind = 'want_to_try' AND practice_id IN ({', '.join('?' * len(ids))}) "
                "GROUP BY practice_id, workshop_id",
                ids,
            ):
                interest[practice_id][workshop_id] = int(people)
        return interest
