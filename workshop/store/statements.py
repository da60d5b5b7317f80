"""Statements and the reactions to them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from workshop import privacy
from workshop.model import (
    Participant,
    Reaction,
    Statement,
)
from workshop.store.core import (
    _INSERT_REACTION,
    _UPSERT_REACTION,
)
from workshop.store.people import People


class Statements(People):
    """Statements and the reactions to them."""

    def _add_item(
        self,
        table: str,
        sequence: str,
        action: str,
        participant: Participant,
        theme_id: int,
        text: str,
        quota: tuple[int, int],
        practices: Sequence[int] = (),
        cites: Sequence[int] = (),
    ) -> int | tuple[int, int]:
        """Insert a participant's statement or need (both tables start with the same
        columns); its id. Within `quota` (at most per minute, at most in the workshop) only:
        else nothing is written and the person's (last minute's, whole) counts come back.
        A need may point to `practices` from the start ("learn from this") and cite the
        statements it came from (`cites`), in the same transaction."""

        def work(cur: Any) -> int | tuple[int, int]:
            now = self._clock()
            over = self._over_quota(cur, table, participant, quota, now)
            if over is not None:
                return over
            (item_id,) = cur.execute(
                f"INSERT INTO {table} (id, workshop_id, theme_id, participant_id, text, created_at, updated_at) "
                f"VALUES (nextval('{sequence}'), ?, ?, ?, ?, ?, ?) RETURNING id",
                [participant.workshop_id, theme_id, participant.id, text, now, now],
            ).fetchone()
            self._log_by(cur, participant, action, item_id)
            for practice_id in practices:
                cur.execute(
                    "INSERT INTO need_practices VALUES (?, ?, ?, 'participant', ?) ON CONFLICT DO NOTHING",
                    [item_id, practice_id, participant.workshop_id, now],
                )
                self._log_by(cur, participant, "link_practice", item_id)
            for statement_id in cites:
                cur.execute(
                    "INSERT INTO need_statements VALUES (?, ?, ?, 'participant', ?) ON CONFLICT DO NOTHING",
                    [item_id, statement_id, participant.workshop_id, now],
                )
                self._log_by(cur, participant, "cite_statement", item_id, {"statement": statement_id})
            return item_id

        return self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, i: state.with_item(table, i) if isinstance(i, int) else state,
        )

    def _change_own(
        self,
        participant: Participant,
        action: str,
        item_id: int,
        sql: str,
        params: list[Any],
        then: tuple[str, ...] = (),
    ) -> bool:
        """Run `sql`, an UPDATE or DELETE ... RETURNING limited to the participant's own item.

        When it touched the item, run the statements `then` (each taking the item id) and log
        the action, all in the same transaction. False when there was no such item.
        """

        def work(cur: Any) -> bool:
            if not cur.execute(sql, params).fetchall():
                return False
            for follow_up in then:
                cur.execute(follow_up, [item_id])
            self._log_by(cur, participant, action, item_id)
            return True

        return self._write(participant.workshop_id, work, removes=True, by=participant.id)

    def add_statement(
        self, participant: Participant, theme_id: int, text: str, quota: tuple[int, int]
    ) -> int | tuple[int, int]:
        return self._add_item("statements", "statement_ids", "share", participant, theme_id, text, quota)

    def edit_statement(self, participant: Participant, statement_id: int, text: str) -> bool:
        """Replace the text of the participant's own statement; False if there is none."""
        return self._change_own(
            participant,
            "edit_statement",
            statement_id,
            "UPDATE statements SET text = ?, updated_at = ? WHERE id = ? AND participant_id = ? RETURNING id",
            [text, self._clock(), statement_id, participant.id],
        )

    def withdraw_statement(self, participant: Participant, statement_id: int) -> bool:
        """Delete the participant's own statement with the reactions to it."""
        return self._change_own(
            participant,
            "withdraw_statement",
            statement_id,
            "DELETE FROM statements WHERE id = ? AND participant_id = ? RETURNING id",
            [statement_id, participant.id],
            then=("DELETE FROM reactions WHERE statement_id = ?",),
        )

    def set_reaction(self, participant: Participant, statement_id: int, reaction: Reaction) -> None:
        tries = itertools.count()

        def work(cur: Any) -> None:
            # Most answers are a person's first to a statement: a plain insert costs half of
            # an upsert. When one was there already, the insert's conflict makes the write
            # try again, as an upsert.
            cur.execute(
                _INSERT_REACTION if next(tries) == 0 else _UPSERT_REACTION,
                [
                    statement_id,
                    participant.id,
                    participant.workshop_id,
                    reaction.value,
                    self._clock(),
                ],
            )
            self._log_by(cur, participant, "react", statement_id, detail={"kind": reaction.value})

        self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, _: state.with_reaction(statement_id, reaction),
        )

    def statement_owner(self, workshop_id: int, statement_id: int) -> tuple[int, bool] | None:
        """(author id, hidden) of a statement in this workshop, or None."""
        return self._item_state(
            "SELECT participant_id, hidden FROM statements WHERE id = ? AND workshop_id = ?",
            workshop_id,
            statement_id,
        )

    def statements(
        self, workshop_id: int, *, viewer_id: int = -1, include_hidden: bool = False, by: int | None = None
    ) -> list[Statement]:
        """The workshop's statements, oldest first; with `by`, only that participant's."""
        rows = self._rows(
            f"""
            SELECT s.id, s.theme_id, s.participant_id, p.name, p.team, s.text, s.created_at, s.hidden,
                   count(*) FILTER (WHERE r.kind = 'agree'),
                   count(*) FILTER (WHERE r.kind = 'disagree'),
                   count(*) FILTER (WHERE r.kind = 'pass'),
                   max(r.kind) FILTER (WHERE r.participant_id = ?)
            FROM statements s
            JOIN participants p ON p.id = s.participant_id
            LEFT JOIN reactions r ON r.statement_id = s.id
            WHERE s.workshop_id = ? {"" if include_hidden else "AND NOT s.hidden"}
                  {"" if by is None else "AND s.participant_id = ?"}
            GROUP BY s.id, s.theme_id, s.participant_id, p.name, p.team, s.text, s.created_at, s.hidden
            ORDER BY s.created_at, s.id
            """,
            [viewer_id, workshop_id] + ([] if by is None else [by]),
        )
        return [Statement(*r[:11], my_reaction=Reaction(r[11]) if r[11] else None) for r in rows]  # type: ignore[misc]  # a row's length is not typed

    def own_statements(self, workshop_id: int, participant_id: int) -> list[tuple[int, int, str]]:
        """A participant's statements as their share board lists them: (id, theme id, text),
        oldest first. Without the room's reactions, which `statements` counts for every one."""
        return [
            (int(r[0]), int(r[1]), r[2])
            for r in self._rows(
                """
                SELECT id, theme_id, text FROM statements
                WHERE workshop_id = ? AND participant_id = ? AND NOT hidden
                ORDER BY created_at, id
                """,
                [workshop_id, participant_id],
            )
        ]

    def own_needs(self, workshop_id: int, participant_id: int) -> list[tuple[int, int, str, int]]:
        """A participant's needs as their propose board lists them: (id, theme id, text,
        backers), oldest first; one merged into another is listed under that one only. Without
        the room's dots and ratings, which `needs` gathers for every need."""
        return [
            (int(r[0]), int(r[1]), r[2], int(r[3]))
            for r in self._rows(
                """
                SELECT n.id, n.theme_id, n.text, count(b.need_id)
                FROM needs n LEFT JOIN backings b ON b.need_id = n.id
                WHERE n.workshop_id = ? AND n.participant_id = ? AND NOT n.hidden AND n.merged_into IS NULL
                GROUP BY n.id, n.theme_id, n.text
                ORDER BY n.id
                """,
                [workshop_id, participant_id],
            )
        ]

    def answering_team_sizes(self, workshop_id: int) -> dict[str, int]:
        """How many people of each team answered anything in the workshop (wrote, reacted,
        proposed, backed, voted, rated, shared or marked a practice, checked in): what the
        privacy threshold counts (privacy.groups)."""
        rows = self._rows(
            f"""
            SELECT p.team, count(*) FROM participants p
            WHERE p.workshop_id = $w AND p.team IS NOT NULL AND NOT p.removed
              AND p.id IN ({privacy.answered_anything()})
            GROUP BY p.team""",
            {"w": workshop_id},
        )
        return {team: int(n) for team, n in rows}

    def visible_counts(self, workshop_id: int) -> dict[str, int]:
        """How many statements and needs participants can see now, how many people joined,
        and how many items the facilitator took away (hidden or merged): a change of that
        number is a change of what every screen shows."""
        row = self._one(
            """
            SELECT (SELECT count(*) FROM statements WHERE workshop_id = $w AND NOT hidden),
                   (SELECT count(*) FROM needs WHERE workshop_id = $w AND NOT hidden AND merged_into IS NULL),
                   (SELECT count(*) FROM participants WHERE workshop_id = $w AND NOT removed),
                   (SELECT count(*) FROM statements WHERE workshop_id = $w AND hidden)
                   + (SELECT count(*) FROM needs WHERE workshop_id = $w AND (hidden OR merged_into IS NOT NULL)),
                   (SELECT count(*) FROM practices
                    WHERE NOT hidden AND NOT archived AND merged_into IS NULL
                      AND (workshop_id = $w
                           OR id IN (SELECT practice_id FROM featured_practices WHERE workshop_id = $w)))
            """,
            {"w": workshop_id},
        )
        return dict(
            zip(("statements", "needs", "joined", "moderated", "practices"), map(int, row), strict=True)
        )

    def _item_state(self, sql: str, workshop_id: int, item_id: int) -> tuple[Any, ...] | None:
        """The row `sql` reads for one item, kept until the workshop's next removal. When
        other processes write too, one may hide or merge at any moment: read every time."""
        if not self._db.sole_writer:
            return self._one(sql, [item_id, workshop_id])
        removal = self.removal_version(workshop_id)
        return self._items.get(
            (sql, workshop_id, item_id), removal, lambda: self._one(sql, [item_id, workshop_id])
        )
