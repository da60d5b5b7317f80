"""Practices: what already works, shared in a workshop, marked, featured and in the library."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from workshop import privacy
from workshop.model import (
    Participant,
    Practice,
    PracticeReaction,
)
from workshop.store.moderation import Moderation


class Practices(Moderation):
    """Practices: what already works, shared in a workshop, marked, featured and in the library."""

    def add_practice(
        self,
        participant: Participant,
        theme_id: int,
        title: str,
        description: str,
        show_name: bool,
        quota: tuple[int, int],
    ) -> int | tuple[int, int]:
        """Insert a participant's practice; its id. Within `quota` (at most per minute, at
        most in the workshop) only: else nothing is written and the person's (last minute's,
        whole) counts come back."""

        def work(cur: Any) -> int | tuple[int, int]:
            now = self._clock()
            over = self._over_quota(cur, "practices", participant, quota, now)
            if over is not None:
                return over
            (practice_id,) = cur.execute(
                "INSERT INTO practices (id, workshop_id, theme_id, participant_id, title, description, show_name, "
                "created_at, updated_at) VALUES (nextval('practice_ids'), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [participant.workshop_id, theme_id, participant.id, title, description, show_name, now, now],
            ).fetchone()
            self._log_by(cur, participant, "share_practice", practice_id)
            return practice_id

        return self._write(participant.workshop_id, work)

    def practice_origin(self, practice_id: int) -> tuple[int, bool, bool] | None:
        """(workshop id, hidden, archived) of a practice, or None."""
        row = self._one(
            "SELECT workshop_id, hidden, archived FROM practices WHERE id = ? AND merged_into IS NULL",
            [practice_id],
        )
        return (row[0], bool(row[1]), bool(row[2])) if row else None

    def is_featured(self, workshop_id: int, practice_id: int) -> bool:
        return (
            self._one(
                "SELECT 1 FROM featured_practices WHERE workshop_id = ? AND practice_id = ?",
                [workshop_id, practice_id],
            )
            is not None
        )

    def practices(
        self, workshop_id: int, *, viewer_id: int = -1, include_hidden: bool = False
    ) -> list[Practice]:
        """The workshop's own practices and those its facilitator featured from earlier
        workshops, oldest first; reactions counted across every workshop. The author's name
        comes only when they chose to show it in a named workshop, their team only from a
        named workshop (a featured practice keeps the anonymity of the workshop it came from)."""
        hidden = "" if include_hidden else "AND NOT pr.hidden AND NOT pr.archived"
        rows = self._rows(
            f"""
            SELECT pr.id, pr.workshop_id, pr.theme_id, pr.participant_id,
                   CASE WHEN pr.show_name AND NOT w.anonymous THEN p.name END,
                   CASE WHEN NOT w.anonymous THEN p.team END,
                   pr.title, pr.description, pr.created_at, pr.hidden,
                   count(*) FILTER (WHERE r.kind = 'do_too'),
                   count(*) FILTER (WHERE r.kind = 'want_to_try'),
                   pr.workshop_id <> $w,
                   bool_or(r.participant_id = $v AND r.kind = 'do_too'),
                   bool_or(r.participant_id = $v AND r.kind = 'want_to_try'),
                   w.title, th.title
            FROM practices pr
            JOIN workshops w ON w.id = pr.workshop_id
            JOIN participants p ON p.id = pr.participant_id
            JOIN themes th ON th.id = pr.theme_id
            LEFT JOIN practice_reactions r ON r.practice_id = pr.id
            WHERE pr.merged_into IS NULL {hidden}
              AND (pr.workshop_id = $w
                   OR pr.id IN (SELECT practice_id FROM featured_practices WHERE workshop_id = $w))
            GROUP BY pr.id, pr.workshop_id, pr.theme_id, pr.participant_id, pr.show_name, w.anonymous, p.name,
                     p.team, pr.title, pr.description, pr.created_at, pr.hidden, w.title, th.title
            ORDER BY pr.workshop_id <> $w DESC, pr.id
            """,
            {"w": workshop_id, "v": viewer_id},
        )
        return [Practice(*row[:12], bool(row[12]), bool(row[13]), bool(row[14]), *row[15:17]) for row in rows]  # type: ignore[call-arg]  # a row's length is not typed

    def library(
        self,
        text: str = "",
        theme: str = "",
        team: str = "",
        since: datetime | None = None,
        *,
        least: int,
        limit: int = 200,
        archived: bool = False,
    ) -> tuple[int, list[dict[str, Any]]]:
        """The practice library: how many shown practices of every workshop match, and the
        newest `limit` of them. A match's title or description contains `text`, its theme's
        title contains `theme` (any case, each when given); it comes from the team `team`
        and was shared `since` then. The team is given only when it has at least `least`
        people (and the workshop is not anonymous), the author's name only when they chose
        to show it; marks are counted across workshops (people, and the teams they are in:
        a number, no names), with the follow-up actions taken on it and the workshops that
        adopted it (an action done). `archived`: the archived ones
        instead.

        The filter runs over the practices alone; only the page drawn is joined to its
        marks, its team's size and its actions."""

        def like(value: str) -> str:
            return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

        by_team = (
            f"""
                   AND EXISTS (SELECT 1 FROM participants p JOIN workshops w ON w.id = pr.workshop_id
                               WHERE p.id = pr.participant_id AND p.team = $team AND NOT w.anonymous
                                 AND (SELECT count(*) FROM participants o WHERE o.workshop_id = pr.workshop_id
                                      AND o.team = $team AND NOT o.removed
                                      AND o.id IN ({privacy.answered_anything("pr.workshop_id")})) >= $least)"""
            if team
            else ""
        )
        words = "AND (pr.title ILIKE $q ESCAPE '\\' OR pr.description ILIKE $q ESCAPE '\\')" if text else ""
        rows = self._rows(
            f"""
            WITH hits AS (
                   SELECT pr.id, pr.created_at FROM practices pr JOIN themes th ON th.id = pr.theme_id
                   WHERE pr.merged_into IS NULL AND NOT pr.hidden AND pr.archived = $archived
                     {words}
                     AND th.title ILIKE $theme ESCAPE '\\'
                     AND pr.created_at >= $since {by_team}),
                 page AS (SELECT id, count(*) OVER () AS total FROM hits
                          ORDER BY created_at DESC, id DESC LIMIT $limit),
                 marks AS (SELECT practice_id,
                                  count(*) FILTER (WHERE kind = 'do_too') AS do_too,
                                  count(*) FILTER (WHERE kind = 'want_to_try') AS want_to_try
                           FROM practice_reactions WHERE practice_id IN (SELECT id FROM page)
                           GROUP BY practice_id),
                 teams AS (SELECT practice_id, count(DISTINCT team) FILTER (WHERE doing) AS doing,
                                  count(DISTINCT team) FILTER (WHERE NOT doing) AS wanting
                           FROM (SELECT r.practice_id, p.team, r.kind = 'do_too' AS doing
                                 FROM practice_reactions r JOIN participants p ON p.id = r.participant_id
                                 WHERE r.practice_id IN (SELECT id FROM page)
                                 UNION ALL
                                 SELECT pr.id, p.team, true FROM practices pr
                                 JOIN participants p ON p.id = pr.participant_id
                                 WHERE pr.id IN (SELECT id FROM page)) marked
                           GROUP BY practice_id),
                 acted AS (SELECT l.practice_id, count(DISTINCT f.id) AS actions,
                                  count(DISTINCT l.workshop_id) FILTER (WHERE f.status = 'done') AS adopted
                           FROM follow_up_practices l JOIN follow_ups f ON f.id = l.follow_up_id
                           WHERE l.practice_id IN (SELECT id FROM page) GROUP BY l.practice_id)
            SELECT pr.id, pr.workshop_id, pr.title, pr.description, pr.created_at,
                   th.title, w.title,
                   CASE WHEN pr.show_name AND NOT w.anonymous THEN p.name END,
                   CASE WHEN NOT w.anonymous AND p.team IS NOT NULL
                         AND (SELECT count(*) FROM participants o WHERE o.workshop_id = pr.workshop_id
                              AND o.team = p.team AND NOT o.removed
                              AND o.id IN ({privacy.answered_anything("pr.workshop_id")})) >= $least
                   THEN p.team END,
                   coalesce(m.do_too, 0), coalesce(m.want_to_try, 0),
                   coalesce(a.actions, 0), coalesce(a.adopted, 0),
                   coalesce(t.doing, 0), coalesce(t.wanting, 0), page.total
            FROM page
            JOIN practices pr ON pr.id = page.id
            JOIN workshops w ON w.id = pr.workshop_id
            JOIN participants p ON p.id = pr.participant_id
            JOIN themes th ON th.id = pr.theme_id
            LEFT JOIN marks m ON m.practice_id = pr.id
            LEFT JOIN acted a ON a.practice_id = pr.id
            LEFT JOIN teams t ON t.practice_id = pr.id
            ORDER BY pr.created_at DESC, pr.id DESC
            """,
            {
                **({"q": like(text)} if text else {}),
                "theme": like(theme),
                **({"team": team} if team else {}),
                "since": since or datetime(1970, 1, 1),
                "least": least,
                "limit": limit,
                "archived": archived,
            },
        )
        names = (
            "id",
            "workshop_id",
            "title",
            "description",
            "shared_at",
            "theme",
            "workshop",
            "author",
            "team",
            "do_too",
            "want_to_try",
            "follow_ups",
            "adopted",
            "teams_doing",
            "teams_wanting",
        )
        found = [
            {
                name: (int(value) if i >= 9 else value)
                for i, (name, value) in enumerate(zip(names, row[:15], strict=True))
            }
            for row in rows
        ]
        return (int(rows[0][15]) if rows else 0), found

    def library_themes(self) -> list[str]:
        """The titles of the themes the library's practices (archived ones too) are shared under."""
        return [
            r[0]
            for r in self._rows(
                "SELECT DISTINCT th.title FROM practices pr JOIN themes th ON th.id = pr.theme_id "
                "WHERE NOT pr.hidden AND pr.merged_into IS NULL ORDER BY 1"
            )
        ]

    def library_teams(self, least: int) -> list[str]:
        """The teams the library names (with at least `least` people, in named workshops)."""
        return [
            r[0]
            for r in self._rows(
                """
                SELECT DISTINCT p.team FROM practices pr
                JOIN participants p ON p.id = pr.participant_id
                JOIN workshops w ON w.id = pr.workshop_id
                WHERE NOT pr.hidden AND NOT pr.archived AND pr.merged_into IS NULL AND NOT w.anonymous
                  AND (SELECT count(*) FROM participants o
                       WHERE o.workshop_id = pr.workshop_id AND o.team = p.team AND NOT o.removed) >= ?
                ORDER BY 1
                """,
                [least],
            )
        ]

    def set_practice_reaction(
        self, participant: Participant, practice_id: int, kind: PracticeReaction, on: bool
    ) -> bool:
        """Say (or take back) "We do this too" or "We'd like to try this"; whether it changed."""

        def work(cur: Any) -> set[int] | None:
            if on:
                done = cur.execute(
                    "INSERT INTO practice_reactions VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING practice_id",
                    [practice_id, participant.id, participant.workshop_id, kind.value, self._clock()],
                ).fetchall()
            else:
                done = cur.execute(
                    "DELETE FROM practice_reactions WHERE practice_id = ? AND participant_id = ? AND kind = ? "
                    "RETURNING practice_id",
                    [practice_id, participant.id, kind.value],
                ).fetchall()
            if not done:
                return None
            self._log_by(cur, participant, kind.value if on else f"un{kind.value}", practice_id)
            return self._practice_readers(cur, [practice_id])

        readers = self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, changed: state.with_mark(practice_id, kind.value, on) if changed else state,
        )
        # Marks count in every workshop showing the practice: their lists move on too.
        for workshop_id in (readers or set()) - {participant.workshop_id}:
            self._bump(workshop_id)
        return readers is not None

    def set_practice_hidden(self, workshop_id: int, practice_id: int, hidden: bool) -> bool:
        """Hide one of the workshop's practices from everyone, or show it again."""
        return self._set_hidden("practices", "practice", workshop_id, practice_id, hidden)

    def _practice_readers(self, cur: Any, practice_ids: Sequence[int]) -> set[int]:
        """The workshops whose screens show these practices or count their marks."""
        marks = ", ".join("?" * len(practice_ids))
        rows = cur.execute(
            f"SELECT workshop_id FROM practices WHERE id IN ({marks}) "
            f"UNION SELECT workshop_id FROM featured_practices WHERE practice_id IN ({marks}) "
            f"UNION SELECT workshop_id FROM practice_reactions WHERE practice_id IN ({marks})",
            [*practice_ids, *practice_ids, *practice_ids],
        ).fetchall()
        return {r[0] for r in rows}

    def set_practice_archived(self, practice_id: int, archived: bool, by: str) -> bool:
        """Take a practice out of the library and every workshop's boards (it is kept, and
        can come back), or bring it back; whether there was such a practice."""
        origin = self.practice_origin(practice_id)
        if origin is None:
            return False

        def work(cur: Any) -> set[int]:
            done = cur.execute(
                "UPDATE practices SET archived = ? WHERE id = ? AND merged_into IS NULL RETURNING id",
                [archived, practice_id],
            ).fetchall()
            if not done:
                return set()
            self._log(
                cur,
                origin[0],
                by,
                "archive_practice" if archived else "unarchive_practice",
                subject_id=practice_id,
            )
            return self._practice_readers(cur, [practice_id])

        readers = self._write(origin[0], work, removes=True)
        for workshop_id in readers - {origin[0]}:
            self._bump(workshop_id, removes=True)
        return bool(readers)

    def merge_practices(self, source_id: int, target_id: int, by: str) -> bool:
        """Merge a duplicate practice into another: its marks, the needs pointing to it, the
        workshops featuring it and the actions trying it go to the target (each once); it
        leaves the library, its text kept with `merged_into`. Whether it was merged."""
        origin = self.practice_origin(source_id)
        if origin is None:
            return False

        def work(cur: Any) -> set[int]:
            readers = self._practice_readers(cur, [source_id, target_id])
            done = cur.execute(
                "UPDATE practices SET merged_into = ?, updated_at = ? WHERE id = ? AND merged_into IS NULL "
                "AND id <> ? AND EXISTS (SELECT 1 FROM practices t WHERE t.id = ? AND t.merged_into IS NULL) "
                "RETURNING id",
                [target_id, self._clock(), source_id, target_id, target_id],
            ).fetchall()
            if not done:
                return set()
            cur.execute("UPDATE practices SET merged_into = ? WHERE merged_into = ?", [target_id, source_id])
            moves = (  # each table, the columns it keeps beside the practice, which rows stay behind
                ("practice_reactions", "participant_id, workshop_id, kind, reacted_at", ""),
                ("need_practices", "need_id, workshop_id, linked_by, linked_at", ""),
                ("follow_up_practices", "follow_up_id, workshop_id", ""),
                (  # a workshop does not feature its own practice
                    "featured_practices",
                    "workshop_id, featured_at",
                    "AND workshop_id NOT IN (SELECT workshop_id FROM practices WHERE id = $t)",
                ),
            )
            for table, columns, unless in moves:
                cur.execute(
                    f"INSERT INTO {table} (practice_id, {columns}) SELECT $t, {columns} FROM {table} "
                    f"WHERE practice_id = $s {unless} ON CONFLICT DO NOTHING",
                    {"s": source_id, "t": target_id},
                )
                cur.execute(f"DELETE FROM {table} WHERE practice_id = ?", [source_id])
            self._log(cur, origin[0], by, "merge_practice", subject_id=source_id, detail={"into": target_id})
            return readers

        readers = self._write(origin[0], work, removes=True)
        for workshop_id in readers - {origin[0]}:
            self._bump(workshop_id, removes=True)
        return bool(readers)

    def set_featured(self, workshop_id: int, practice_id: int, featured: bool) -> bool:
        """Show a practice of another workshop in this one, or stop showing it; whether it changed."""

        def work(cur: Any) -> bool:
            if featured:
                done = cur.execute(
                    "INSERT INTO featured_practices VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING practice_id",
                    [workshop_id, practice_id, self._clock()],
                ).fetchall()
            else:
                done = cur.execute(
                    "DELETE FROM featured_practices WHERE workshop_id = ? AND practice_id = ? RETURNING practice_id",
                    [workshop_id, practice_id],
                ).fetchall()
            if done:
                self._log(
                    cur,
                    workshop_id,
                    "facilitator",
                    "feature_practice" if featured else "unfeature_practice",
                    subject_id=practice_id,
                )
            return bool(done)

        return self._write(workshop_id, work, removes=not featured)

    def _link_need(
        self,
        table: str,
        verbs: tuple[str, str],
        workshop_id: int,
        need_id: int,
        other: tuple[str, int],
        by: str,
        linked: bool,
    ) -> bool:
        """Add (or remove) a row linking a need to another item in `table` (need_id, the
        item's column, workshop_id, linked_by, linked_at), logged as one of `verbs` (link,
        unlink); whether it changed."""
        column, item_id = other

        def work(cur: Any) -> bool:
            if linked:
                done = cur.execute(
                    f"INSERT INTO {table} (need_id, {column}, workshop_id, linked_by, linked_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING need_id",
                    [need_id, item_id, workshop_id, by, self._clock()],
                ).fetchall()
            else:
                done = cur.execute(
                    f"DELETE FROM {table} WHERE need_id = ? AND {column} = ? RETURNING need_id",
                    [need_id, item_id],
                ).fetchall()
            if done:
                self._log(
                    cur,
                    workshop_id,
                    by,
                    verbs[0] if linked else verbs[1],
                    subject_id=need_id,
                    detail={column.removesuffix("_id"): item_id},
                )
            return bool(done)

        return self._write(workshop_id, work, removes=not linked)

    def link_practice(self, workshop_id: int, need_id: int, practice_id: int, by: str, linked: bool) -> bool:
        """Point a need at a practice that answers it ("learn from this"), or stop; whether it changed."""
        return self._link_need(
            "need_practices",
            ("link_practice", "unlink_practice"),
            workshop_id,
            need_id,
            ("practice_id", practice_id),
            by,
            linked,
        )

    def cite_statement(
        self, workshop_id: int, need_id: int, statement_id: int, by: str, linked: bool
    ) -> bool:
        """Let a need cite a statement it came from, or stop; whether it changed."""
        return self._link_need(
            "need_statements",
            ("cite_statement", "uncite_statement"),
            workshop_id,
            need_id,
            ("statement_id", statement_id),
            by,
            linked,
        )

    def need_statements(self, workshop_id: int) -> dict[int, list[int]]:
        """For each need of the workshop that cites statements, their ids, oldest link first;
        a need also cites what the needs merged into it cited (each once)."""
        cited: dict[int, list[int]] = {}
        for need_id, statement_id in self._rows(
            """
            SELECT coalesce(n.merged_into, l.need_id), l.statement_id FROM need_statements l
            JOIN needs n ON n.id = l.need_id
            WHERE l.workshop_id = ? ORDER BY l.linked_at, l.statement_id
            """,
            [workshop_id],
        ):
            if statement_id not in cited.setdefault(need_id, []):
                cited[need_id].append(statement_id)
        return cited

    def need_practices(self, workshop_id: int) -> dict[int, list[int]]:
        """For each need of the workshop that points to practices, their ids."""
        linked: dict[int, list[int]] = {}
        for need_id, practice_id in self._rows(
            "SELECT need_id, practice_id FROM need_practices WHERE workshop_id = ? ORDER BY need_id, linked_at",
            [workshop_id],
        ):
            linked.setdefault(need_id, []).append(practice_id)
        return linked
