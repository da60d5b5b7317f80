"""Stories of practice: how a practice went for those who tried it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workshop.model import (
    Participant,
)
from workshop.store.practices import Practices


class Stories(Practices):
    """Stories of practice: how a practice went for those who tried it."""

    def add_story(
        self,
        practice_id: int,
        workshop_id: int,
        story: tuple[str, str, str],
        *,
        participant: Participant | None = None,
        told_by: str = "participant",
        follow_up_id: int | None = None,
        show_name: bool = False,
    ) -> int | None:
        """Keep a story (what was tried, what happened, recommend: yes / partly / no) of a
        practice, told by a person of `workshop_id` or by a leader (`told_by`, for an action
        `follow_up_id`); its id, or None when the person told one of this practice already."""

        def work(cur: Any) -> int | None:
            made = cur.execute(
                "INSERT INTO practice_stories (id, practice_id, workshop_id, participant_id, told_by, follow_up_id, "
                "tried, happened, recommend, show_name, hidden, created_at) "
                "VALUES (nextval('story_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?) "
                "ON CONFLICT DO NOTHING RETURNING id",
                [
                    practice_id,
                    workshop_id,
                    participant.id if participant else None,
                    told_by,
                    follow_up_id,
                    *story,
                    show_name,
                    self._clock(),
                ],
            ).fetchone()
            if made is None:
                return None  # the person told one of this practice already
            (story_id,) = made
            if participant is not None:
                self._log_by(cur, participant, "tell_story", story_id, {"practice": practice_id})
            else:
                self._log(
                    cur,
                    workshop_id,
                    told_by,
                    "tell_story",
                    subject_id=story_id,
                    detail={"practice": practice_id},
                )
            return story_id

        return self._write(workshop_id, work)

    def stories(
        self, practice_ids: Iterable[int], *, include_hidden: bool = False
    ) -> dict[int, list[dict[str, Any]]]:
        """The stories of these practices, newest first: id, workshop (where told), the
        teller's name (when they chose to show it in a named workshop) and team (None in an
        anonymous one), told_by, tried, happened, recommend, hidden, created_at."""
        ids = [int(i) for i in practice_ids]
        if not ids:
            return {}
        shown = "" if include_hidden else "AND NOT s.hidden"
        rows = self._rows(
            f"""
            SELECT s.practice_id, s.id, s.workshop_id, w.title,
                   CASE WHEN s.show_name AND NOT w.anonymous THEN p.name END,
                   CASE WHEN NOT w.anonymous THEN p.team END,
                   s.told_by, s.tried, s.happened, s.recommend, s.hidden, s.created_at, s.follow_up_id
            FROM practice_stories s JOIN workshops w ON w.id = s.workshop_id
            LEFT JOIN participants p ON p.id = s.participant_id
            WHERE s.practice_id IN ({", ".join("?" * len(ids))}) {shown}
            ORDER BY s.created_at DESC, s.id DESC
            """,
            ids,
        )
        found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        keys = (
            "id",
            "workshop_id",
            "workshop",
            "author",
            "team",
            "told_by",
            "tried",
            "happened",
            "recommend",
            "hidden",
            "created_at",
            "follow_up_id",
        )
        for practice_id, *values in rows:
            found[practice_id].append(dict(zip(keys, values, strict=True)))
        return found

    def workshop_stories(self, workshop_id: int) -> list[dict[str, Any]]:
        """The stories told in this workshop, hidden ones too, with their practice's title
        and the teller's name and id as Facilitate's moderation shows it (no id: told by a
        follow-up's owner on Review)."""
        keys = (
            "id",
            "practice_id",
            "practice",
            "participant_id",
            "author",
            "tried",
            "happened",
            "recommend",
            "hidden",
            "created_at",
        )
        return [
            dict(zip(keys, row, strict=True))
            for row in self._rows(
                """
                SELECT s.id, s.practice_id, pr.title, s.participant_id, p.name, s.tried, s.happened,
                       s.recommend, s.hidden, s.created_at
                FROM practice_stories s JOIN practices pr ON pr.id = s.practice_id
                LEFT JOIN participants p ON p.id = s.participant_id
                WHERE s.workshop_id = ? ORDER BY s.id
                """,
                [workshop_id],
            )
        ]

    def set_story_hidden(self, workshop_id: int, story_id: int, hidden: bool) -> bool:
        """Hide a story told in this workshop, or show it again; False when it is not one."""

        def work(cur: Any) -> bool:
            changed = cur.execute(
                "UPDATE practice_stories SET hidden = ? WHERE id = ? AND workshop_id = ? RETURNING id",
                [hidden, story_id, workshop_id],
            ).fetchall()
            if changed:
                self._log(
                    cur,
                    workshop_id,
                    "facilitator",
                    "hide_story" if hidden else "unhide_story",
                    subject_id=story_id,
                )
            return bool(changed)

        return self._write(workshop_id, work, removes=True)
