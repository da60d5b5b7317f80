"""Development needs, backings, dots, ratings and check-ins."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from workshop.model import (
    Need,
    Participant,
    Reaction,
)
from workshop.store.core import (
    _INSERT_BACKING,
    _NEEDS_SQL,
    DotResult,
    RoomNeeds,
    ViewerState,
    _tally,
)
from workshop.store.statements import Statements


class Needs(Statements):
    """Development needs, backings, dots, ratings and check-ins."""

    def check_in(self, participant: Participant, need_id: int, capability: int) -> None:
        """A person's rating of their team's capability on a need, again (the check-in)."""

        def work(cur: Any) -> None:
            cur.execute(
                "INSERT INTO checkins VALUES (?, ?, ?, ?, ?) ON CONFLICT (need_id, participant_id) "
                "DO UPDATE SET capability = excluded.capability, checked_at = excluded.checked_at",
                [need_id, participant.id, participant.workshop_id, capability, self._clock()],
            )
            self._log_by(cur, participant, "check_in", need_id, {"capability": capability})

        self._write(participant.workshop_id, work)

    def checked_in(self, workshop_id: int, participant_id: int) -> dict[int, int]:
        """The person's check-in ratings: need id -> capability."""
        return dict(
            self._rows(
                "SELECT need_id, capability FROM checkins WHERE workshop_id = ? AND participant_id = ?",
                [workshop_id, participant_id],
            )
        )

    def add_need(
        self,
        participant: Participant,
        theme_id: int,
        text: str,
        quota: tuple[int, int],
        practices: Sequence[int] = (),
        cites: Sequence[int] = (),
    ) -> int | tuple[int, int]:
        return self._add_item(
            "needs", "need_ids", "propose", participant, theme_id, text, quota, practices, cites
        )

    def edit_need(self, participant: Participant, need_id: int, text: str, theme_id: int) -> bool:
        return self._change_own(
            participant,
            "edit_need",
            need_id,
            "UPDATE needs SET text = ?, theme_id = ?, updated_at = ? "
            "WHERE id = ? AND participant_id = ? AND merged_into IS NULL RETURNING id",
            [text, theme_id, self._clock(), need_id, participant.id],
        )

    def withdraw_need(self, participant: Participant, need_id: int) -> bool:
        """Delete the participant's own need with its backings, dots and ratings.

        Needs merged into it go with it: their backers now stand behind its text.
        """
        return self._change_own(
            participant,
            "withdraw_need",
            need_id,
            "DELETE FROM needs WHERE id = ? AND participant_id = ? AND merged_into IS NULL RETURNING id",
            [need_id, participant.id],
            then=tuple(
                f"DELETE FROM {table} WHERE {column} = ?"
                for table, column in [
                    ("needs", "merged_into"),
                    ("backings", "need_id"),
                    ("dots", "need_id"),
                    ("ratings", "need_id"),
                ]
            ),
        )

    def need_state(self, workshop_id: int, need_id: int) -> tuple[int, bool, int | None] | None:
        """(author id, hidden, merged into) of a need in this workshop, or None."""
        return self._item_state(
            "SELECT participant_id, hidden, merged_into FROM needs WHERE id = ? AND workshop_id = ?",
            workshop_id,
            need_id,
        )

    def set_backing(self, participant: Participant, need_id: int, backed: bool) -> None:
        tries = itertools.count()

        def work(cur: Any) -> None:
            if backed:
                cur.execute(  # a plain insert first, as for reactions (set_reaction)
                    _INSERT_BACKING if next(tries) == 0 else f"{_INSERT_BACKING} ON CONFLICT DO NOTHING",
                    [need_id, participant.id, participant.workshop_id, self._clock()],
                )
            else:
                cur.execute(
                    "DELETE FROM backings WHERE need_id = ? AND participant_id = ?",
                    [need_id, participant.id],
                )
            self._log_by(cur, participant, "back" if backed else "unback", need_id)

        self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, _: state.with_backing(need_id, backed),
        )

    def needs(
        self, workshop_id: int, *, viewer_id: int = -1, include_hidden: bool = False, by: int | None = None
    ) -> list[Need]:
        """The workshop's needs (merged ones folded into their target), most dots first;
        with `by`, only the ones that participant proposed."""
        return [need for need, _, _ in self._needs(workshop_id, viewer_id, include_hidden, by)]

    def need_texts(self, workshop_id: int) -> list[tuple[int, str]]:
        """The id and text of every need participants see, oldest first."""
        return [
            (int(r[0]), r[1])
            for r in self._rows(
                "SELECT id, text FROM needs WHERE workshop_id = ? AND NOT hidden AND merged_into IS NULL ORDER BY id",
                [workshop_id],
            )
        ]

    def room_needs(self, workshop_id: int) -> RoomNeeds:
        """The needs participants see, with who backed each and who holds its dots."""
        rows = self._needs(workshop_id, -1, False, None)
        return RoomNeeds(
            [need for need, _, _ in rows],
            {need.id: need for need, _, _ in rows},
            {need.id: frozenset(backers) for need, backers, _ in rows if backers},
            {need.id: _tally(holders) for need, _, holders in rows if holders},
        )

    def _needs(
        self, workshop_id: int, viewer_id: int, include_hidden: bool, by: int | None
    ) -> list[tuple[Need, list[int], list[int]]]:
        with self._db.cursor() as cur:
            rows = cur.execute(
                _NEEDS_SQL.format(
                    hidden="" if include_hidden else "AND NOT n.hidden",
                    by="" if by is None else "AND n.participant_id = $by",
                ),
                {"w": workshop_id, "viewer": viewer_id} | ({} if by is None else {"by": by}),
            ).fetchall()
        return [
            (
                Need(  # type: ignore[misc]  # a row's length is not typed
                    *r[:10],
                    merged_from=tuple(r[10] or ()),
                    i_backed=r[11],
                    my_dots=r[12],
                    my_importance=r[13],
                    my_capability=r[14],
                ),
                r[15] or [],
                r[16] or [],
            )
            for r in rows
        ]

    def place_dot(
        self,
        participant: Participant,
        need_id: int,
        *,
        budget: int,
        cap: int,
        seen: dict[str, Any] | None = None,
    ) -> tuple[DotResult, int]:
        """Put one of the participant's dots on a need, within the budget and the per-need cap.
        Returns the outcome and how many dots the participant holds afterwards. `seen`: the
        phase and whether the counts were shown, logged with it (how votes moved)."""

        def work(cur: Any) -> tuple[DotResult, int]:
            rows = cur.execute(  # the participant's dots, and the need (slot -1) if it is open to dots
                """
                SELECT slot, need_id, need_slot FROM dots WHERE workshop_id = $w AND participant_id = $p
                UNION ALL
                SELECT -1, id, -1 FROM needs
                 WHERE id = $n AND workshop_id = $w AND NOT hidden AND merged_into IS NULL
                """,
                {"w": participant.workshop_id, "p": participant.id, "n": need_id},
            ).fetchall()
            held = [row for row in rows if row[0] >= 0]
            if len(held) == len(rows):
                return DotResult.NEED_GONE, -1
            free = sorted(set(range(budget)) - {slot for slot, _, _ in held})
            if not free:
                return DotResult.BUDGET_SPENT, len(held)
            free_on_need = sorted(set(range(cap)) - {ns for _, n, ns in held if n == need_id})
            if not free_on_need:
                return DotResult.CAP_REACHED, len(held)
            cur.execute(
                "INSERT INTO dots VALUES (?, ?, ?, ?, ?, ?)",
                [
                    participant.workshop_id,
                    participant.id,
                    free[0],
                    need_id,
                    free_on_need[0],
                    self._clock(),
                ],
            )
            self._log_by(cur, participant, "place_dot", need_id, seen)
            return DotResult.PLACED, len(held) + 1

        return self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, r: state.with_dots(need_id, +1) if r[0] is DotResult.PLACED else state,
        )

    def remove_dot(self, participant: Participant, need_id: int, seen: dict[str, Any] | None = None) -> bool:
        """Take back one of the participant's dots from a need; False if it holds none."""

        def work(cur: Any) -> bool:
            done = cur.execute(
                """
                DELETE FROM dots WHERE workshop_id = $w AND participant_id = $p AND need_id = $n
                  AND need_slot = (SELECT max(need_slot) FROM dots
                                   WHERE workshop_id = $w AND participant_id = $p AND need_id = $n)
                RETURNING slot
                """,
                {"w": participant.workshop_id, "p": participant.id, "n": need_id},
            ).fetchall()
            if done:
                self._log_by(cur, participant, "remove_dot", need_id, seen)
            return bool(done)

        return self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, removed: state.with_dots(need_id, -1) if removed else state,
        )

    def dots_used(self, participant: Participant) -> int:
        return self._one(
            "SELECT count(*) FROM dots WHERE workshop_id = ? AND participant_id = ?",
            [participant.workshop_id, participant.id],
        )[0]

    def viewer_state(self, workshop_id: int, participant_id: int) -> ViewerState:
        """One person's own reactions, backings, dots and ratings, to lay over lists shared by
        every viewer: kept by viewer version, read again (one small query) when it moved. Do
        not change what it returns."""
        own = (workshop_id, participant_id)
        with self._viewers.turn(own):
            version = self.viewer_version(*own)
            state = self._viewers.get(own, version, lambda: self._read_viewer_state(*own))
            assert state is not None  # a person's state is read whole, never None
            return state

    def _read_viewer_state(self, workshop_id: int, participant_id: int) -> ViewerState:
        with self._db.cursor() as cur:
            rows = cur.execute(
                """
            SELECT 'reaction', statement_id, kind, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM reactions
             WHERE workshop_id = $w AND participant_id = $p
            UNION ALL
            SELECT 'backing', need_id, NULL, NULL, NULL FROM backings WHERE workshop_id = $w AND participant_id = $p
            UNION ALL
            SELECT 'dots', need_id, NULL, count(*), NULL FROM dots
             WHERE workshop_id = $w AND participant_id = $p GROUP BY need_id
            UNION ALL
            SELECT 'rating', need_id, NULL, importance, capability FROM ratings
             WHERE workshop_id = $w AND participant_id = $p
            UNION ALL
            SELECT 'statement', id, NULL, NULL, NULL FROM statements
             WHERE workshop_id = $w AND participant_id = $p AND NOT hidden
            UNION ALL
            SELECT 'need', id, NULL, NULL, NULL FROM needs
             WHERE workshop_id = $w AND participant_id = $p AND NOT hidden AND merged_into IS NULL
            UNION ALL
            SELECT 'mark', practice_id, kind, NULL, NULL FROM practice_reactions
             WHERE workshop_id = $w AND participant_id = $p
            """,
                {"w": workshop_id, "p": participant_id},
            ).fetchall()
        state = ViewerState(participant_id, {}, set(), {}, {}, set(), set())
        for kind, item, reaction, a, b in rows:
            if kind == "reaction":
                state.reactions[item] = Reaction(reaction)
            elif kind == "backing":
                state.backed.add(item)
            elif kind == "dots":
                state.dots[item] = a
            elif kind == "rating":
                state.ratings[item] = (a, b)
            elif kind == "statement":
                state.statements.add(item)
            elif kind == "mark":
                state.marks.add((item, reaction))
            else:
                state.needs.add(item)
        return state

    def set_rating(
        self,
        participant: Participant,
        need_id: int,
        importance: int | None,
        capability: int | None,
    ) -> None:
        def work(cur: Any) -> None:
            cur.execute(
                "INSERT INTO ratings VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (need_id, participant_id) "
                "DO UPDATE SET importance = excluded.importance, capability = excluded.capability, "
                "rated_at = excluded.rated_at",
                [
                    need_id,
                    participant.id,
                    participant.workshop_id,
                    importance,
                    capability,
                    self._clock(),
                ],
            )
            self._log_by(
                cur, participant, "rate", need_id, detail={"importance": importance, "capability": capability}
            )

        self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, _: state.with_rating(need_id, importance, capability),
        )
